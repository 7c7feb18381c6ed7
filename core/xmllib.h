/*
 * xmllib: libxml2, opened the first time the libvirt backend needs it
 * (dynlib.h says why): its functions as members of xl, named as in
 * libxml2, so that a call reads xl.xmlBufferCreate(). xmlFree is
 * libxml2's free function for what it hands out: xmllib_free().
 * Bytes from elsewhere (a domain's XML, a host's capabilities) are read
 * with xmllib_parse() alone, never xmlReadMemory: it has the limits.
 */
#ifndef VMTUI_XMLLIB_H
#define VMTUI_XMLLIB_H

#include <stdbool.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "dynlib.h"

/*
 * The most bytes xmllib_parse reads: a domain's XML is a few KiB (one
 * with 100 disks and 16 network cards: 72 KB; a host's domain
 * capabilities: 9 KB).
 */
#define XMLLIB_MAX	(1 << 20)
/*
 * The most attributes of one element, and namespace declarations in a
 * document: libxml2 2.9 takes time quadratic in either (40,000 attributes
 * on one element: 5 s); libvirt writes a dozen and three.
 */
#define XMLLIB_MAX_ATTRS	256
#define XMLLIB_MAX_NS		256

#define XMLLIB_FUNCS(X)							\
	X(xmlBufferCCat) X(xmlBufferContent) X(xmlBufferCreate)		\
	X(xmlBufferFree) X(xmlCtxtReadMemory) X(xmlDocGetRootElement)	\
	X(xmlFreeDoc) X(xmlFreeParserCtxt) X(xmlFreeTextWriter)		\
	X(xmlGetLineNo) X(xmlGetProp) X(xmlNewParserCtxt) X(xmlNewTextWriterMemory)	\
	X(xmlNodeGetContent) X(xmlSetGenericErrorFunc) X(xmlStopParser)	\
	X(xmlTextWriterEndDocument) X(xmlTextWriterEndElement)		\
	X(xmlTextWriterSetIndent) X(xmlTextWriterSetIndentString)	\
	X(xmlTextWriterStartElement) X(xmlTextWriterWriteAttribute)	\
	X(xmlTextWriterWriteFormatString) X(xmlTextWriterWriteString)

struct xmllib {
	XMLLIB_FUNCS(DYNLIB_MEMBER)
	xmlFreeFunc	*free;		/* libxml2's variable xmlFree */
};

extern struct xmllib xl;

int	xmllib_load(char **);
int	xmllib_parse(const char *, size_t, const char *, xmlDocPtr *,
	    char **);
bool	xmllib_is(const xmlNode *, const char *);
bool	xmllib_in(const xmlNode *, const char *, const char *);
xmlNode	*xmllib_child(const xmlNode *, const char *);
void	xmllib_free(void *);

#endif
