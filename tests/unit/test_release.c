/*
 * Unit tests of core/release.c: a Release file's fields (Codename, Date,
 * Valid-Until), the SHA-256 and size of its SHA256 field, the checks that
 * refuse another suite, an old or future Release and an expired one, and
 * the newest Date remembered per url.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "release.h"

#define ABC	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SUMS	"main/installer-amd64/current/images/SHA256SUMS"

/* Debian's InRelease, signed text: the SHA256 field, not the MD5Sum one. */
static const char release[] =
    "Origin: Debian\n"
    "Suite: oldstable\n"
    "Codename: bookworm\n"
    "Date: Sat, 10 Aug 2024 09:40:13 UTC\n"
    "Valid-Until: Sat, 17 Aug 2024 09:40:13 UTC\n"
    "MD5Sum:\n"
    " 8bda4ce4f0530ae601d1d7a7c47eb927    78509 " SUMS "\n"
    "SHA256:\n"
    " " EMPTY "    78509 " SUMS "\n"
    " " ABC "  1234 main/binary-amd64/Packages\n";

static void
test_find(void **state)
{
	char		hex[CHECKSUM_HEX];
	long long	size = 0;

	(void)state;
	assert_int_equal(release_find(release, SUMS, hex, &size), 0);
	assert_string_equal(hex, EMPTY);
	assert_int_equal(size, 78509);
	assert_int_equal(release_find(release, "main/binary-amd64/Packages",
	    hex, &size), 0);
	assert_string_equal(hex, ABC);
	assert_int_equal(size, 1234);
	/* a part of a name is not the name */
	assert_int_equal(release_find(release, "Packages", hex, &size), -1);
	/* a size that is not a number is not a Release line */
	assert_int_equal(release_find("SHA256:\n " ABC " x1 y\n", "y", hex,
	    &size), -1);
	/* lines outside the SHA256 field do not count */
	assert_int_equal(release_find(" " ABC " 1 y\n", "y", hex, &size), -1);
	assert_int_equal(release_find("MD5Sum:\n " ABC " 1 y\n", "y", hex,
	    &size), -1);
	/* listed twice alike: fine; differently: not to be trusted */
	assert_int_equal(release_find("SHA256:\n " ABC " 1 y\n " ABC " 1 y\n",
	    "y", hex, &size), 0);
	assert_int_equal(release_find("SHA256:\n " ABC " 1 y\n " ABC " 2 y\n",
	    "y", hex, &size), -1);
	assert_int_equal(release_find("SHA256:\n " ABC " 1 y\n " EMPTY
	    " 1 y\n", "y", hex, &size), -1);
	assert_int_equal(release_find("", "y", hex, &size), -1);
}

static void
test_dates(void **state)
{
	static const struct {
		const char	*text;
		long long	 t;	/* -1: not a date */
	} dates[] = {
		{ "Sat, 10 Aug 2024 09:40:13 UTC", 1723282813 },
		{ "10 Aug 2024 09:40:13 UTC", 1723282813 },
		{ "Sat, 10 Aug 2024 09:40:13 GMT", 1723282813 },
		{ "Sat, 10 Aug 2024 09:40:13 +0000", 1723282813 },
		{ "Sat, 10 Aug 2024 11:40:13 +0200", 1723282813 },
		{ "Sat, 10 Aug 2024 09:40:13 Z", 1723282813 },
		{ "Thu, 1 Jan 1970 00:00:00 UTC", 0 },
		{ "Sat, 10 Aug 2024 09:40:13", -1 },
		{ "Sat, 10 Aug 2024 09:40:13 CEST", -1 },
		{ "Sat, 10 Agu 2024 09:40:13 UTC", -1 },
		{ "Sat, 10 Aug 24 09:40:13 UTC", -1 },
		{ "Sat, 10 Aug 20245 09:40:13 UTC", -1 },
		{ "Sat, 10 Aug 2024 9:40:13 UTC", -1 },
		{ "Sat, 10 Aug 2024 25:40:13 UTC", -1 },
		{ "Saturday, 10 Aug 2024 09:40:13 UTC", -1 },
		{ "Sat, 0 Aug 2024 09:40:13 UTC", -1 },
		{ "", -1 },
		{ "Sat,", -1 },
		{ "Sat, 10 Aug", -1 },
	};
	time_t	t;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		t = 7;
		if (release_date(dates[i].text, strlen(dates[i].text), &t) !=
		    (dates[i].t == -1 ? -1 : 0) ||
		    (dates[i].t != -1 && t != dates[i].t))
			fail_msg("\"%s\": %lld", dates[i].text, (long long)t);
	}
}

static void
test_parse(void **state)
{
	struct release	 r;
	const char	*v;
	size_t		 vlen;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(release_parse(release, &r, &cause), 0);
	assert_string_equal(r.codename, "bookworm");
	assert_int_equal(r.date, 1723282813);
	assert_int_equal(r.valid_until, 1723282813 + 7 * 86400);
	release_free(&r);
	/* fields in any case; none: -1 */
	assert_int_equal(release_parse("codename:  trixie \r\nX: y\n", &r,
	    &cause), 0);
	assert_string_equal(r.codename, "trixie");
	assert_int_equal(r.date, -1);
	assert_int_equal(r.valid_until, -1);
	release_free(&r);
	/* a field given twice, or a Date that is not one */
	assert_int_equal(release_parse("Codename: a\nCodename: b\n", &r,
	    &cause), -1);
	assert_non_null(strstr(cause, "Codename twice"));
	free(cause);
	cause = NULL;
	assert_int_equal(release_parse("Date: yesterday\n", &r, &cause), -1);
	assert_non_null(strstr(cause, "\"yesterday\" is not a date"));
	free(cause);
	cause = NULL;
	/* a continuation line is no field; a second paragraph is not read */
	assert_int_equal(release_parse("X: y\n Codename: a\n\nCodename: b\n",
	    &r, &cause), 0);
	assert_null(r.codename);
	/* a field's value ends with its line */
	assert_true(release_field("Date: x", 7, "Date", &v, &vlen));
	assert_int_equal(vlen, 1);
	assert_false(release_field("Date", 4, "Date", &v, &vlen));
	assert_false(release_field("Dates: x", 8, "Date", &v, &vlen));
	assert_false(release_field(" Date: x", 8, "Date", &v, &vlen));
}

/* r refused for codename at now after newest, saying want. */
static void
refused(const struct release *r, const char *codename, time_t now,
    time_t newest, const char *want)
{
	char	*cause = NULL;

	assert_int_equal(release_check(r, "U", codename, now, newest, &cause),
	    -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("want \"%s\" in \"%s\"", want, cause);
	free(cause);
}

static void
test_check(void **state)
{
	struct release	 r = { (char *)"bookworm", 1723282813, -1 };
	char		*cause = NULL;
	const time_t	 now = 1723282813 + 3600;

	(void)state;
	assert_int_equal(release_check(&r, "U", "bookworm", now, -1, &cause),
	    0);
	assert_int_equal(release_check(&r, "U", "bookworm", now, r.date,
	    &cause), 0);
	/* another suite: a downgrade */
	refused(&r, "trixie", now, -1, "U is the Release of bookworm, not "
	    "trixie");
	/* older than one taken before */
	refused(&r, "bookworm", now, r.date + 1, "dated 2024-08-10 09:40 UTC, "
	    "older than the one of 2024-08-10 09:40 UTC");
	/* in the future, beyond the clocks' skew */
	assert_int_equal(release_check(&r, "U", "bookworm",
	    r.date - RELEASE_SKEW + 1, -1, &cause), 0);
	refused(&r, "bookworm", r.date - RELEASE_SKEW - 1, -1,
	    "in the future");
	/* expired */
	r.valid_until = now - 1;
	refused(&r, "bookworm", now, -1, "expired on");
	r.valid_until = now;
	assert_int_equal(release_check(&r, "U", "bookworm", now, -1, &cause),
	    0);
	/* no Codename, no Date */
	r.date = -1;
	refused(&r, "bookworm", now, -1, "has no Date");
	r.codename = NULL;
	refused(&r, "bookworm", now, -1, "has no Codename");
	assert_null(cause);
}

/* The newest Date remembered for url in file. */
static long long
newest(const char *file, const char *url)
{
	char	*cause = NULL;
	time_t	 t = 7;

	assert_int_equal(release_newest(file, url, &t, &cause), 0);
	assert_null(cause);
	return (long long)t;
}

static void
test_remember(void **state)
{
	static const char a[] = "http://a/InRelease", b[] = "http://b/InRelease";
	char		 file[400], *cause = NULL;
	struct stat	 st;

	(void)state;
	snprintf(file, sizeof file, "%s/state/vmtui/.release-dates", test_dir);
	assert_int_equal(newest(file, a), -1);
	assert_int_equal(release_remember(file, a, 100, &cause), 0);
	assert_int_equal(release_remember(file, b, 50, &cause), 0);
	assert_int_equal(newest(file, a), 100);
	assert_int_equal(newest(file, b), 50);
	/* an older one does not replace it; a newer one does */
	assert_int_equal(release_remember(file, a, 90, &cause), 0);
	assert_int_equal(newest(file, a), 100);
	assert_int_equal(release_remember(file, a, 200, &cause), 0);
	assert_int_equal(newest(file, a), 200);
	assert_int_equal(newest(file, b), 50);
	/* a url that is the end of another is not that one */
	assert_int_equal(newest(file, "b/InRelease"), -1);
	/* private */
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_null(cause);
}

/*
 * Many installs remember at once, each its own url: every line is kept
 * (the read, the change and the write one locked transaction).
 */
static void
test_remember_race(void **state)
{
	enum { N = 24 };
	char	 file[400], run[400], url[64];
	pid_t	 pid[N];
	int	 i, status;

	(void)state;
	snprintf(run, sizeof run, "%s/run-race", test_dir);
	assert_int_equal(mkdir(run, 0700), 0);
	setenv("XDG_RUNTIME_DIR", run, 1);
	snprintf(file, sizeof file, "%s/race/vmtui/.release-dates", test_dir);
	for (i = 0; i < N; i++) {
		if ((pid[i] = fork()) == 0) {
			char	*cause = NULL;
			int	 k;

			/* each several times, so that they meet */
			for (k = 1; k <= 8; k++) {
				snprintf(url, sizeof url, "http://m%d/InRelease",
				    i);
				if (release_remember(file, url, 1000 + k,
				    &cause) != 0)
					_exit(1);
			}
			_exit(0);
		}
		assert_true(pid[i] > 0);
	}
	for (i = 0; i < N; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	for (i = 0; i < N; i++) {
		snprintf(url, sizeof url, "http://m%d/InRelease", i);
		assert_int_equal(newest(file, url), 1008);
	}
	unsetenv("XDG_RUNTIME_DIR");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_remember),
		cmocka_unit_test(test_remember_race),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
