/*
 * atomic: replacing a file so that it is always either the old or the new
 * one, complete: temp file beside it, written, flushed, fsynced, checked,
 * renamed over, folder fsynced.
 */
#ifndef VMTUI_ATOMIC_H
#define VMTUI_ATOMIC_H

#include <stddef.h>

/* Checks the written temp file before it replaces the old one. */
typedef int (*atomic_verify_cb)(const char *, void *, char **);

int	atomic_write(const char *, const char *, size_t, atomic_verify_cb,
	    void *, char **);

#endif
