/*
 * Unit tests of core/launch.c: the script that runs is the rendered one,
 * written to the runtime folder, in the background form, in a session of
 * its own; what it prints goes to the console log, which appends, and
 * where each boot begins is noted; the exit status is the program's.
 */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "launch.h"
#include "script.h"

static int
setup(void **state)
{
	char		 path[600];
	const char	*qemu;

	if (test_setup_dir(state) != 0)
		return -1;
	qemu = test_write_str("qemu", "#!/bin/sh\nprintf 'line1\\nargs %s\\n' "
	    "\"$#\"\necho \"bg=$VMTUI_BACKGROUND\"\n"
	    "echo \"session=$(cut -d' ' -f6 /proc/$$/stat) pid=$$\"\n"
	    "read -r x || echo stdin-empty\nexit 3\n");
	chmod(qemu, 0755);
	snprintf(path, sizeof path, "%s/run", test_dir);
	setenv("XDG_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/state", test_dir);
	setenv("XDG_STATE_HOME", path, 1);
	return 0;
}

static void
test_run(void **state)
{
	struct profile	*p;
	struct plan	*pl;
	struct launch	 l;
	struct stat	 st;
	char		*cause = NULL, *text, buf[4096], bin[600], *want = NULL;
	int		 status, i;

	(void)state;
	p = profile_new("ln", test_dir);
	snprintf(bin, sizeof bin, "%s/qemu", test_dir);
	free(p->qemu_binary);
	p->qemu_binary = strdup(bin);
	p->accel = ACCEL_TCG;
	assert_int_equal(plan_build(p, &pl, &cause), 0);
	for (i = 0; i < 2; i++) {
		if (launch_start(pl, &l, &cause) != 0)
			fail_msg("%s", cause);
		assert_int_equal(launch_ready(&l, 10000, &status, &cause), 1);
		assert_int_equal(launch_status(status), 3);
		assert_int_equal(l.pid, -1);
		{
			FILE	*f = fopen(l.log_path, "r");
			size_t	 k;
			long	 sid = 0, pid = 1;
			char	*at;

			assert_non_null(f);
			assert_int_equal(fseek(f, (long)l.log_start, SEEK_SET),
			    0);
			k = fread(buf, 1, sizeof buf - 1, f);
			buf[k] = '\0';
			fclose(f);
			/* from this boot's start: its own output */
			assert_int_equal(strncmp(buf, "line1\nargs ", 11), 0);
			assert_non_null(strstr(buf, "bg=1\n"));
			assert_non_null(strstr(buf, "stdin-empty\n"));
			at = strstr(buf, "session=");
			assert_non_null(at);
			assert_int_equal(sscanf(at, "session=%ld pid=%ld", &sid,
			    &pid), 2);
			assert_int_equal(sid, pid);
		}
		/* where the boot begins, for a view that attaches later */
		{
			char	 path[700];
			FILE	*f;
			long	 start = -1;

			snprintf(path, sizeof path, "%s/console.start",
			    pl->runtime_dir);
			assert_non_null(f = fopen(path, "r"));
			assert_int_equal(fscanf(f, "%ld", &start), 1);
			fclose(f);
			assert_int_equal(start, (long)l.log_start);
			/* a log a boot: the last one's in console.log.1 */
			assert_int_equal(start, 0);
			snprintf(path, sizeof path, "%s.1", l.log_path);
			f = fopen(path, "r");
			if (i == 1) {
				assert_non_null(f);
				assert_non_null(fgets(buf, sizeof buf, f));
				assert_string_equal(buf, "line1\n");
			} else
				assert_null(f);
			if (f != NULL)
				fclose(f);
		}
		/* the script that ran is the rendered one, mode 0700 */
		text = script_render(pl);
		{
			FILE	*f = fopen(l.script, "r");
			char	 s[65536];
			size_t	 k;

			assert_non_null(f);
			k = fread(s, 1, sizeof s - 1, f);
			s[k] = '\0';
			fclose(f);
			assert_string_equal(s, text);
		}
		free(text);
		assert_int_equal(stat(l.script, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
		assert_int_equal(stat(pl->runtime_dir, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
		free(want);
		want = strdup(l.log_path);
		launch_close(&l);
	}
	/* two runs, a log each: the second's holds its own run only */
	{
		FILE	*f = fopen(want, "r");
		size_t	 k;

		assert_non_null(f);
		k = fread(buf, 1, sizeof buf - 1, f);
		buf[k] = '\0';
		fclose(f);
		assert_non_null(strstr(buf, "line1"));
		assert_null(strstr(strstr(buf, "line1") + 1, "line1"));
	}
	free(want);
	plan_free(pl);
	profile_free(p);
}

static void
test_status(void **state)
{
	(void)state;
	assert_int_equal(launch_status(0), 0);
	assert_int_equal(launch_status(7 << 8), 7);
	assert_int_equal(launch_status(SIGKILL), 128 + SIGKILL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, setup, test_remove_dir);
}
