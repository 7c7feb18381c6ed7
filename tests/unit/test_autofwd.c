/*
 * Unit tests of core/autofwd.c: which machines forward their guest's
 * ports on their own, what each look at the guest decides (the policy,
 * the profile's own forwards, the 64, ports that found no host port), the
 * host port each gets (the next free one), and the list kept in the
 * runtime folder read back as hostile text.
 */
#include "testutil.h"

#include <sys/stat.h>

#include "autofwd.h"
#include "numv.h"
#include "profile.h"

static struct profile *
base(void)
{
	struct profile	*p = profile_new("vm", test_dir);

	assert_non_null(p);
	return p;
}

static void
test_on(void **state)
{
	struct profile	*p = base();

	(void)state;
	assert_false(autofwd_on(p));
	p->has_cloud_init = true;
	assert_true(autofwd_on(p));
	p->auto_forward = AUTOFWD_FALSE;
	assert_false(autofwd_on(p));
	p->has_cloud_init = false;
	p->auto_forward = AUTOFWD_TRUE;
	assert_true(autofwd_on(p));
	p->guest_agent = false;
	assert_false(autofwd_on(p));
	p->guest_agent = true;
	p->network = NETWORK_NONE;
	assert_false(autofwd_on(p));
	profile_free(p);
}

/* The ports of a step's adds as "P P P" (static). */
static const char *
adds(const struct autofwd_step *st)
{
	static char	buf[1024];
	size_t		i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < st->nadd && off < sizeof buf - 8; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%u",
		    i ? " " : "", st->add[i]);
	return buf;
}

static void
test_decide(void **state)
{
	struct profile		*p = base();
	struct autofwd		 cur;
	struct autofwd_step	 st;
	struct ports		 l, failed;
	struct numv		 alone;
	long			 port;

	(void)state;
	/* the profile forwards 8080 already and ignores 5432 */
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].host_port = 18080;
	p->forwards[0].guest_port = 8080;
	assert_int_equal(numv_add(&p->auto_forward_ignore, 5432), 0);
	assert_int_equal(autofwd_left_alone(p, &alone), 0);
	memset(&cur, 0, sizeof cur);
	ports_clear(&l);
	ports_clear(&failed);
	ports_add(&l, 22);
	ports_add(&l, 80);
	ports_add(&l, 1023);
	ports_add(&l, 1024);
	ports_add(&l, 5432);
	ports_add(&l, 8080);
	ports_add(&l, 8765);
	autofwd_decide(&cur, &l, &alone, &failed, &st);
	assert_int_equal(st.nremove, 0);
	assert_string_equal(adds(&st), "1024 8765");
	assert_true(autofwd_added(&cur, 1024, 1024));
	assert_true(autofwd_added(&cur, 8765, 8766));
	/* nothing new: nothing to do */
	autofwd_decide(&cur, &l, &alone, &failed, &st);
	assert_int_equal(st.nremove + st.nadd, 0);
	/* 8765 stops listening: its forward goes, with its host port */
	ports_del(&l, 8765);
	autofwd_decide(&cur, &l, &alone, &failed, &st);
	assert_int_equal(st.nremove, 1);
	assert_int_equal(st.remove[0].guest, 8765);
	assert_int_equal(st.remove[0].host, 8766);
	assert_int_equal(st.nadd, 0);
	autofwd_removed(&cur, 8765);
	assert_int_equal(cur.n, 1);
	/* thousands of listeners: 64 at most, those forwarded kept first */
	for (port = 2000; port < 12000; port++)
		ports_add(&l, port);
	autofwd_decide(&cur, &l, &alone, &failed, &st);
	assert_int_equal(st.nremove, 0);
	assert_int_equal(st.nadd, PORTS_FORWARD_MAX - 1);
	assert_int_equal(st.add[0], 2000);
	/* a port that found no host port is not tried again, and takes no
	 * place of the 64 */
	ports_add(&failed, 2000);
	autofwd_decide(&cur, &l, &alone, &failed, &st);
	assert_int_equal(st.add[0], 2001);
	assert_int_equal(st.nadd, PORTS_FORWARD_MAX - 1);
	assert_int_equal(st.add[st.nadd - 1], 2000 + PORTS_FORWARD_MAX - 1);
	numv_free(&alone);
	profile_free(p);
}

/* Taken, as a bind would say: 8080, 8081 and 9000 here. */
static int
taken(long port)
{
	return port == 8080 || port == 8081 || port == 9000 ? 98 : 0;
}

static void
test_host_port(void **state)
{
	struct profile	*p = base();
	struct autofwd	 cur;

	(void)state;
	memset(&cur, 0, sizeof cur);
	assert_int_equal(autofwd_host_port(&cur, p, 8765, AUTOFWD_TRIES,
	    taken), 8765);
	assert_int_equal(autofwd_host_port(&cur, p, 8080, AUTOFWD_TRIES,
	    taken), 8082);
	/* another auto-forward and the profile's forward are taken too */
	assert_true(autofwd_added(&cur, 7000, 8082));
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].host_port = 8083;
	p->forwards[0].guest_port = 22;
	assert_int_equal(autofwd_host_port(&cur, p, 8080, AUTOFWD_TRIES,
	    taken), 8084);
	/* none free within the tries; never below 1024, never past 65535 */
	assert_int_equal(autofwd_host_port(&cur, p, 8080, 3, taken), 0);
	assert_int_equal(autofwd_host_port(&cur, p, 80, 1, taken), 1024);
	assert_int_equal(autofwd_host_port(&cur, p, 65535, 10, taken), 65535);
	assert_true(autofwd_added(&cur, 65535, 65535));
	assert_int_equal(autofwd_host_port(&cur, p, 65535, 10, taken), 0);
	/* the same guest port or host port twice: refused */
	assert_false(autofwd_added(&cur, 7000, 9999));
	assert_false(autofwd_added(&cur, 7001, 8082));
	profile_free(p);
}

static void
test_list_text(void **state)
{
	static const char hostile[] =
	    "8765 8765\n"
	    "8080 8081\n"
	    "8080 9000\n"		/* guest port twice */
	    "9001 8081\n"		/* host port twice */
	    "0 5\n70000 5\n5 70000\n"	/* out of range */
	    "123456789012345678901234567890 1\n"
	    "+5 5\n 5 5\n5  5\n5 5 \n5\t5\nx\n\n"
	    "7000 7000";		/* no newline: still a line */
	struct autofwd	cur;
	char		*text, line[32];
	long		i;
	size_t		n;

	(void)state;
	autofwd_parse(hostile, sizeof hostile - 1, &cur);
	text = autofwd_format(&cur);
	assert_string_equal(text, "8765 8765\n8080 8081\n7000 7000\n");
	free(text);
	/* a NUL inside ends nothing early and makes nothing up */
	autofwd_parse("1 1\0002 2\n3 3\n", 12, &cur);
	text = autofwd_format(&cur);
	assert_string_equal(text, "3 3\n");
	free(text);
	/* thousands of lines: 64 kept */
	text = malloc(70000 * 12);
	assert_non_null(text);
	n = 0;
	for (i = 1; i <= 70000 && i <= 65535; i++) {
		snprintf(line, sizeof line, "%ld %ld\n", i, i);
		memcpy(text + n, line, strlen(line));
		n += strlen(line);
	}
	autofwd_parse(text, n, &cur);
	free(text);
	assert_int_equal(cur.n, PORTS_FORWARD_MAX);
}

/* The list in the runtime folder, and the text people see. */
static void
test_runtime_list(void **state)
{
	struct autofwd	 cur, back;
	struct profile	*p = profile_new("vm", test_dir);
	char		 dir[400], *cause = NULL, *text;

	(void)state;
	snprintf(dir, sizeof dir, "%s/run", test_dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	test_machine_dirs("vm", NULL, 0, NULL, 0);
	snprintf(dir, sizeof dir, "%s/vm.conf", test_dir);
	p->file = strdup(dir);
	memset(&cur, 0, sizeof cur);
	assert_int_equal(autofwd_read(p, &back), -1);
	assert_true(autofwd_added(&cur, 8765, 8765));
	assert_true(autofwd_added(&cur, 8080, 8081));
	if (autofwd_write(p, &cur, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(autofwd_read(p, &back), 0);
	assert_int_equal(back.n, 2);
	assert_int_equal(back.v[1].host, 8081);
	/* not running: nothing to say */
	assert_null(autofwd_text(p));
	text = autofwd_format(&back);
	assert_string_equal(text, "8765 8765\n8080 8081\n");
	free(text);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_on),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_host_port),
		cmocka_unit_test(test_list_text),
		cmocka_unit_test(test_runtime_list),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
