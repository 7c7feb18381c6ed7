/*
 * schema: the profile format (version 1) as data. The libconfuse option
 * tables say which keys exist and their defaults; the key table beside them
 * says what each value may be. The loader and the editor's forms both check
 * values through schema_check_*, so a value one accepts the other accepts.
 */
#ifndef VMTUI_SCHEMA_H
#define VMTUI_SCHEMA_H

#include <confuse.h>

#define SCHEMA_VERSION		1
#define SCHEMA_NAME_MAX		64
#define SCHEMA_TAG_MAX		31
#define SCHEMA_STRING_MAX	4096
#define SCHEMA_NKEYS		40

enum schema_type {
	SCHEMA_INT,
	SCHEMA_BOOL,
	SCHEMA_STR,
	SCHEMA_ENUM,
	SCHEMA_LIST,
};

struct schema_key {
	const char		 *path;	/* "memory", "forward|host-port" */
	enum schema_type	  type;
	long			  min, max;
	const char *const	 *choices;	/* SCHEMA_ENUM */
	int			(*check)(const char *, char **);
	const char		 *doc;
};

/* Enumerations: the model stores the index into these NULL-ended lists. */
extern const char *const schema_arches[];
extern const char *const schema_accels[];
extern const char *const schema_diskifs[];
extern const char *const schema_networks[];
extern const char *const schema_bootmodes[];
extern const char *const schema_forward_froms[];
extern const char *const schema_protos[];

extern const struct schema_key schema_keys[SCHEMA_NKEYS + 1];

cfg_opt_t		*schema_options(void);
const struct schema_key	*schema_find(const char *);
int			 schema_index(const char *);
int			 schema_enum_index(const char *const *, const char *);

int	 schema_check_int(const struct schema_key *, long, char **);
int	 schema_check_str(const struct schema_key *, const char *, char **);
int	 schema_check_text(const char *, const char *, char **);
int	 schema_check_name(const char *, char **);
int	 schema_check_tag(const char *, const char *, char **);
int	 schema_parse_size(const char *, long *, char **);
int	 schema_check_ipv4(const char *, char **);
int	 schema_check_guest_address(const char *, char **);

#endif
