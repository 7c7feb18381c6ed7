/*
 * download: HTTP(S) transfers with libcurl: a small text file into memory,
 * a large file appended to a partial file (so a next try resumes), with
 * progress and cancelling through a callback. Never prints.
 */
#ifndef VMTUI_DOWNLOAD_H
#define VMTUI_DOWNLOAD_H

#include <stddef.h>

struct download_progress {
	/*
	 * About four times a second and once at the end: what (a file's
	 * name), bytes done and in all (-1: not known), bytes a second.
	 * Nonzero cancels the transfer.
	 */
	int	(*fn)(void *, const char *, long long, long long, double);
	void	*arg;
};

#define DOWNLOAD_CANCELLED	(-2)

int	download_text(const char *, size_t, char **, char **);
int	download_file(const char *, const char *, const char *,
	    const struct download_progress *, char **);
int	download_describe(char *, size_t, long long, long long, double);

#endif
