/*
 * testutil: helpers shared by the cmocka tests: a private temp folder and
 * writing a profile's text to a file in it.
 */
#ifndef VMTUI_TESTUTIL_H
#define VMTUI_TESTUTIL_H

#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "paths.h"

static char test_dir[256];

/*
 * The folders of the machine whose profile is test_dir/NAME.conf, as its
 * identity names them (paths_machine): its runtime folder made (with its
 * parents), its path copied to run and its data folder's to data (each
 * when not NULL). XDG_RUNTIME_DIR and XDG_DATA_HOME are the test's.
 */
static __attribute__((unused)) void
test_machine_dirs(const char *name, char *run, size_t runlen, char *data,
    size_t datalen)
{
	struct paths_machine	m;
	char			file[512];

	snprintf(file, sizeof file, "%s/%s.conf", test_dir, name);
	assert_int_equal(paths_machine(name, test_dir, file, &m), 0);
	assert_int_equal(paths_mkdirs(m.runtime, 0700), 0);
	if (run != NULL)
		snprintf(run, runlen, "%s", m.runtime);
	if (data != NULL)
		snprintf(data, datalen, "%s", m.data);
	paths_machine_free(&m);
}

static __attribute__((unused)) int
test_setup_dir(void **state)
{
	(void)state;
	snprintf(test_dir, sizeof test_dir, "%s/vmtui-unit.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(test_dir) == NULL)
		return -1;
	return 0;
}

static __attribute__((unused)) int
test_remove_dir(void **state)
{
	char	cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write text to test_dir/name and return the path (static buffer). */
static __attribute__((unused)) const char *
test_write(const char *name, const char *text, size_t len)
{
	static char	 path[512];
	FILE		*f;

	snprintf(path, sizeof path, "%s/%s", test_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

#define test_write_str(name, text)	test_write((name), (text), strlen(text))

/* A malloc'd string member (a profile's value) set to a copy of value. */
static __attribute__((unused)) void
test_set_str(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

#ifdef VMTUI_PROFILE_H
#include "buf.h"
#include "validate.h"

/*
 * Load text as test_dir/name. NULL when it loads; else its problems, with
 * "DIR/" written as prefix (so that messages compare across runs).
 */
static __attribute__((unused)) char *
test_load_problems(const char *name, const char *text, size_t len,
    const char *prefix)
{
	struct profile	*p = NULL;
	const char	*path, *s;
	char		*cause = NULL;
	struct buf	 b;
	size_t		 dlen = strlen(test_dir);

	path = test_write(name, text, len);
	if (validate_load(path, &p, &cause) == 0) {
		profile_free(p);
		return NULL;
	}
	assert_null(p);
	assert_non_null(cause);
	buf_init(&b);
	for (s = cause; *s != '\0'; s++) {
		if (strncmp(s, test_dir, dlen) == 0 && s[dlen] == '/') {
			buf_puts(&b, prefix);
			s += dlen;
			continue;
		}
		buf_putc(&b, *s);
	}
	free(cause);
	return buf_finish(&b, NULL);
}
#endif

#endif
