/*
 * dynlib: a shared library opened the first time something needs it.
 * libvirt and libcurl bring some fifty libraries with them (GLib, GnuTLS,
 * ICU, Kerberos, LDAP...); linked into the program they made every start
 * of vmtui take about 12 ms instead of 2 (bench/README), for the libvirt
 * backend and downloads alone. Their users list what they call in a table.
 */
#ifndef VMTUI_DYNLIB_H
#define VMTUI_DYNLIB_H

#include <stddef.h>

/*
 * A user lists what it calls as X(name)... in a macro LIST. DYNLIB_TABLE
 * makes a struct var whose members are those names, pointers of their
 * types (calls read var.name(...)), and the array names of their names,
 * for dynlib_load to fill var in that order.
 */
#define DYNLIB_MEMBER(f)	__typeof__(f) *f;
#define DYNLIB_NAME(f)		#f,
#define DYNLIB_TABLE(var, names, LIST)					\
	static struct { LIST(DYNLIB_MEMBER) } var;			\
	static const char *const names[] = { LIST(DYNLIB_NAME) };	\
	_Static_assert(sizeof var == sizeof names, #var ": a pointer a name")

int	dynlib_load(const char *, const char *, const char *const *, size_t,
	    void *, char **);

#endif
