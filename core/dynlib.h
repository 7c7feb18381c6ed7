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

/*
 * DYNLIB_NOTE: the library in the program's ".note.dlopen" ELF note, the
 * format systemd documents as "ELF dlopen metadata" (owner FDO, a JSON
 * list of {feature, description, priority, soname}), so that packaging
 * tools see what vmtui opens with dlopen. One beside each dynlib_load, with
 * the soname configure found.
 */
#define DYNLIB_NOTE_TYPE	0x407c0c0aU
#define DYNLIB_NOTE_JSON(feature, description, priority, soname)	\
	"[{\"feature\":\"" feature "\",\"description\":\"" description	\
	"\",\"priority\":\"" priority "\",\"soname\":[\"" soname "\"]}]"
#define DYNLIB_NOTE(var, feature, description, priority, soname)	\
	__attribute__((used, section(".note.dlopen")))			\
	_Alignas(4) static const struct {				\
		struct {						\
			unsigned int namesz, descsz, type;		\
		} hdr;							\
		char name[sizeof "FDO"];				\
		_Alignas(4) char json[sizeof DYNLIB_NOTE_JSON(feature,	\
		    description, priority, soname)];			\
	} var = {							\
		{ sizeof "FDO", sizeof DYNLIB_NOTE_JSON(feature,	\
		    description, priority, soname), DYNLIB_NOTE_TYPE },	\
		"FDO",							\
		DYNLIB_NOTE_JSON(feature, description, priority, soname) \
	}

int	dynlib_load(const char *, const char *, const char *const *, size_t,
	    void *, char **);

#endif
