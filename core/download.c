/*
 * download: libcurl does the transfers (redirects within http and https,
 * TLS, ranges); this file adds what vmtui needs around it: a partial file
 * that only grows, resuming from its size, the most a file can be, a
 * person's cancel acted on within a second from the first moment (before
 * any header too), a stalled transfer stopped by its average speed, a
 * whole deadline for a small file, and messages that say what happened
 * and what to do.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* the calls go through pointers, which curl's type-checking macros are not */
#define CURL_DISABLE_TYPECHECK	1
#include <curl/curl.h>

#include "diag.h"
#include "download.h"
#include "dynlib.h"
#include "io.h"

#define DOWNLOAD_RATE		4096
#define DOWNLOAD_WINDOW		30
#define DOWNLOAD_DEADLINE	120

enum download_stop { STOP_NONE, STOP_PERSON, STOP_SLOW, STOP_LATE,
    STOP_LONG };

DYNLIB_NOTE(download_note, "curl", "downloads from the catalog's mirrors",
    "recommended", CURL_SONAME);

struct download_job {
	const struct download_progress	*pr;
	const char			*what;
	CURL				*curl;
	struct download_limits		 lim;
	int				 fd;		/* file, or -1 */
	char				*text;		/* text, or NULL */
	size_t				 len;
	long long			 max;		/* bytes in all, or 0 */
	long long			 have;		/* before this try */
	long long			 got;		/* in this try */
	long				 last;		/* ms of the last report */
	long				 win_at;	/* ms a window began */
	long long			 win_got;	/* got when it began */
	long				 deadline;	/* ms, or 0 */
	int				 failed;	/* errno of a write */
	enum download_stop		 stop;
	int				 ended;		/* end reported */
};

/* libcurl, opened on first use (dynlib.h says why): what this file calls. */
#define DOWNLOAD_CURL(X)						\
	X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init)	\
	X(curl_easy_perform) X(curl_easy_setopt) X(curl_easy_strerror)	\
	X(curl_global_init)

DYNLIB_TABLE(lc, download_names, DOWNLOAD_CURL);

/*
 * The limits: VMTUI_DOWNLOAD_LIMITS="RATE:WINDOW:DEADLINE" (bytes a
 * second, seconds, seconds; for tests, which cannot wait 30 s), else the
 * defaults. A value that is not a positive number keeps its default.
 */
void
download_limits(struct download_limits *lim)
{
	const char	*env = getenv("VMTUI_DOWNLOAD_LIMITS"), *p = env;
	long		*v[3], n;
	char		*end;
	int		 i;

	lim->rate = DOWNLOAD_RATE;
	lim->window = DOWNLOAD_WINDOW;
	lim->deadline = DOWNLOAD_DEADLINE;
	v[0] = &lim->rate;
	v[1] = &lim->window;
	v[2] = &lim->deadline;
	for (i = 0; p != NULL && i < 3; i++) {
		n = strtol(p, &end, 10);
		if (end != p && n > 0 && n < 1L << 30)
			*v[i] = n;
		p = *end == ':' ? end + 1 : NULL;
	}
}

/* A transfer handle set up as every download here wants it. */
static CURL *
download_init(char **cause)
{
	static bool	 done;
	CURL		*c;

	if (!done && (dynlib_load(CURL_SONAME, CURL_PACKAGE, download_names,
	    sizeof download_names / sizeof download_names[0], &lc, cause) != 0 ||
	    lc.curl_global_init(CURL_GLOBAL_DEFAULT) != 0)) {
		if (*cause == NULL)
			diag_cause(cause, "cannot start libcurl");
		return NULL;
	}
	done = true;
	if ((c = lc.curl_easy_init()) == NULL) {
		diag_cause(cause, "cannot start libcurl");
		return NULL;
	}
	lc.curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	lc.curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	lc.curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	lc.curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	lc.curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	lc.curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	lc.curl_easy_setopt(c, CURLOPT_USERAGENT, "vmtui/" PACKAGE_VERSION);
	lc.curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	return c;
}

static size_t
download_write(char *data, size_t size, size_t n, void *arg)
{
	struct download_job	*j = arg;
	size_t			 len = size * n;
	char			*t;

	if (j->max > 0 && j->have + j->got + (long long)len > j->max) {
		j->stop = STOP_LONG;
		return 0;
	}
	if (j->fd == -1) {
		if ((t = realloc(j->text, j->len + len + 1)) == NULL) {
			j->failed = ENOMEM;
			return 0;
		}
		j->text = t;
		memcpy(j->text + j->len, data, len);
		j->len += len;
		j->text[j->len] = '\0';
	} else if (io_write_all(j->fd, data, len) != 0) {
		j->failed = errno;
		return 0;
	}
	j->got += (long long)len;
	return len;
}

/*
 * libcurl's progress, called at least once a second from the start (also
 * while it connects and waits for the headers): the limits, a size said
 * to be more than can be, and the report (which may cancel) at most four
 * times a second and once at the end.
 */
static int
download_xfer(void *arg, curl_off_t total, curl_off_t now, curl_off_t ut,
    curl_off_t un)
{
	struct download_job	*j = arg;
	curl_off_t		 rate = 0;
	long			 ms = io_now_ms();
	int			 end;

	(void)ut;
	(void)un;
	if (j->deadline != 0 && ms >= j->deadline) {
		j->stop = STOP_LATE;
		return 1;
	}
	if (ms - j->win_at >= j->lim.window * 1000) {
		if ((long long)now - j->win_got < (long long)j->lim.rate *
		    j->lim.window) {
			j->stop = STOP_SLOW;
			return 1;
		}
		j->win_at = ms;
		j->win_got = (long long)now;
	}
	if (j->max > 0 && total > 0 && j->have + (long long)total > j->max) {
		j->stop = STOP_LONG;
		return 1;
	}
	end = total > 0 && now == total;
	if (j->pr == NULL || j->pr->fn == NULL || (j->ended && end) ||
	    (ms - j->last < 250 && !end))
		return 0;
	j->last = ms;
	j->ended = end;
	lc.curl_easy_getinfo(j->curl, CURLINFO_SPEED_DOWNLOAD_T, &rate);
	if (j->pr->fn(j->pr->arg, j->what, j->have + (long long)now,
	    total > 0 ? j->have + (long long)total : -1, (double)rate) != 0) {
		j->stop = STOP_PERSON;
		return 1;
	}
	return 0;
}

static char *
download_mib(long long n)
{
	char	*s;

	if (asprintf(&s, "%.1f MiB", (double)n / 1048576.0) < 0)
		return NULL;
	return s;
}

/*
 * Why a transfer that stopped part way stopped, and that the next try
 * goes on from there (a file) or nothing was kept (a text).
 */
static int
download_stopped(struct download_job *j, const char *url, const char *why,
    curl_off_t want, char **cause)
{
	char	*a, *b;
	int	 r;

	if (j->fd == -1)
		return diag_cause(cause, "%s: %s", url, why);
	a = download_mib(j->have + j->got);
	b = want > 0 ? download_mib(j->have + (long long)want) : NULL;
	r = diag_cause(cause, "%s: the transfer stopped after %s%s%s (%s); "
	    "what arrived is kept, and the next try goes on from there", url,
	    a ? a : "?", b ? " of " : "", b ? b : "", why);
	free(a);
	free(b);
	return r;
}

/*
 * Run the transfer set up on j->curl: 0, or -1 (DOWNLOAD_CANCELLED,
 * DOWNLOAD_TOO_LONG, DOWNLOAD_NO_SPACE) with a cause that names url, says what failed and
 * what to do.
 */
static int
download_run(struct download_job *j, const char *url, char **cause)
{
	char		 err[CURL_ERROR_SIZE] = "", why[160];
	curl_off_t	 want = -1;
	CURLcode	 rc;
	long		 code = 0, oserr = 0;

	lc.curl_easy_setopt(j->curl, CURLOPT_URL, url);
	lc.curl_easy_setopt(j->curl, CURLOPT_ERRORBUFFER, err);
	lc.curl_easy_setopt(j->curl, CURLOPT_WRITEFUNCTION, download_write);
	lc.curl_easy_setopt(j->curl, CURLOPT_WRITEDATA, j);
	lc.curl_easy_setopt(j->curl, CURLOPT_NOPROGRESS, 0L);
	lc.curl_easy_setopt(j->curl, CURLOPT_XFERINFOFUNCTION, download_xfer);
	lc.curl_easy_setopt(j->curl, CURLOPT_XFERINFODATA, j);
	j->got = 0;
	j->stop = STOP_NONE;
	j->win_at = io_now_ms();
	j->win_got = 0;
	j->last = j->win_at - 1000;
	rc = lc.curl_easy_perform(j->curl);
	lc.curl_easy_getinfo(j->curl, CURLINFO_RESPONSE_CODE, &code);
	lc.curl_easy_getinfo(j->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &want);
	if (rc == CURLE_OK)
		return 0;
	switch (j->stop) {
	case STOP_PERSON:
		diag_cause(cause, "%s: cancelled%s", url, j->fd != -1 ?
		    "; what arrived is kept, and the next try goes on from "
		    "there" : "");
		return DOWNLOAD_CANCELLED;
	case STOP_SLOW:
		snprintf(why, sizeof why, "stalled: slower than %.1f KiB/s "
		    "over %ld s", (double)j->lim.rate / 1024.0, j->lim.window);
		return download_stopped(j, url, why, want, cause);
	case STOP_LATE:
		return diag_cause(cause, "%s: not all here after %ld s (a "
		    "small file gets that long); the server is too slow, or "
		    "stalls", url, j->lim.deadline);
	case STOP_LONG:
		diag_cause(cause, "%s: longer than it can be (more than %lld "
		    "bytes)%s", url, j->max, j->fd != -1 ? "; what arrived "
		    "is not kept" : "");
		return DOWNLOAD_TOO_LONG;
	case STOP_NONE:
		break;
	}
	if (rc == CURLE_HTTP_RETURNED_ERROR)
		return diag_cause(cause, "%s: the server answered HTTP %ld%s",
		    url, code, code == 404 ? " (not found): this mirror does "
		    "not have it (another mirror may: VMTUI_MIRROR_NAME, or "
		    "mirror \"NAME\" in vmtui.conf), or the catalog entry is "
		    "out of date" : "");
	/* a full disk: the caller says what it removed and what it needs */
	if (rc == CURLE_WRITE_ERROR && j->failed == ENOSPC) {
		diag_cause(cause, "%s: %s", url, strerror(j->failed));
		return DOWNLOAD_NO_SPACE;
	}
	if (rc == CURLE_WRITE_ERROR && j->failed != 0)
		return diag_cause(cause, "%s: %s", url, strerror(j->failed));
	if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	    rc == CURLE_COULDNT_RESOLVE_PROXY ||
	    (rc == CURLE_OPERATION_TIMEDOUT && code == 0)) {
		/* curl's words, and the system's for a connection */
		lc.curl_easy_getinfo(j->curl, CURLINFO_OS_ERRNO, &oserr);
		return diag_cause(cause, "%s: cannot reach the server: %s%s%s%s; "
		    "is the network up, and the mirror's url right "
		    "(VMTUI_MIRROR_NAME, or mirror \"NAME\" in vmtui.conf)?",
		    url, *err ? err : lc.curl_easy_strerror(rc),
		    oserr != 0 ? " (" : "", oserr != 0 ?
		    strerror((int)oserr) : "", oserr != 0 ? ")" : "");
	}
	if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING ||
	    rc == CURLE_SEND_ERROR)
		return download_stopped(j, url, *err ? err :
		    lc.curl_easy_strerror(rc), want, cause);
	return diag_cause(cause, "%s: %s", url, *err ? err :
	    lc.curl_easy_strerror(rc));
}

/*
 * A small file (a checksum list, a Release) into *text: at most max
 * bytes, whole within the deadline; progress (which can cancel) as what.
 */
int
download_text(const char *url, size_t max, const char *what,
    const struct download_progress *pr, char **text, char **cause)
{
	struct download_job	j;
	int			r;

	memset(&j, 0, sizeof j);
	j.fd = -1;
	j.max = (long long)max;
	j.pr = pr;
	j.what = what;
	download_limits(&j.lim);
	j.deadline = io_now_ms() + j.lim.deadline * 1000;
	if ((j.curl = download_init(cause)) == NULL)
		return -1;
	r = download_run(&j, url, cause);
	lc.curl_easy_cleanup(j.curl);
	if (r != 0) {
		free(j.text);
		return r;
	}
	if (j.text != NULL && strlen(j.text) != j.len) {
		free(j.text);
		return diag_cause(cause, "%s: not text (a NUL byte)", url);
	}
	if (j.text == NULL && (j.text = strdup("")) == NULL)
		return diag_cause(cause, "out of memory");
	*text = j.text;
	return 0;
}

/*
 * url onto the end of the file open at fd (a partial download, which the
 * caller holds alone), going on from its size: a server that cannot
 * resume makes it start over. max (0: none) is the most the whole file
 * can be: a longer one stops as DOWNLOAD_TOO_LONG. what names the file in
 * progress reports.
 */
int
download_file(const char *url, int fd, long long max, const char *what,
    const struct download_progress *pr, char **cause)
{
	struct download_job	j;
	off_t			end;
	long			code = 0;
	int			r = -1, again;

	memset(&j, 0, sizeof j);
	j.pr = pr;
	j.what = what;
	j.fd = fd;
	j.max = max;
	download_limits(&j.lim);
	for (again = 1; again >= 0; again--) {
		if ((end = lseek(fd, 0, SEEK_END)) == -1)
			return diag_cause(cause, "%s: %s", what,
			    strerror(errno));
		if ((j.curl = download_init(cause)) == NULL)
			return -1;
		j.have = (long long)end;
		if (j.have > 0)
			lc.curl_easy_setopt(j.curl, CURLOPT_RESUME_FROM_LARGE,
			    (curl_off_t)j.have);
		r = download_run(&j, url, cause);
		lc.curl_easy_getinfo(j.curl, CURLINFO_RESPONSE_CODE, &code);
		lc.curl_easy_cleanup(j.curl);
		if (r == 0 || j.have == 0 || j.stop != STOP_NONE)
			break;
		if (code == 416) {
			/* all of it was here: the checksum decides */
			free(*cause);
			*cause = NULL;
			r = 0;
			break;
		}
		if (code != 200 || !again)
			break;
		/* the server sent all of it again: start over */
		free(*cause);
		*cause = NULL;
		if (ftruncate(fd, 0) != 0)
			return diag_cause(cause, "%s: %s", what,
			    strerror(errno));
	}
	return r;
}

/*
 * A progress report as people read it: "12.3 of 38.9 MiB, 8.2 MiB/s, 3 s
 * left" (what is not known is left out), and the share done, 0 to 1000,
 * or -1 when the size is not known.
 */
int
download_describe(char *buf, size_t size, long long done, long long total,
    double rate)
{
	double	left;
	int	n;

	if (total > 0)
		n = snprintf(buf, size, "%.1f of %.1f MiB",
		    (double)done / 1048576.0, (double)total / 1048576.0);
	else
		n = snprintf(buf, size, "%.1f MiB", (double)done / 1048576.0);
	if (n >= 0 && (size_t)n < size && rate > 0)
		n += snprintf(buf + n, size - (size_t)n, ", %.1f MiB/s",
		    rate / 1048576.0);
	if (n >= 0 && (size_t)n < size && rate > 0 && total > done) {
		left = (double)(total - done) / rate;
		if (left < 120)
			snprintf(buf + n, size - (size_t)n, ", %d s left",
			    (int)left + 1);
		else
			snprintf(buf + n, size - (size_t)n, ", %d min left",
			    (int)(left / 60) + 1);
	}
	if (total <= 0)
		return -1;
	return done >= total ? 1000 : (int)(done * 1000 / total);
}
