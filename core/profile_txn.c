/*
 * profile_txn: a transaction holds the profile's save lock (lock.c: in the
 * private runtime folder, waited for up to LOCK_WAIT_MS) from before it
 * reads the file until the new one is in place. It reads the text once,
 * parses that text (never the file again), patches it to hold the changed
 * profile (profile_patch.c) and saves it atomically, checked by reading it
 * back (profile_save.c). Where the text cannot be patched it is written
 * out whole, with only what the file had and what is not a default.
 *
 * Who changes a profile this way: --set and --unset, the editor's save,
 * a copy or a rename, the installer's switch to the disk.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "profile_patch.h"
#include "profile_save.h"
#include "profile_txn.h"

/*
 * Lock the profile at path and read it: txn->text and txn->old. With
 * PROFILE_TXN_NOT_EDITED, refused while an editor has it open; with
 * PROFILE_TXN_GONE_OK, a file that is not there is no error (both NULL:
 * the commit makes it anew). -1 and why (the transaction is over then:
 * no profile_txn_end needed).
 */
int
profile_txn_begin(const char *path, int flags, struct profile_txn *txn,
    char **cause)
{
	size_t	len;

	*cause = NULL;
	memset(txn, 0, sizeof *txn);
	txn->lock.fd = -1;
	if ((txn->path = strdup(path)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	if (lock_save(path, &txn->lock, LOCK_WAIT_MS, cause) != 0 ||
	    ((flags & PROFILE_TXN_NOT_EDITED) && lock_edited(path,
	    cause) != 0)) {
		profile_txn_end(txn);
		return -1;
	}
	if ((flags & PROFILE_TXN_GONE_OK) && access(path, F_OK) != 0 &&
	    errno == ENOENT)
		return 0;
	if (profile_read_file(path, &txn->text, &len, cause) != 0 ||
	    profile_parse_text(path, txn->text, len, NULL, &txn->old,
	    cause) != 0) {
		profile_txn_end(txn);
		return -1;
	}
	return 0;
}

/* Another copy of what the file holds, to change. */
int
profile_txn_load(const struct profile_txn *txn, struct profile **p,
    char **cause)
{
	if (txn->text == NULL)
		return diag_cause(cause, "%s: no such file", txn->path);
	return profile_parse_text(txn->path, txn->text, strlen(txn->text),
	    NULL, p, cause);
}

/*
 * The text for now: the file's patched, else written out whole (*note
 * says so when note is not NULL). NULL: out of memory.
 */
static char *
profile_txn_text(const struct profile_txn *txn, const struct profile *now,
    const bool *drop, const char *file, char **note)
{
	char	*out = NULL;

	if (txn->text == NULL)
		return profile_format_brief(now);
	switch (profile_patch(txn->text, txn->old, now, drop, &out)) {
	case 0:
		return out;
	case 1:
		if (note != NULL && asprintf(note, "%s was written out whole "
		    "(its text is not what it was read as)", file) < 0)
			*note = NULL;
		return profile_format_kept(now, txn->old, drop);
	default:
		return NULL;
	}
}

/*
 * The profile's file made to hold now (drop[id]: keys of the profile to
 * remove), atomically. *note, when note is not NULL: something to tell.
 */
int
profile_txn_commit(struct profile_txn *txn, const struct profile *now,
    const bool *drop, char **note, char **cause)
{
	char	*out;
	int	 r;

	*cause = NULL;
	if (note != NULL)
		*note = NULL;
	if ((out = profile_txn_text(txn, now, drop, txn->path, note)) == NULL)
		return diag_cause(cause, "out of memory");
	r = profile_save_text(now, txn->path, out, txn->text == NULL ?
	    ATOMIC_NEW : 0, cause);
	free(out);
	return r;
}

/*
 * A new profile at path (never over one) holding now, made from the file
 * of the transaction (a copy, a rename): its text patched, so that the
 * copy keeps the comments.
 */
int
profile_txn_create(struct profile_txn *txn, const struct profile *now,
    const char *path, char **cause)
{
	char	*out;
	int	 r;

	*cause = NULL;
	if ((out = profile_txn_text(txn, now, NULL, path, NULL)) == NULL)
		return diag_cause(cause, "out of memory");
	r = profile_save_text(now, path, out, ATOMIC_NEW, cause);
	free(out);
	return r;
}

/* The lock let go, what was read freed. */
void
profile_txn_end(struct profile_txn *txn)
{
	lock_release(&txn->lock);
	profile_free(txn->old);
	free(txn->text);
	free(txn->path);
	memset(txn, 0, sizeof *txn);
	txn->lock.fd = -1;
}

/*
 * Save p over the profile at path as one transaction: the file as it is
 * now, patched to hold p, or made anew when it went meanwhile (the
 * editor's save, with its lock held).
 */
int
profile_txn_save(const struct profile *p, const char *path, char **cause)
{
	struct profile_txn	txn;
	int			r;

	if (profile_txn_begin(path, PROFILE_TXN_GONE_OK, &txn, cause) != 0)
		return -1;
	r = profile_txn_commit(&txn, p, NULL, NULL, cause);
	profile_txn_end(&txn);
	return r;
}
