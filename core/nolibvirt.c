/*
 * nolibvirt: the libvirt backend's entry points in a vmtui built without
 * libvirt (configure found no libvirt-dev or libxml2-dev). Each says how to
 * get it, so the screens and the command line call the same functions
 * whether it was built in or not, and never ask themselves.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "domimport.h"
#include "domxml.h"
#include "virthost.h"

#define NOLIBVIRT_CAUSE "this vmtui was built without libvirt; apt-get " \
	"install libvirt-dev libxml2-dev, then ./configure and make again"

static int
nolibvirt_fail(char **cause)
{
	*cause = strdup(NOLIBVIRT_CAUSE);
	return -1;
}

const char *
virthost_unbuilt(void)
{
	return NOLIBVIRT_CAUSE;
}

int
domxml_render(const struct resolved *r, const struct domxml_target *t,
    char **xml, char **cause)
{
	(void)r;
	(void)t;
	*xml = NULL;
	return nolibvirt_fail(cause);
}

int
domxml_machine(const struct profile *p, char **xml, char **cause)
{
	(void)p;
	*xml = NULL;
	return nolibvirt_fail(cause);
}

int
virthost_define(const struct profile *p, const struct virthost_opts *o,
    char **note, char **cause)
{
	(void)p;
	(void)o;
	*note = NULL;
	return nolibvirt_fail(cause);
}

int
virthost_xml(const char *uri, const char *name, char **xml, bool *remote,
    char **cause)
{
	(void)uri;
	(void)name;
	*xml = NULL;
	*remote = true;
	return nolibvirt_fail(cause);
}

int
domimport_profile(const char *xml, const struct domimport_opts *o,
    struct profile **p, struct domimport_found *found, char **cause)
{
	(void)xml;
	(void)o;
	(void)found;
	*p = NULL;
	return nolibvirt_fail(cause);
}

/* Nothing found without libvirt: domimport_profile fills in nothing. */
void
domimport_found_free(struct domimport_found *f)
{
	(void)f;
}
