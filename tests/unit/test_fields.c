/*
 * Unit tests of core/fields.c: every profile among the fixtures and the
 * fuzzer's regression inputs passes through every editor field (the text a
 * field shows, taken back as if the person had left it as it was) and
 * comes out the same, byte for byte, and saves and loads back the same;
 * the escapes each way; typed text checked as the loader checks it.
 */
#include "testutil.h"

#include <glob.h>

#include "fields.h"
#include "profile.h"
#include "profile_save.h"

/* Every field of every topic, as the editor lays them out. */
static void
pass_through(struct profile *p, const char *file)
{
	const struct fields_def	*d;
	char			*text, *cause = NULL;
	size_t			 rows, i, len;

	for (d = fields_table; d->path != NULL; d++) {
		if (d->needs && profile_count(p,
		    (enum schema_section)d->needs) == 0)
			continue;
		rows = d->row ? fields_rows(p, d->topic) : 1;
		for (i = 0; i < rows; i++) {
			text = fields_get(p, d->path, d->row ? (int)i : -1);
			assert_non_null(text);
			/* as a form gives it back: padded, then trimmed */
			len = strlen(text);
			while (len > 0 && text[len - 1] == ' ')
				text[--len] = '\0';
			if (fields_set(p, d->path, d->row ? (int)i : -1, text,
			    &cause) != 0)
				fail_msg("%s: field %s: \"%s\" not taken back: "
				    "%s", file, d->path, text, cause);
			free(text);
		}
	}
}

static void
test_every_fixture(void **state)
{
	static const char *const patterns[] = {
		TOP_SRCDIR "/tests/data/golden/*.conf",
		TOP_SRCDIR "/tests/data/unit/*.conf",
		TOP_SRCDIR "/tests/data/tui/*.conf",
		TOP_SRCDIR "/examples/*.conf",
		TOP_SRCDIR "/fuzz/regressions/*",
	};
	struct profile	*a, *b, *back;
	glob_t		 g;
	char		*cause = NULL, out[600];
	size_t		 i, k, loaded = 0;

	(void)state;
	snprintf(out, sizeof out, "%s/saved.conf", test_dir);
	for (k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
		if (glob(patterns[k], 0, NULL, &g) != 0)
			continue;
		for (i = 0; i < g.gl_pathc; i++) {
			if (profile_parse(g.gl_pathv[i], &a, &cause) != 0) {
				free(cause);	/* not a valid profile */
				cause = NULL;
				continue;
			}
			assert_int_equal(profile_parse(g.gl_pathv[i], &b,
			    &cause), 0);
			pass_through(b, g.gl_pathv[i]);
			if (!profile_equal(a, b))
				fail_msg("%s: a pass through the fields "
				    "changed it", g.gl_pathv[i]);
			unlink(out);
			if (profile_save(b, out, &cause) != 0)
				fail_msg("%s: %s", g.gl_pathv[i], cause);
			assert_int_equal(profile_parse(out, &back, &cause), 0);
			/* the saved file is named otherwise: names apart */
			free(back->name);
			back->name = strdup(a->name);
			if (!profile_equal(a, back))
				fail_msg("%s: saved, it reads back otherwise",
				    g.gl_pathv[i]);
			profile_free(back);
			profile_free(a);
			profile_free(b);
			loaded++;
		}
		globfree(&g);
	}
	/* the fixtures are there: a glob that found nothing fails */
	assert_true(loaded >= 15);
}

static void
test_encode(void **state)
{
	static const struct {
		const char	*value, *shown;
		int		 in_list;
	} cases[] = {
		{ "plain /path", "plain /path", 0 },
		{ "first line\nsecond", "first line\\nsecond", 0 },
		{ "a\tb   ", "a\\tb\\x20\\x20\\x20", 0 },
		{ "/path/vmlinux ", "/path/vmlinux\\x20", 0 },
		{ "caf\xe9", "caf\\xe9", 0 },
		{ "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac", 0 },
		{ "back\\slash", "back\\\\slash", 0 },
		{ "\x1b[0m\r\x7f", "\\x1b[0m\\r\\x7f", 0 },
		{ "\xc2\x85", "\\xc2\\x85", 0 },	/* C1 control NEL */
		/* a bidi override: what follows shown in another order */
		{ "a\xe2\x80\xae" "b", "a\\xe2\\x80\\xaeb", 0 },
		{ "  lead", "  lead", 0 },
		{ "a b", "a\\x20b", 1 },
		{ "", "\"\"", 1 },
		{ "\"\"", "\\x22\\x22", 1 },
	};
	char	*s, *back, *cause = NULL;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = fields_encode(cases[i].value, cases[i].in_list);
		assert_string_equal(s, cases[i].shown);
		if (!cases[i].in_list) {
			assert_int_equal(fields_decode(s, strlen(s), &back,
			    &cause), 0);
			assert_string_equal(back, cases[i].value);
			free(back);
		}
		free(s);
	}
	/* a backslash before anything else is itself; no NUL bytes */
	assert_int_equal(fields_decode("C:\\dir\\x4", 9, &back, &cause), 0);
	assert_string_equal(back, "C:\\dir\\x4");
	free(back);
	assert_int_equal(fields_decode("a\\x00b", 6, &back, &cause), -1);
	assert_non_null(strstr(cause, "NUL"));
	free(cause);
}

static void
test_typed(void **state)
{
	struct profile	*p;
	char		*cause = NULL, *s;

	(void)state;
	p = profile_new("t", "/");
	/* the escapes, typed: a newline in the description */
	assert_int_equal(fields_set(p, "description", -1, "one\\ntwo",
	    &cause), 0);
	assert_string_equal(p->description, "one\ntwo");
	/* a list: words, "" for an empty one, \x20 for a space inside */
	assert_int_equal(fields_set(p, "qemu|options", -1,
	    "-vga std \"\" a\\x20b", &cause), 0);
	assert_int_equal(p->qemu_options.n, 4);
	assert_string_equal(p->qemu_options.v[2], "");
	assert_string_equal(p->qemu_options.v[3], "a b");
	s = fields_get(p, "qemu|options", -1);
	assert_string_equal(s, "-vga std \"\" a\\x20b");
	free(s);
	/* the loader's rules */
	assert_int_equal(fields_set(p, "memory", -1, "8", &cause), -1);
	assert_non_null(strstr(cause, "memory must be from 16"));
	free(cause);
	assert_int_equal(fields_set(p, "accel", -1, "warp", &cause), -1);
	free(cause);
	/* numbers: apart at spaces or commas, each in range, none twice */
	assert_int_equal(fields_set(p, "vlans", -1, "2, 1 7", &cause), 0);
	assert_int_equal(p->vlans.n, 3);
	assert_int_equal(p->vlans.v[0], 2);
	assert_int_equal(p->vlans.v[2], 7);
	s = fields_get(p, "vlans", -1);
	assert_string_equal(s, "2 1 7");
	free(s);
	assert_int_equal(fields_set(p, "vlans", -1, "1 0", &cause), -1);
	assert_non_null(strstr(cause, "vlans must be from 1 to 255, not 0"));
	free(cause);
	assert_int_equal(fields_set(p, "vlans", -1, "3 3", &cause), -1);
	assert_non_null(strstr(cause, "3 is there twice"));
	free(cause);
	assert_int_equal(fields_set(p, "vlans", -1, "one", &cause), -1);
	assert_non_null(strstr(cause, "whole number"));
	free(cause);
	assert_int_equal(p->vlans.n, 3);	/* a refused text changes nothing */
	assert_int_equal(fields_set(p, "vlans", -1, "", &cause), 0);
	assert_int_equal(p->vlans.n, 0);
	/* an enum that may be left out: "auto" first, then its choices */
	s = fields_get(p, "root-disk|format", -1);
	assert_string_equal(s, "auto");
	free(s);
	assert_string_equal(fields_choices("root-disk|format")[2], "raw");
	assert_int_equal(fields_set(p, "root-disk|format", -1, "raw", &cause),
	    0);
	assert_int_equal(p->root_drive.format, FORMAT_RAW);
	assert_int_equal(fields_set(p, "root-disk|format", -1, "auto", &cause),
	    0);
	assert_int_equal(p->root_drive.format, FORMAT_UNSET);
	assert_int_equal(fields_set(p, "boot|mode", -1, "uefi", &cause), 0);
	assert_int_equal(p->boot_mode, BOOT_UEFI);
	s = fields_get(p, "boot|mode", -1);
	assert_string_equal(s, "uefi");
	free(s);
	assert_int_equal(fields_set(p, "boot|mode", -1, "auto", &cause), 0);
	assert_int_equal(p->boot_mode, BOOT_UNSET);
	assert_int_equal(fields_set(p, "root-disk|cache", -1, "unsafe", &cause),
	    0);
	assert_int_equal(fields_set(p, "display-address", -1, "0.0.0.0",
	    &cause), 0);
	assert_int_equal(fields_set(p, "display-address", -1, "example.com",
	    &cause), -1);
	free(cause);
	/* the name is the file's: not a field to change */
	assert_int_equal(fields_set(p, "name", -1, "t", &cause), 0);
	assert_int_equal(fields_set(p, "name", -1, "u", &cause), -1);
	assert_non_null(strstr(cause, "rename the machine with r"));
	free(cause);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fixture),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_typed),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
