/*
 * xmllib: libxml2's functions looked up when the libvirt backend first
 * writes or reads a domain's XML; libxml2 brings ICU and libstdc++ with
 * it, which no other command needs at start (dynlib.h). And the one way
 * XML from elsewhere is read: with limits (xmllib_parse).
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "diag.h"
#include "xmllib.h"

DYNLIB_NOTE(xmllib_note, "libxml2", "the libvirt backend: domain XML "
    "written and read", "suggested", XML_SONAME);

struct xmllib	xl;

static const char *const xmllib_names[] = {
	XMLLIB_FUNCS(DYNLIB_NAME) "xmlFree"
};
_Static_assert(sizeof xl == sizeof xmllib_names, "xl holds a pointer a name");

/* libxml2 prints what goes wrong by default; core never prints. */
static void
xmllib_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* 0 once libxml2 is there, else -1 with *cause. */
int
xmllib_load(char **cause)
{
	static bool	loaded;

	*cause = NULL;
	if (loaded)
		return 0;
	if (dynlib_load(XML_SONAME, "libxml2", xmllib_names,
	    sizeof xmllib_names / sizeof xmllib_names[0], &xl, cause) != 0)
		return -1;
	xl.xmlSetGenericErrorFunc(NULL, xmllib_quiet);
	loaded = true;
	return 0;
}

/*
 * A DOCTYPE: the parse stops where it starts (c->_private holds its line
 * then). Its entities would be expanded by every later read of a text or
 * an attribute (20,000 references to one of 200 KB are 4 GB), and it
 * could name files to read; libvirt writes none.
 */
static void
xmllib_doctype(void *ctx, const xmlChar *name, const xmlChar *id,
    const xmlChar *uri)
{
	xmlParserCtxtPtr	 c = ctx;

	(void)name;
	(void)id;
	(void)uri;
	*(int *)c->_private = c->input != NULL && c->input->line > 0 ?
	    c->input->line : 1;
	xl.xmlStopParser(c);
}

/* The bytes at s (n left) start with word. */
static bool
xmllib_at(const char *s, size_t n, const char *word)
{
	size_t	len = strlen(word);

	return n >= len && memcmp(s, word, len) == 0;
}

/*
 * What libxml2 would take quadratic time over, found in one pass over the
 * bytes before it sees them: an element with more than XMLLIB_MAX_ATTRS
 * attributes, more than XMLLIB_MAX_NS namespace declarations. In a start
 * tag, an attribute is an '=' outside its quoted value; comments, CDATA,
 * processing instructions and declarations are skipped to their end. A
 * document that is not well-formed can only seem to hold fewer than it
 * does where libxml2 stops at the error anyway. 0, or -1 with *cause.
 */
static int
xmllib_scan(const char *s, size_t len, const char *what, char **cause)
{
	const char	*end, *close;
	size_t		 i = 0, name, attrs, ns = 0, at;
	int		 line = 1;
	char		 q;

	while (i < len) {
		if (s[i] == '\n')
			line++;
		if (s[i++] != '<')
			continue;
		close = xmllib_at(s + i, len - i, "!--") ? "-->" :
		    xmllib_at(s + i, len - i, "![CDATA[") ? "]]>" :
		    xmllib_at(s + i, len - i, "?") ? "?>" : NULL;
		if (close != NULL) {
			for (; i < len && !xmllib_at(s + i, len - i, close); i++)
				line += s[i] == '\n';
			continue;
		}
		if (i < len && (s[i] == '/' || s[i] == '!')) {
			/* an end tag, a declaration (a DOCTYPE is refused) */
			continue;
		}
		/* a start tag: its name, then its attributes */
		name = i;
		attrs = 0;
		at = i;
		while (i < len && s[i] != '>') {
			if (s[i] == '\n')
				line++;
			if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			    s[i] == '\r') {
				at = ++i;
				continue;
			}
			if (s[i] == '"' || s[i] == '\'') {
				for (q = s[i++]; i < len && s[i] != q; i++)
					line += s[i] == '\n';
				i++;
				continue;
			}
			if (s[i++] != '=')
				continue;
			if (xmllib_at(s + at, len - at, "xmlns") &&
			    (s[at + 5] == '=' || s[at + 5] == ':' ||
			    s[at + 5] == ' ' || s[at + 5] == '\t' ||
			    s[at + 5] == '\r' || s[at + 5] == '\n') &&
			    ++ns > XMLLIB_MAX_NS)
				return diag_cause(cause, "%s:%d: more than %d "
				    "namespace declarations: refused (libvirt "
				    "writes a few)", what, line, XMLLIB_MAX_NS);
			if (++attrs > XMLLIB_MAX_ATTRS) {
				for (end = s + name; end < s + len &&
				    *end != ' ' && *end != '\t' &&
				    *end != '\n' && *end != '\r' &&
				    *end != '>' && *end != '/' &&
				    end - (s + name) < 64; end++)
					;
				return diag_cause(cause, "%s:%d: <%.*s> has more "
				    "than %d attributes: refused (libvirt writes "
				    "a few)", what, line, (int)(end - (s + name)),
				    s + name, XMLLIB_MAX_ATTRS);
			}
		}
	}
	return 0;
}

/*
 * len bytes of XML from elsewhere (what names them in messages, as
 * WHAT:LINE: ...) as a document in *doc, for xmlFreeDoc. Read with
 * limits: at most XMLLIB_MAX bytes, no element with more than
 * XMLLIB_MAX_ATTRS attributes nor more than XMLLIB_MAX_NS namespace
 * declarations (xmllib_scan), no DOCTYPE (so no entity is declared,
 * expanded or fetched), nothing from the network, libxml2's own caps on
 * depth and text (never XML_PARSE_HUGE), nothing printed.
 */
int
xmllib_parse(const char *bytes, size_t len, const char *what,
    xmlDocPtr *doc, char **cause)
{
	xmlParserCtxtPtr	 c;
	const char		*why;
	int			 dtd = 0, line;

	*doc = NULL;
	if (xmllib_load(cause) != 0)
		return -1;
	if (len > XMLLIB_MAX)
		return diag_cause(cause, "%s: over %d MiB: refused (a domain's "
		    "XML is a few KiB)", what, XMLLIB_MAX >> 20);
	if (xmllib_scan(bytes, len, what, cause) != 0)
		return -1;
	if ((c = xl.xmlNewParserCtxt()) == NULL)
		return diag_cause(cause, "out of memory");
	c->_private = &dtd;
	c->sax->internalSubset = xmllib_doctype;
	*doc = xl.xmlCtxtReadMemory(c, bytes, (int)len, what, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES);
	if (*doc != NULL && dtd == 0) {
		xl.xmlFreeParserCtxt(c);
		return 0;
	}
	xl.xmlFreeDoc(*doc);
	*doc = NULL;
	why = c->lastError.message != NULL ? c->lastError.message : "";
	line = c->lastError.line > 0 ? c->lastError.line : 1;
	if (dtd != 0)
		diag_cause(cause, "%s:%d: a <!DOCTYPE>, which libvirt never "
		    "writes: refused (its entities could fill the memory)",
		    what, dtd);
	else
		diag_cause(cause, "%s:%d: not well-formed XML%s%.*s", what,
		    line, *why != '\0' ? ": " : "", (int)strcspn(why, "\n"),
		    why);
	xl.xmlFreeParserCtxt(c);
	return -1;
}

/*
 * Whether n is an element called name in no namespace: libvirt reads its
 * own elements so (<x:kernel xmlns:x="..."> is no kernel of its).
 */
bool
xmllib_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	    strcmp((const char *)n->name, name) == 0;
}

/* Whether n is an element called name in the namespace href. */
bool
xmllib_in(const xmlNode *n, const char *href, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, href) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The first child element of n called name (in no namespace), or NULL. */
xmlNode *
xmllib_child(const xmlNode *n, const char *name)
{
	xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		if (xmllib_is(c, name))
			return c;
	return NULL;
}

/* Free what libxml2 handed out (xmlGetProp, xmlNodeGetContent). */
void
xmllib_free(void *p)
{
	if (p != NULL)
		(*xl.free)(p);
}
