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

/*
 * len bytes of XML from elsewhere (what names them in messages, as
 * WHAT:LINE: ...) as a document in *doc, for xmlFreeDoc. Read with
 * limits: at most XMLLIB_MAX bytes, no DOCTYPE (so no entity is declared,
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
		return diag_cause(cause, "%s: over %d MiB: refused", what,
		    XMLLIB_MAX >> 20);
	if ((c = xl.xmlNewParserCtxt()) == NULL)
		return diag_cause(cause, "out of memory");
	c->_private = &dtd;
	c->sax->internalSubset = xmllib_doctype;
	*doc = xl.xmlCtxtReadMemory(c, bytes, (int)len, what, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
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

/* Whether n is an element called name. */
bool
xmllib_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The first child element of n called name, or NULL. */
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
