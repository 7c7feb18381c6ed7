/*
 * xmllib: libxml2, opened the first time the libvirt backend needs it
 * (dynlib.h says why): its functions as members of xl, named as in
 * libxml2, so that a call reads xl.xmlBufferCreate(). xmlFree is
 * libxml2's free function for what it hands out: xmllib_free().
 */
#ifndef VMTUI_XMLLIB_H
#define VMTUI_XMLLIB_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "dynlib.h"

#define XMLLIB_FUNCS(X)							\
	X(xmlBufferCCat) X(xmlBufferContent) X(xmlBufferCreate)		\
	X(xmlBufferFree) X(xmlDocGetRootElement) X(xmlFreeDoc)		\
	X(xmlFreeTextWriter) X(xmlGetProp) X(xmlNewTextWriterMemory)	\
	X(xmlNodeGetContent) X(xmlReadMemory) X(xmlTextWriterEndDocument) \
	X(xmlTextWriterEndElement) X(xmlTextWriterSetIndent)		\
	X(xmlTextWriterSetIndentString) X(xmlTextWriterStartElement)	\
	X(xmlTextWriterWriteAttribute) X(xmlTextWriterWriteFormatString) \
	X(xmlTextWriterWriteString)

struct xmllib {
	XMLLIB_FUNCS(DYNLIB_MEMBER)
	xmlFreeFunc	*free;		/* libxml2's variable xmlFree */
};

extern struct xmllib xl;

int	xmllib_load(char **);
void	xmllib_free(void *);

#endif
