/*
 * download: HTTP(S) transfers with libcurl: a small text file into memory
 * (whole within a deadline), a large file appended to a partial file the
 * caller holds open (so a next try resumes), each with the most it can
 * be; progress and cancelling through a callback; a transfer slower than
 * an average over a window is stalled. VMTUI_DOWNLOAD_LIMITS="RATE:WINDOW:
 * DEADLINE" sets the limits (bytes a second, seconds, seconds) for tests.
 * Never prints.
 */
#ifndef VMTUI_DOWNLOAD_H
#define VMTUI_DOWNLOAD_H

#include <stddef.h>

struct download_progress {
	/*
	 * About four times a second from the start (done 0, in all -1
	 * before the server answers) and once at the end: what (a file's
	 * name), bytes done and in all (-1: not known), bytes a second.
	 * Nonzero cancels the transfer.
	 */
	int	(*fn)(void *, const char *, long long, long long, double);
	void	*arg;
};

/*
 * What stops a transfer besides a person: an average slower than rate
 * bytes a second over window seconds (a server that trickles a byte now
 * and then never trips a per-second limit, and would hold an install for
 * days), and a whole deadline for a small file.
 */
struct download_limits {
	long	rate;		/* bytes a second, on average over window */
	long	window;		/* seconds */
	long	deadline;	/* seconds, for a small file whole */
};

#define DOWNLOAD_CANCELLED	(-2)	/* the progress callback said so */
#define DOWNLOAD_TOO_LONG	(-3)	/* more than it can be: not kept */
#define DOWNLOAD_NO_SPACE	(-4)	/* the disk is full (ENOSPC) */

int	download_text(const char *, size_t, const char *,
	    const struct download_progress *, char **, char **);
int	download_file(const char *, int, long long, const char *,
	    const struct download_progress *, char **);
void	download_limits(struct download_limits *);
int	download_describe(char *, size_t, long long, long long, double);

#endif
