/*
 * Unit tests of core/ports.c: listening ports read from real
 * /proc/net/tcp and tcp6 texts (tests/data/ports: this machine's own, and
 * one with listeners on the unspecified address, loopback and another
 * address, made for the test), loopback left out, hostile text (garbage,
 * huge lines, lines cut short, 65,535 listeners), the policy and the diff.
 */
#include "testutil.h"

#include "io.h"
#include "numv.h"
#include "ports.h"

/* The listening ports of the files in tests/data/ports named. */
static void
parse_files(struct ports *s, const char *const *names, size_t *sockets)
{
	char	path[512], *text, *cause = NULL;

	ports_clear(s);
	*sockets = 0;
	for (; *names != NULL; names++) {
		snprintf(path, sizeof path, "%s/ports/%s", TEST_DATA, *names);
		if (io_read_file(path, 1 << 20, &text, &cause) != 0)
			fail_msg("%s", cause);
		*sockets += ports_parse(s, text, strlen(text));
		free(text);
	}
}

/* s as "P P P" (static). */
static const char *
show(const struct ports *s)
{
	static char	buf[8192];
	uint16_t	v[1000];
	size_t		n, i, off = 0;

	n = ports_list(s, v, sizeof v / sizeof v[0]);
	buf[0] = '\0';
	for (i = 0; i < n && off < sizeof buf - 8; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%u",
		    i > 0 ? " " : "", v[i]);
	return buf;
}

/*
 * listeners-tcp/tcp6 were written from this machine's /proc/net/tcp and
 * tcp6 with listeners on 0.0.0.0:8765, :80, :2222, 192.0.2.2:9090,
 * 127.0.0.1:5000, 127.0.0.53:5353, 127.0.0.1:7000, [::]:7000 (v6 only),
 * [::1]:6000, [::ffff:127.0.0.1]:6001 and [::1]:8765, and a connection
 * to 8765 (this machine listened on 0.0.0.0:2024 and 127.0.0.1:34709).
 */
static void
test_real_files(void **state)
{
	static const char *const both[] = { "listeners-tcp",
	    "listeners-tcp6", NULL };
	static const char *const v6[] = { "listeners-tcp6", NULL };
	static const char *const host[] = { "host-tcp", "host-tcp6", NULL };
	struct ports	s, none, next;
	size_t		sockets;

	(void)state;
	parse_files(&s, both, &sockets);
	assert_int_equal(sockets, 12 + 4);
	/* 7000: loopback on v4, any on v6; 8765: any on v4, ::1 on v6 */
	assert_string_equal(show(&s), "80 2024 2222 7000 8765 9090");
	assert_int_equal(s.n, 6);
	assert_false(ports_has(&s, 5000));
	assert_false(ports_has(&s, 5353));
	assert_false(ports_has(&s, 6000));
	assert_false(ports_has(&s, 6001));
	assert_false(ports_has(&s, 34709));
	parse_files(&s, v6, &sockets);
	assert_string_equal(show(&s), "7000");
	parse_files(&s, host, &sockets);
	assert_int_equal(sockets, 3);
	assert_string_equal(show(&s), "2024");
	/* what is forwarded of the first */
	parse_files(&s, both, &sockets);
	ports_clear(&none);
	ports_choose(&s, &none, NULL, &next);
	assert_string_equal(show(&next), "2024 2222 7000 8765 9090");
}

/* Lines one at a time: what counts, what is loopback, what is junk. */
static void
test_lines(void **state)
{
	static const struct {
		const char	*line;
		long		 port;	/* -1: not a socket line */
	} cases[] = {
		{ "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:0"
		    "0000000 00000000  1000        0 1 1 0 100 0 0 10 0", 8080 },
		{ "   1: 0100007F:1F91 00000000:0000 0A 0", 0 },
		{ "   2: 0101007F:1F91 00000000:0000 0A 0", 0 },
		{ "   3: 0A02000F:1F92 00000000:0000 0A 0", 8082 },
		{ "   4: 0a02000f:1f93 00000000:0000 0a 0", 8083 },
		{ "   5: 00000000:1F94 00000000:0000 01 0", 0 },
		{ "   6: 00000000:0000 00000000:0000 0A 0", 0 },
		{ "   7: 00000000:FFFF 00000000:0000 0A 0", 65535 },
		{ "  sl  local_address rem_address   st tx_queue", -1 },
		/* cut short: no field after the state, or inside one */
		{ "   8: 00000000:1F95 00000000:0000 0A", -1 },
		{ "   8: 00000000:1F95 00000000:0000 0A ", -1 },
		{ "   8: 00000000:1F95 00000000:0000 0A x", -1 },
		{ "   9: 00000000:1F9", -1 },
		{ "  10: 00000000:1F96 00000000:0000 0", -1 },
		/* not the shape */
		{ "  11: 0000000:1F97 00000000:0000 0A 0", -1 },
		{ "  12: 00000000:1F97 0000000000000000000000000000000:0000 0A "
		    "0", -1 },
		{ "  13: 0000000G:1F97 00000000:0000 0A 0", -1 },
		{ "  14: 00000000:1F97 00000000:0000 0A0 0", -1 },
		{ "  15: 00000000:+F97 00000000:0000 0A 0", -1 },
		{ "  16 00000000:1F97 00000000:0000 0A 0", -1 },
		{ ": 00000000:1F97 00000000:0000 0A 0", -1 },
		{ "  17: 00000000:1F970 00000000:0000 0A 0", -1 },
		{ "", -1 },
		/* IPv6: any, ::1, v4-mapped loopback and another, an address */
		{ "   0: 00000000000000000000000000000000:1F98 0000000000000000"
		    "0000000000000000:0000 0A 00000000:00000000", 8088 },
		{ "   1: 00000000000000000000000001000000:1F99 0000000000000000"
		    "0000000000000000:0000 0A 0", 0 },
		{ "   2: 0000000000000000FFFF00000100007F:1F9A 0000000000000000"
		    "0000000000000000:0000 0A 0", 0 },
		{ "   3: 0000000000000000FFFF00000A02000F:1F9B 0000000000000000"
		    "0000000000000000:0000 0A 0", 8091 },
		{ "   4: 000080FE00000000FF005452FE123456:1F9C 0000000000000000"
		    "0000000000000000:0000 0A 0", 8092 },
		/* ::1 as a big-endian guest would print it: not loopback here */
		{ "   5: 00000000000000000000000000000001:1F9D 0000000000000000"
		    "0000000000000000:0000 0A 0", 8093 },
		/* a v6 local address with a v4 remote one */
		{ "   6: 00000000000000000000000000000000:1F9E 00000000:0000 0A "
		    "0", -1 },
	};
	struct ports	s;
	size_t		i, sockets;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ports_clear(&s);
		sockets = ports_parse(&s, cases[i].line, strlen(cases[i].line));
		if (sockets != (cases[i].port >= 0) || s.n !=
		    (cases[i].port > 0) || (cases[i].port > 0 &&
		    !ports_has(&s, cases[i].port)))
			fail_msg("line %zu (\"%s\"): %zu sockets, ports %s", i,
			    cases[i].line, sockets, show(&s));
		/* the same with a newline */
		ports_clear(&s);
		{
			char	buf[300];

			snprintf(buf, sizeof buf, "%s\n", cases[i].line);
			(void)ports_parse(&s, buf, strlen(buf));
			assert_int_equal(s.n, cases[i].port > 0);
		}
	}
}

/* The same set whatever the order, with garbage and no last newline. */
static void
test_garbage(void **state)
{
	static const char text[] =
	    "garbage\n\n\n\x01\x02\xff\n"
	    "   0: 00000000:2000 00000000:0000 0A 0\n"
	    "}}}}{{{{ : : : 0A 0A 0A\n"
	    "   1: 00000000:2001 00000000:0000 0A 0\r\n"
	    "   2: 00000000:2000 00000000:0000 0A 0\n"
	    "   3: 00000000:2002 00000000:0000 0A 0";
	static const char reversed[] =
	    "   3: 00000000:2002 00000000:0000 0A 0\n"
	    "   1: 00000000:2001 00000000:0000 0A 0\n"
	    "   0: 00000000:2000 00000000:0000 0A 0\n";
	static const char nul[] =
	    "   0: 00000000:2003\0 00000000:0000 0A 0\n"
	    "   1: 00000000:2004 00000000:0000 0A 0\n";
	struct ports	a, b;

	(void)state;
	ports_clear(&a);
	assert_int_equal(ports_parse(&a, text, sizeof text - 1), 4);
	assert_string_equal(show(&a), "8192 8193 8194");
	ports_clear(&b);
	(void)ports_parse(&b, reversed, sizeof reversed - 1);
	assert_memory_equal(&a, &b, sizeof a);
	/* a NUL in the middle of a line ends nothing else */
	ports_clear(&a);
	assert_int_equal(ports_parse(&a, nul, sizeof nul - 1), 1);
	assert_string_equal(show(&a), "8196");
}

/* A huge line, and every port listening: bounded, nothing made up. */
static void
test_huge(void **state)
{
	struct ports	 s, none, next;
	char		*text;
	size_t		 len = 0, room = 80 * 70000 + (1 << 20), i;
	long		 port;

	(void)state;
	text = malloc(room);
	memset(text, 'A', 1 << 20);
	text[(1 << 20) - 1] = '\n';
	len = 1 << 20;
	for (i = 0; i < 70000; i++)
		len += (size_t)snprintf(text + len, room - len,
		    "%6zu: %08X:%04zX 00000000:0000 0A 0 0 0\n", i,
		    i % 3 == 0 ? 0x0100007FU : 0U, i % 65536);
	ports_clear(&s);
	assert_int_equal(ports_parse(&s, text, len), 70000);
	free(text);
	/* every port but 0, and those only ever on loopback (i % 3 == 0) */
	for (port = 1; port <= 65535; port++)
		if (ports_has(&s, port) != (port % 3 != 0 ||
		    port + 65536 < 70000))
			fail_msg("port %ld", port);
	ports_clear(&none);
	ports_choose(&s, &none, NULL, &next);
	assert_int_equal(next.n, PORTS_FORWARD_MAX);
	assert_int_equal(ports_next(&next, 0), 1024);
}

/* Below 1024, 22 and the ignored ones left alone; at most 64, kept. */
static void
test_choose(void **state)
{
	struct ports	 listening, current, next, added, removed;
	struct numv	 ignore = { 0 };
	long		 port;

	(void)state;
	assert_false(ports_wanted(22, NULL));
	assert_false(ports_wanted(1023, NULL));
	assert_true(ports_wanted(1024, NULL));
	assert_true(ports_wanted(65535, NULL));
	assert_false(ports_wanted(65536, NULL));
	assert_false(ports_wanted(0, NULL));
	assert_int_equal(numv_add(&ignore, 8080), 0);
	assert_int_equal(numv_add(&ignore, 5432), 0);
	assert_false(ports_wanted(8080, &ignore));

	ports_clear(&listening);
	ports_clear(&current);
	for (port = 2000; port < 2100; port++)
		(void)ports_add(&listening, port);
	(void)ports_add(&listening, 22);
	(void)ports_add(&listening, 443);
	(void)ports_add(&listening, 8080);
	(void)ports_add(&listening, 5432);
	(void)ports_add(&listening, 9000);
	/* forwarded already: 9000 stays, 3000 (gone) goes */
	(void)ports_add(&current, 9000);
	(void)ports_add(&current, 3000);
	ports_choose(&listening, &current, &ignore, &next);
	assert_int_equal(next.n, 64);
	assert_true(ports_has(&next, 9000));
	assert_true(ports_has(&next, 2000));
	assert_true(ports_has(&next, 2062));
	assert_false(ports_has(&next, 2063));
	assert_false(ports_has(&next, 3000));
	assert_false(ports_has(&next, 8080));
	assert_false(ports_has(&next, 22));
	assert_false(ports_has(&next, 443));
	ports_diff(&current, &next, &added, &removed);
	assert_int_equal(added.n, 63);
	assert_string_equal(show(&removed), "3000");
	assert_false(ports_has(&added, 9000));

	/* a new lower listener never pushes out one forwarded already */
	current = next;
	(void)ports_add(&listening, 1500);
	ports_choose(&listening, &current, &ignore, &next);
	assert_memory_equal(&next, &current, sizeof next);
	/* one goes: the lowest waiting comes in */
	ports_del(&listening, 2010);
	ports_choose(&listening, &current, &ignore, &next);
	ports_diff(&current, &next, &added, &removed);
	assert_string_equal(show(&removed), "2010");
	assert_string_equal(show(&added), "1500");
	numv_free(&ignore);
}

/* The set's own operations, at its edges. */
static void
test_set(void **state)
{
	struct ports	s;
	uint16_t	v[3];

	(void)state;
	ports_clear(&s);
	assert_false(ports_add(&s, 0));
	assert_false(ports_add(&s, 65536));
	assert_false(ports_add(&s, -1));
	assert_true(ports_add(&s, 65535));
	assert_true(ports_add(&s, 1));
	assert_true(ports_add(&s, 64));
	assert_true(ports_add(&s, 64));
	assert_int_equal(s.n, 3);
	assert_int_equal(ports_next(&s, 0), 1);
	assert_int_equal(ports_next(&s, 1), 64);
	assert_int_equal(ports_next(&s, 64), 65535);
	assert_int_equal(ports_next(&s, 65535), 0);
	assert_int_equal(ports_next(&s, 70000), 0);
	assert_int_equal(ports_list(&s, v, 2), 2);
	assert_int_equal(v[1], 64);
	ports_del(&s, 64);
	ports_del(&s, 64);
	ports_del(&s, 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(show(&s), "1 65535");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_files),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
