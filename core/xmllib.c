/*
 * xmllib: libxml2's functions looked up when the libvirt backend first
 * writes or reads a domain's XML; libxml2 brings ICU and libstdc++ with
 * it, which no other command needs at start (dynlib.h).
 */
#include "config.h"

#include <stdbool.h>

#include "xmllib.h"

DYNLIB_NOTE(xmllib_note, "libxml2", "the libvirt backend: domain XML "
    "written and read", "suggested", XML_SONAME);

struct xmllib	xl;

static const char *const xmllib_names[] = {
	XMLLIB_FUNCS(DYNLIB_NAME) "xmlFree"
};
_Static_assert(sizeof xl == sizeof xmllib_names, "xl holds a pointer a name");

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
	loaded = true;
	return 0;
}

/* Free what libxml2 handed out (xmlGetProp, xmlNodeGetContent). */
void
xmllib_free(void *p)
{
	if (p != NULL)
		(*xl.free)(p);
}
