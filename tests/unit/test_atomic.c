/*
 * Unit tests of core/atomic.c with injected failures: write, fsync and
 * rename are wrapped (-Wl,--wrap) so that each can fail on demand. Whatever
 * fails, the old file stays intact and no temp file is left behind.
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "atomic.h"

ssize_t	__real_write(int, const void *, size_t);
int	__real_fsync(int);
int	__real_rename(const char *, const char *);
ssize_t	__wrap_write(int, const void *, size_t);
int	__wrap_fsync(int);
int	__wrap_rename(const char *, const char *);

static int fail_write, fail_fsync, fail_rename, short_writes;

ssize_t
__wrap_write(int fd, const void *p, size_t n)
{
	if (fail_write) {
		errno = fail_write;
		return -1;
	}
	if (short_writes && n > 1)
		n = 1;	/* the caller must loop */
	return __real_write(fd, p, n);
}

int
__wrap_fsync(int fd)
{
	if (fail_fsync) {
		errno = fail_fsync;
		return -1;
	}
	return __real_fsync(fd);
}

int
__wrap_rename(const char *a, const char *b)
{
	if (fail_rename) {
		errno = fail_rename;
		return -1;
	}
	return __real_rename(a, b);
}

static char *
slurp(const char *path)
{
	static char	 buf[4096];
	FILE		*f = fopen(path, "rb");
	size_t		 n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
temp_files(void)
{
	DIR		*d = opendir(test_dir);
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, ".p.conf.vmtui-", 14) == 0)
			n++;
	closedir(d);
	return n;
}

static int
refuse(const char *tmp, void *arg, char **cause)
{
	(void)tmp;
	(void)arg;
	*cause = strdup("refused by the check");
	return -1;
}

static void
test_failures_keep_old(void **state)
{
	static const char *const names[] = { "write", "fsync", "rename",
	    "verify" };
	struct atomic_opts o = { 0, 0, NULL, NULL, NULL };
	const char	*path;
	char		*cause;
	int		 i;

	(void)state;
	path = test_write_str("p.conf", "old content\n");
	for (i = 0; i < 4; i++) {
		fail_write = i == 0 ? ENOSPC : 0;
		fail_fsync = i == 1 ? EIO : 0;
		fail_rename = i == 2 ? EXDEV : 0;
		cause = NULL;
		o.verify = i == 3 ? refuse : NULL;
		assert_int_equal(atomic_write(path, "new content\n", 12, &o,
		    &cause), -1);
		fail_write = fail_fsync = fail_rename = 0;
		assert_non_null(cause);
		if (i == 0)
			assert_string_equal(strstr(cause, "writing"),
			    "writing: No space left on device; the old file "
			    "is unchanged");
		if (i == 3)
			assert_string_equal(cause, "refused by the check");
		free(cause);
		if (strcmp(slurp(path), "old content\n") != 0)
			fail_msg("%s failure changed the file", names[i]);
		assert_int_equal(temp_files(), 0);
	}
}

static void
test_success(void **state)
{
	struct stat	 st;
	const char	*path;
	char		*cause = NULL;

	(void)state;
	path = test_write_str("p.conf", "old\n");
	chmod(path, 0600);
	short_writes = 1;
	assert_int_equal(atomic_write(path, "brand new text\n", 15, NULL,
	    &cause), 0);
	short_writes = 0;
	assert_string_equal(slurp(path), "brand new text\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(temp_files(), 0);
}

static void
test_new_file_and_bad_folder(void **state)
{
	char	 path[512], *cause = NULL;

	(void)state;
	snprintf(path, sizeof path, "%s/fresh.conf", test_dir);
	assert_int_equal(atomic_write(path, "x\n", 2, NULL, &cause), 0);
	assert_string_equal(slurp(path), "x\n");
	snprintf(path, sizeof path, "%s/no/such/dir.conf", test_dir);
	assert_int_equal(atomic_write(path, "x\n", 2, NULL, &cause), -1);
	assert_non_null(strstr(cause, "opening its folder: No such file"));
	free(cause);
}

static void
test_sweep(void **state)
{
	char		 path[600], *cause = NULL;

	(void)state;
	/* what a killed save left behind goes with the next save */
	snprintf(path, sizeof path, "%s", test_write_str("p.conf", "old\n"));
	test_write_str(".p.conf.vmtui-abc123", "half a fi");
	test_write_str(".p.conf.vmtui-keepme-not-a-temp", "x");
	test_write_str(".p.conf.backup", "someone else's");
	assert_int_equal(temp_files(), 2);
	assert_int_equal(atomic_write(path, "new\n", 4, NULL, &cause), 0);
	assert_int_equal(temp_files(), 1);	/* only the look-alike stays */
	assert_string_equal(slurp(path), "new\n");
	/* another program's ".BASE.XXXXXX" is not ours to sweep */
	snprintf(path, sizeof path, "%s/.p.conf.backup", test_dir);
	assert_string_equal(slurp(path), "someone else's");
	snprintf(path, sizeof path, "%s/.p.conf.vmtui-keepme-not-a-temp",
	    test_dir);
	unlink(path);
}

static int
refuse_old(int fd, const char *path, void *arg, char **cause)
{
	char	buf[16];
	ssize_t	n = read(fd, buf, sizeof buf - 1);

	(void)path;
	buf[n > 0 ? n : 0] = '\0';
	*(int *)arg = strcmp(buf, "old\n") == 0;
	*cause = strdup("not mine");
	return -1;
}

static void
test_what_it_replaces(void **state)
{
	struct atomic_opts	 o = { 0, 0, NULL, refuse_old, NULL };
	struct stat		 st;
	char			 path[600], *cause = NULL;
	int			 seen = 0;

	(void)state;
	o.arg = &seen;
	snprintf(path, sizeof path, "%s", test_write_str("p.conf", "old\n"));
	/* the replace callback sees the old file and may say no */
	assert_int_equal(atomic_write(path, "new\n", 4, &o, &cause), -1);
	assert_true(seen);
	assert_string_equal(cause, "not mine");
	free(cause);
	assert_string_equal(slurp(path), "old\n");
	/* ATOMIC_NEW never replaces */
	o.replace = NULL;
	o.flags = ATOMIC_NEW;
	assert_int_equal(atomic_write(path, "new\n", 4, &o, &cause), -1);
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(cause, "exists already"));
	free(cause);
	assert_string_equal(slurp(path), "old\n");
	/* ... and makes a new file with the mode asked, less the umask */
	snprintf(path, sizeof path, "%s/made.conf", test_dir);
	o.mode = 0640;
	umask(0);
	assert_int_equal(atomic_write(path, "x\n", 2, &o, &cause), 0);
	umask(022);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* a FIFO, a folder: never replaced */
	snprintf(path, sizeof path, "%s/fifo", test_dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(atomic_write(path, "x\n", 2, NULL, &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(atomic_write(test_dir, "x\n", 2, NULL, &cause), -1);
	assert_non_null(strstr(cause, "folder"));
	free(cause);
	assert_int_equal(temp_files(), 0);
}

/* A symlink is followed only in a folder of ours that others cannot write. */
static void
test_symlinks(void **state)
{
	char	real[600], link[600], *cause = NULL;

	(void)state;
	snprintf(real, sizeof real, "%s", test_write_str("real", "old\n"));
	snprintf(link, sizeof link, "%s/link", test_dir);
	assert_int_equal(symlink("real", link), 0);
	chmod(test_dir, 0700);
	assert_int_equal(atomic_write(link, "one\n", 4, NULL, &cause), 0);
	assert_string_equal(slurp(real), "one\n");
	chmod(test_dir, 01777);
	assert_int_equal(atomic_write(link, "two\n", 4, NULL, &cause), -1);
	assert_non_null(strstr(cause, "symlink"));
	free(cause);
	chmod(test_dir, 0700);
	assert_string_equal(slurp(real), "one\n");
	unlink(link);
	unlink(real);
}

/*
 * A lock another process holds on the folder (another user's, who can
 * open a 0755 folder, or /tmp) holds no save up: the save's own lock is in
 * the private runtime folder. Before, a save waited for it for ever.
 */
static void
test_folder_lock_elsewhere(void **state)
{
	char	 path[700], run[600], *cause = NULL, c;
	int	 p[2], fd;
	pid_t	 pid;

	(void)state;
	snprintf(run, sizeof run, "%s/run", test_dir);
	assert_int_equal(mkdir(run, 0700), 0);
	setenv("XDG_RUNTIME_DIR", run, 1);
	snprintf(path, sizeof path, "%s", test_write_str("f.conf", "old\n"));
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		fd = open(test_dir, O_RDONLY | O_DIRECTORY);
		if (fd == -1 || flock(fd, LOCK_EX) != 0)
			_exit(1);
		(void)write(p[1], "x", 1);
		sleep(30);
		_exit(0);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	alarm(10);	/* a save that waits is a failure, not a hang */
	assert_int_equal(atomic_write(path, "new\n", 4, NULL, &cause), 0);
	alarm(0);
	assert_string_equal(slurp(path), "new\n");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	/* its lock is in the runtime folder's locks/, closed to others */
	snprintf(path, sizeof path, "%s/vmtui/locks", run);
	assert_int_equal(access(path, F_OK), 0);
	unsetenv("XDG_RUNTIME_DIR");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failures_keep_old),
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_new_file_and_bad_folder),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_what_it_replaces),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_folder_lock_elsewhere),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
