/*
 * download: libcurl does the transfers (redirects within http and https,
 * TLS, ranges); this file adds what vmtui needs around it: a partial file
 * that only grows, resuming from its size, a size cap for text, and
 * messages that say what happened and what to do.
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
#include "dynlib.h"
#include "download.h"

DYNLIB_NOTE(download_note, "curl", "downloads from the catalog's mirrors",
    "recommended", CURL_SONAME);

struct download_job {
	const struct download_progress	*pr;
	const char			*what;
	CURL				*curl;
	int				 fd;		/* file, or -1 */
	char				*text;		/* text, or NULL */
	size_t				 len, max;
	long long			 have;		/* before this try */
	struct timespec			 last;
	int				 failed;	/* errno of a write */
	int				 cancelled;
	int				 ended;		/* end reported */
};

/* libcurl, opened on first use (dynlib.h says why): what this file calls. */
#define DOWNLOAD_CURL(X)						\
	X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init)	\
	X(curl_easy_perform) X(curl_easy_setopt) X(curl_easy_strerror)	\
	X(curl_global_init)

DYNLIB_TABLE(lc, download_names, DOWNLOAD_CURL);

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
	/* a transfer that stalls for a minute has stopped */
	lc.curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	lc.curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	return c;
}

static size_t
download_write(char *data, size_t size, size_t n, void *arg)
{
	struct download_job	*j = arg;
	size_t			 len = size * n, off;
	ssize_t			 w;
	char			*t;

	if (j->fd == -1) {
		if (j->len + len > j->max) {
			j->failed = EFBIG;
			return 0;
		}
		if ((t = realloc(j->text, j->len + len + 1)) == NULL) {
			j->failed = ENOMEM;
			return 0;
		}
		j->text = t;
		memcpy(j->text + j->len, data, len);
		j->len += len;
		j->text[j->len] = '\0';
		return len;
	}
	for (off = 0; off < len; off += (size_t)w)
		if ((w = write(j->fd, data + off, len - off)) < 0) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			j->failed = errno;
			return 0;
		}
	return len;
}

static int
download_xfer(void *arg, curl_off_t total, curl_off_t now, curl_off_t ut,
    curl_off_t un)
{
	struct download_job	*j = arg;
	struct timespec		 ts;
	curl_off_t		 rate = 0;
	long			 ms;

	(void)ut;
	(void)un;
	if (j->pr == NULL || j->pr->fn == NULL || j->ended ||
	    (now == 0 && total == 0))
		return 0;	/* nothing to say before the headers */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = (ts.tv_sec - j->last.tv_sec) * 1000 +
	    (ts.tv_nsec - j->last.tv_nsec) / 1000000;
	if (ms < 250 && (total == 0 || now != total))
		return 0;
	j->last = ts;
	j->ended = total > 0 && now == total;
	lc.curl_easy_getinfo(j->curl, CURLINFO_SPEED_DOWNLOAD_T, &rate);
	if (j->pr->fn(j->pr->arg, j->what, j->have + (long long)now,
	    total > 0 ? j->have + (long long)total : -1, (double)rate) != 0) {
		j->cancelled = 1;
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
 * Run the transfer set up on j->curl: 0, or -1 (DOWNLOAD_CANCELLED) with
 * a cause that names url and what to do.
 */
static int
download_run(struct download_job *j, const char *url, char **cause)
{
	char		 err[CURL_ERROR_SIZE] = "";
	curl_off_t	 got = 0, want = -1;
	CURLcode	 rc;
	long		 code = 0;
	char		*a, *b;
	int		 r;

	lc.curl_easy_setopt(j->curl, CURLOPT_URL, url);
	lc.curl_easy_setopt(j->curl, CURLOPT_ERRORBUFFER, err);
	lc.curl_easy_setopt(j->curl, CURLOPT_WRITEFUNCTION, download_write);
	lc.curl_easy_setopt(j->curl, CURLOPT_WRITEDATA, j);
	lc.curl_easy_setopt(j->curl, CURLOPT_NOPROGRESS, 0L);
	lc.curl_easy_setopt(j->curl, CURLOPT_XFERINFOFUNCTION, download_xfer);
	lc.curl_easy_setopt(j->curl, CURLOPT_XFERINFODATA, j);
	clock_gettime(CLOCK_MONOTONIC, &j->last);
	j->last.tv_sec -= 1;
	rc = lc.curl_easy_perform(j->curl);
	lc.curl_easy_getinfo(j->curl, CURLINFO_RESPONSE_CODE, &code);
	lc.curl_easy_getinfo(j->curl, CURLINFO_SIZE_DOWNLOAD_T, &got);
	lc.curl_easy_getinfo(j->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &want);
	if (rc == CURLE_OK)
		return 0;
	if (j->cancelled || rc == CURLE_ABORTED_BY_CALLBACK) {
		diag_cause(cause, "%s: cancelled%s", url, j->fd != -1 ?
		    "; what arrived is kept, and the next try goes on from "
		    "there" : "");
		return DOWNLOAD_CANCELLED;
	}
	if (rc == CURLE_HTTP_RETURNED_ERROR)
		return diag_cause(cause, "%s: the server answered HTTP %ld%s",
		    url, code, code == 404 ? " (not found): the catalog entry "
		    "or the mirror is out of date" : "");
	if (rc == CURLE_WRITE_ERROR && j->failed != 0)
		return diag_cause(cause, "%s: %s", url, j->failed == EFBIG ?
		    "larger than a checksum file can be" :
		    strerror(j->failed));
	if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	    rc == CURLE_COULDNT_RESOLVE_PROXY)
		return diag_cause(cause, "%s: cannot reach the server (%s); "
		    "is the network up, or the mirror right (VMTUI_MIRROR_...)?",
		    url, *err ? err : lc.curl_easy_strerror(rc));
	if (j->fd != -1 && (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING ||
	    rc == CURLE_SEND_ERROR)) {
		a = download_mib(j->have + (long long)got);
		b = want > 0 ? download_mib(j->have + (long long)want) : NULL;
		r = diag_cause(cause, "%s: the transfer stopped after %s%s%s "
		    "(%s); what arrived is kept, and the next try goes on from "
		    "there", url, a ? a : "?", b ? " of " : "", b ? b : "",
		    *err ? err : lc.curl_easy_strerror(rc));
		free(a);
		free(b);
		return r;
	}
	return diag_cause(cause, "%s: %s", url, *err ? err :
	    lc.curl_easy_strerror(rc));
}

/* A small file (a checksum file) into *text, at most max bytes. */
int
download_text(const char *url, size_t max, char **text, char **cause)
{
	struct download_job	j;
	int			r;

	memset(&j, 0, sizeof j);
	j.fd = -1;
	j.max = max;
	j.what = url;
	if ((j.curl = download_init(cause)) == NULL)
		return -1;
	r = download_run(&j, url, cause);
	lc.curl_easy_cleanup(j.curl);
	if (r != 0) {
		free(j.text);
		return r;
	}
	if (j.text == NULL && (j.text = strdup("")) == NULL)
		return diag_cause(cause, "out of memory");
	*text = j.text;
	return 0;
}

/*
 * url into the partial file part (made 0644 if missing, never through a
 * symbolic link), from where it ends: a server that cannot resume makes
 * it start over. what names the file in progress reports.
 */
int
download_file(const char *url, const char *part, const char *what,
    const struct download_progress *pr, char **cause)
{
	struct download_job	j;
	struct stat		st;
	long			code = 0;
	int			r, again;

	memset(&j, 0, sizeof j);
	j.pr = pr;
	j.what = what;
	if ((j.fd = open(part, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1)
		return diag_cause(cause, "%s: %s", part, strerror(errno));
	if (fstat(j.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(j.fd);
		return diag_cause(cause, "%s: not a plain file", part);
	}
	for (again = 1; again >= 0; again--) {
		if ((j.curl = download_init(cause)) == NULL) {
			close(j.fd);
			return -1;
		}
		j.have = (long long)lseek(j.fd, 0, SEEK_END);
		if (j.have > 0)
			lc.curl_easy_setopt(j.curl, CURLOPT_RESUME_FROM_LARGE,
			    (curl_off_t)j.have);
		r = download_run(&j, url, cause);
		lc.curl_easy_getinfo(j.curl, CURLINFO_RESPONSE_CODE, &code);
		lc.curl_easy_cleanup(j.curl);
		if (r == 0 || j.have == 0)
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
		if (ftruncate(j.fd, 0) != 0) {
			r = diag_cause(cause, "%s: %s", part, strerror(errno));
			break;
		}
	}
	if (close(j.fd) != 0 && r == 0)
		r = diag_cause(cause, "%s: %s", part, strerror(errno));
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
