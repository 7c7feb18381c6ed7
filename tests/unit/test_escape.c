/*
 * The escape commands: the table (core/session.c's session_keys[], which
 * vmtui --keys lists for the launch view and the --no-tui console) against
 * what each front end dispatches (tui/view.c's commands, cli/run.c's). A
 * command the table gives a front end is one it obeys, and a front end
 * obeys no command the table does not give it.
 */
#include "testutil.h"

#include "app.h"
#include "keys.h"
#include "run.h"
#include "session.h"
#include "view.h"

/* The table's entry of cmd, or NULL. */
static const struct session_key *
entry(int cmd)
{
	const struct session_key	*k;

	for (k = session_keys; k->name != NULL; k++)
		if ((int)k->cmd == cmd)
			return k;
	return NULL;
}

static void
test_dispatch(void **state)
{
	const struct session_key	*k;
	int				 cmd;

	(void)state;
	for (cmd = 1; cmd < SESSION_NCMDS; cmd++) {
		k = entry(cmd);
		if (k == NULL)
			fail_msg("command %d is in no entry of the table", cmd);
		if (view_obeys(cmd) != ((k->where & SESSION_VIEW) != 0))
			fail_msg("the view %s \"%s\", the table says %s",
			    view_obeys(cmd) ? "obeys" : "does not obey",
			    k->name, k->where & SESSION_VIEW ? "it does" :
			    "it does not");
		if (run_obeys(cmd) != ((k->where & SESSION_TTY) != 0))
			fail_msg("--no-tui %s \"%s\", the table says %s",
			    run_obeys(cmd) ? "obeys" : "does not obey",
			    k->name, k->where & SESSION_TTY ? "it does" :
			    "it does not");
	}
	assert_false(view_obeys(0));
	assert_false(run_obeys(SESSION_NCMDS));
}

/* vmtui --keys lists, for each front end, the table's entries for it. */
static void
test_listed(void **state)
{
	const struct session_key	*k;
	struct keys_def			*d;
	char				*text = NULL, line[512];
	size_t				 len = 0;
	FILE				*f;

	(void)state;
	view_keys_make();
	d = view_keys;
	for (k = session_keys; k->name != NULL; k++) {
		if (!(k->where & SESSION_VIEW))
			continue;
		assert_non_null(d->name);
		assert_string_equal(d->name, k->name);
		assert_int_equal(d->action, (int)k->cmd);
		d++;
	}
	assert_null(d->name);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	run_keys_print(f);
	fclose(f);
	line[0] = '\0';
	for (k = session_keys; k->name != NULL; k++)
		if (k->where & SESSION_TTY) {
			snprintf(line + strlen(line), sizeof line - strlen(line),
			    "console\t%s\t", k->name);
			assert_non_null(strstr(text, line));
			line[0] = '\0';
		} else {
			snprintf(line, sizeof line, "console\t%s\t", k->name);
			assert_null(strstr(text, line));
			line[0] = '\0';
		}
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
