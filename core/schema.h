/*
 * schema: the profile format (version 1) as data. schema.def lists every
 * key once (type, default, range or choices, check, doc); schema_keys[] and
 * the libconfuse options are made from it, and profile.c walks it to load,
 * default, compare, free and save the model. The loader and the editor's
 * forms both check values through schema_check_*, so a value one accepts
 * the other accepts.
 */
#ifndef VMTUI_SCHEMA_H
#define VMTUI_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <confuse.h>

#define SCHEMA_VERSION		1
#define SCHEMA_NAME_MAX		64
#define SCHEMA_TAG_MAX		31
#define SCHEMA_STRING_MAX	4096
#define SCHEMA_SERIAL_MAX	20	/* what virtio-blk and NVMe keep */
#define SCHEMA_MIB_PER_TIB	(1024L * 1024L)

/* The keys' ids, SCHEMA_K_MEMORY and so on, and their count. */
enum schema_id {
#define SCHEMA_KEY(id, ...)	SCHEMA_K_##id,
#include "schema.def"
#undef SCHEMA_KEY
	SCHEMA_NKEYS
};

/* Sections, in the order a saved file writes them. */
enum schema_section {
	SCHEMA_ROOT,		/* the keys at the top */
	SCHEMA_ROOT_DISK,	/* at most one */
	SCHEMA_DISK,		/* rows, each with a title */
	SCHEMA_SHARE,
	SCHEMA_FORWARD,		/* rows without a title */
	SCHEMA_BOOT,		/* always there */
	SCHEMA_QEMU,
	SCHEMA_CLOUD_INIT,	/* at most one */
	SCHEMA_NSECTIONS
};

enum schema_type {
	SCHEMA_INT,
	SCHEMA_BOOL,
	SCHEMA_STR,
	SCHEMA_ENUM,
	SCHEMA_LIST,
	SCHEMA_NUMS,
};

#define SCHEMA_NODEFAULT		0x1	/* no default in a file */

struct schema_key {
	const char		 *path;	/* "memory", "forward|host-port" */
	enum schema_section	  section;
	enum schema_type	  type;
	int			  flags;
	long			  num;		/* INT, BOOL default */
	const char		 *str;		/* STR, ENUM default */
	long			  min, max;	/* INT, each of NUMS */
	const char *const	 *choices;	/* SCHEMA_ENUM */
	int			(*check)(const char *, char **);
	const char		 *unit;		/* saved as a comment; "MiB": takes 8G */
	const char		 *doc;
};

#define SCHEMA_ROWS	0x1	/* any number, in arrays of the model */
#define SCHEMA_TITLED	0x2	/* each row has a title: disk "NAME" { } */
#define SCHEMA_OPTIONAL	0x4	/* at most one, there or not */

struct schema_section_def {
	const char	*name;		/* NULL for the top */
	int		 flags;
	const char	*comment;	/* above the first one, saved */
};

/* Enumerations: the model stores the index into these NULL-ended lists. */
extern const char *const schema_arches[];
extern const char *const schema_accels[];
extern const char *const schema_diskifs[];
extern const char *const schema_networks[];
extern const char *const schema_bootmodes[];
extern const char *const schema_forward_froms[];
extern const char *const schema_protos[];
extern const char *const schema_vgas[];
extern const char *const schema_formats[];
extern const char *const schema_switches[];
extern const char *const schema_displays[];
extern const char *const schema_caches[];

extern const struct schema_key		schema_keys[SCHEMA_NKEYS + 1];
extern const struct schema_section_def	schema_sections[SCHEMA_NSECTIONS];

cfg_opt_t		*schema_options(void);
const struct schema_key	*schema_find(const char *);
int			 schema_index(const char *);
int			 schema_section_index(const char *, size_t);
int			 schema_enum_index(const char *const *, const char *);
const char		*schema_key_name(const struct schema_key *);
size_t			 schema_nchoices(const struct schema_key *);

int	 schema_check_int(const struct schema_key *, long, char **);
int	 schema_check_str(const struct schema_key *, const char *, char **);
int	 schema_control(const char *);
int	 schema_check_text(const char *, const char *, char **);
int	 schema_check_name(const char *, char **);
int	 schema_check_tag(const char *, const char *, char **);
int	 schema_parse_size(const char *, long *, char **);
int	 schema_parse_int(const struct schema_key *, const char *, long *,
	     char **);
int	 schema_check_ipv4(const char *, char **);
int	 schema_check_guest_address(const char *, char **);
int	 schema_check_console(const char *, char **);
int	 schema_check_serial(const char *, char **);
int	 schema_check_resolution(const char *, char **);
int	 schema_check_display_address(const char *, char **);
int	 schema_resolution(const char *, long *, long *);
int	 schema_check_login(const char *, char **);
int	 schema_check_ssh_key(const char *, char **);
int	 schema_key_line(const char *);
int	 schema_check_hostname(const char *, char **);
int	 schema_check_password(const char *, char **);
int	 schema_check_package(const char *, char **);
int	 schema_check_command(const char *, char **);
int	 schema_check_timezone(const char *, char **);

#endif
