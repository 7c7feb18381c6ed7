/*
 * fields: the editor's fields as data (topic, label, key path, kind), and
 * each value as the text a form shows and takes back. Text is escaped so
 * that every value the loader accepts survives a pass through a field byte
 * for byte: a backslash as \\, a newline, tab or carriage return as \n, \t,
 * \r, other control characters and bytes that are not UTF-8 as \xHH, and
 * trailing spaces (which a form cannot tell from padding) as \x20. Typed
 * text is read back with the same escapes and checked with the loader's
 * rules (schema_check_text).
 */
#ifndef VMTUI_FIELDS_H
#define VMTUI_FIELDS_H

#include "profile.h"

enum fields_kind {
	FIELDS_TEXT,
	FIELDS_INT,
	FIELDS_ENUM,	/* chosen from fields_choices() */
	FIELDS_FIXED,	/* shown, not edited here */
};

struct fields_def {
	int			 topic;
	const char		*label;	/* NULL for the columns of a row */
	const char		*head;	/* a row's column heading; outside
					   rows a marked field's heading */
	const char		*path;	/* schema path, or a pseudo key */
	enum fields_kind	 kind;
	int			 row;	/* one per disk, share or forward */
	int			 needs;	/* shown only with this optional
					   section: SCHEMA_ROOT_DISK,
					   SCHEMA_CLOUD_INIT; 0 always */
};

/* The editor's topics, a form each; three of them are rows. */
enum fields_topic {
	FIELDS_GENERAL,
	FIELDS_DISKS,		/* rows of SCHEMA_DISK */
	FIELDS_SHARES,		/* rows of SCHEMA_SHARE */
	FIELDS_FORWARDS,	/* rows of SCHEMA_FORWARD */
	FIELDS_BOOT,
	FIELDS_ADVANCED,
	FIELDS_CLOUD_INIT,
	FIELDS_NTOPICS
};

extern const char *const	fields_topics[FIELDS_NTOPICS];
extern const struct fields_def	fields_table[];

const char *const	*fields_choices(const char *);
bool			 fields_shown(const struct profile *,
			     const struct fields_def *);
int			 fields_section(int);
size_t			 fields_rows(const struct profile *, int);
char			*fields_get(const struct profile *, const char *, int);
int			 fields_set(struct profile *, const char *, int,
			     const char *, char **);
char			*fields_encode(const char *, int);
int			 fields_decode(const char *, size_t, char **, char **);
int			 fields_title_free(const struct profile *,
			     const char *, int, const char *, char **);
char			*fields_warning(const struct profile *, const char *,
			     int);

#endif
