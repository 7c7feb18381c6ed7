/*
 * Unit tests of core/buf.c: appends of every kind, growth past the first
 * allocation, an empty buffer finishing as "", and a failure that sticks
 * (the text is refused, not truncated).
 */
#include "testutil.h"

#include "buf.h"

static void
test_build(void **state)
{
	struct buf	 b;
	char		*s, big[1000];
	size_t		 len = 0;
	int		 i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "a,");
	buf_putc(&b, 'b');
	buf_add(&b, "\0c", 2);
	buf_printf(&b, "[%d %s]", 42, "x");
	s = buf_finish(&b, &len);
	assert_int_equal(len, 11);
	assert_memory_equal(s, "a,b\0c[42 x]", 12);
	free(s);
	/* the buffer is fresh again after finish */
	assert_null(b.data);
	assert_int_equal(b.len, 0);

	/* past the first 256 bytes, and printf past them too */
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_init(&b);
	for (i = 0; i < 10; i++)
		buf_puts(&b, big);
	buf_printf(&b, "%s!", big);
	s = buf_finish(&b, &len);
	assert_int_equal(len, 11 * 999 + 1);
	assert_int_equal(strlen(s), len);
	assert_int_equal(s[len - 1], '!');
	free(s);
}

static void
test_empty_and_failed(void **state)
{
	struct buf	 b;
	char		*s;
	size_t		 len = 7;

	(void)state;
	buf_init(&b);
	s = buf_finish(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	/* a failure sticks: later appends do nothing, finish says NULL */
	buf_init(&b);
	buf_puts(&b, "kept?");
	b.failed = 1;
	buf_puts(&b, "more");
	assert_int_equal(b.len, 5);
	assert_null(buf_finish(&b, NULL));
	assert_null(b.data);

	/* a size that cannot be had fails, and does not overflow */
	buf_init(&b);
	buf_puts(&b, "x");
	buf_add(&b, "y", (size_t)-1 / 2);
	assert_true(b.failed);
	assert_null(buf_finish(&b, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_empty_and_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
