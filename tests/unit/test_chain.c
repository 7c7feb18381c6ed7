/*
 * Unit tests of core/chain.c: qemu-img info's JSON read as hostile (an
 * image, or a chain; a backing file and a data file seen; NUL bytes, wrong
 * types, too many links refused), and, with the real qemu-img (skipped
 * without it), what an image stands on checked: a backing file the
 * profile does not name refused, the one it names taken when that one
 * stands on nothing, a data file refused.
 */
#include "testutil.h"

#include "chain.h"

static void
test_parse(void **state)
{
	static const char *const bad[] = {
		"", "[]", "3", "\"x\"", "{}", "{\"filename\": 3}",
		"{\"filename\": \"a\\u0000b\"}",
		"{\"filename\": \"a\", \"backing-filename\": []}",
		"{\"filename\": \"a\", \"format-specific\": 3}",
		"{\"filename\": \"a\", \"format-specific\": {\"data\": "
		"{\"data-file\": 1}}}",
		"{\"filename\": \"a\", \"filename\": \"b\"}",
		"[{\"filename\": \"a\"}, 7]",
	};
	struct chain	 c;
	char		*cause = NULL, big[64 * 20 + 8];
	size_t		 i, n;
	const char	*one = "{\"filename\": \"/v/a.qcow2\", \"format\": "
	    "\"qcow2\", \"backing-filename\": \"b.raw\", "
	    "\"full-backing-filename\": \"/v/b.raw\", \"format-specific\": "
	    "{\"type\": \"qcow2\", \"data\": {\"data-file\": \"/v/d\"}}}";
	const char	*two = "[{\"filename\": \"/v/o\", \"backing-filename\": "
	    "\"/v/b\"}, {\"filename\": \"/v/b\"}]";

	(void)state;
	assert_int_equal(chain_parse(one, strlen(one), &c, &cause), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].filename, "/v/a.qcow2");
	assert_string_equal(c.v[0].format, "qcow2");
	/* the full name, not the one as written */
	assert_string_equal(c.v[0].backing, "/v/b.raw");
	assert_string_equal(c.v[0].data_file, "/v/d");
	chain_free(&c);
	assert_int_equal(chain_parse(two, strlen(two), &c, &cause), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].backing, "/v/b");
	assert_null(c.v[1].backing);
	assert_null(c.v[1].format);
	chain_free(&c);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* "a\u0000b" is 17 bytes of text: the length is strlen's */
		if (chain_parse(bad[i], strlen(bad[i]), &c, &cause) == 0)
			fail_msg("case %zu: %s taken", i, bad[i]);
		assert_non_null(cause);
		assert_null(c.v);
		free(cause);
		cause = NULL;
	}
	/* more links than CHAIN_MAX */
	n = 0;
	big[n++] = '[';
	for (i = 0; i <= CHAIN_MAX; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "%s{\"filename"
		    "\":\"x\"}", i > 0 ? "," : "");
	big[n++] = ']';
	assert_int_not_equal(chain_parse(big, n, &c, &cause), 0);
	free(cause);
}

static void
test_check(void **state)
{
	char	 cmd[4096], img[600], key[600], base[600], ov[600], df[600];
	char	*why = NULL;

	(void)state;
	if (system("qemu-img --version >/dev/null 2>&1") != 0)
		skip();
	snprintf(key, sizeof key, "%s/secret.key", test_dir);
	snprintf(img, sizeof img, "%s/gift.qcow2", test_dir);
	snprintf(base, sizeof base, "%s/base.qcow2", test_dir);
	snprintf(ov, sizeof ov, "%s/ov.qcow2", test_dir);
	snprintf(df, sizeof df, "%s/df.qcow2", test_dir);
	snprintf(cmd, sizeof cmd, "cd '%s' && truncate -s 1M secret.key && "
	    "cp secret.key data.raw && "
	    "qemu-img create -q -f qcow2 -u -b '%s' -F raw gift.qcow2 1M && "
	    "qemu-img create -q -f qcow2 base.qcow2 1M && "
	    "qemu-img create -q -f qcow2 -b '%s' -F qcow2 ov.qcow2 && "
	    "qemu-img create -q -f qcow2 -o data_file=data.raw,"
	    "data_file_raw=on df.qcow2 1M", test_dir, key, base);
	assert_int_equal(system(cmd), 0);
	/* a backing file nobody named */
	assert_int_equal(chain_check_image(img, NULL, NULL, &why), 1);
	assert_non_null(strstr(why, key));
	free(why);
	/* another one than the profile names */
	assert_int_equal(chain_check_image(img, base, "qcow2", &why), 1);
	free(why);
	/* the one it names, which stands on nothing */
	assert_int_equal(chain_check_image(ov, base, "qcow2", &why), 0);
	assert_null(why);
	assert_int_equal(chain_check_image(base, NULL, NULL, &why), 0);
	/* a data file, always */
	assert_int_equal(chain_check_image(df, NULL, NULL, &why), 1);
	assert_non_null(strstr(why, "data-file"));
	free(why);
	/* named as the backing image, the gift stands on the key in turn */
	snprintf(cmd, sizeof cmd, "cd '%s' && qemu-img create -q -f qcow2 -u "
	    "-b '%s' -F qcow2 ov2.qcow2 1M", test_dir, img);
	assert_int_equal(system(cmd), 0);
	snprintf(ov, sizeof ov, "%s/ov2.qcow2", test_dir);
	assert_int_equal(chain_check_image(ov, img, "qcow2", &why), 1);
	assert_non_null(strstr(why, "in turn"));
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test_setup_teardown(test_check, test_setup_dir,
		    test_remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
