/*
 * fuzz_profile: a libFuzzer target for the whole way from bytes to QEMU:
 * profile load and validation, plan, script. For every input that loads,
 * the rendered script must pass "sh -n", and run with a recording fake
 * QEMU it must hand over exactly the plan's argv: no element split, joined
 * or expanded. The script only runs when it would exec the fake QEMU and
 * create files inside the fuzzer's own folder, which is made anew after
 * every run (what one input's script created must not fail the next).
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_profile
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "plan.h"
#include "preflight.h"
#include "profile.h"
#include "script.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	dir[256];
static char	logpath[300];

static void
put(const char *name, const char *text, mode_t mode)
{
	char	path[512];
	int	fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd == -1 || write(fd, text, strlen(text)) < 0)
		abort();
	close(fd);
}

static char	work[300];

/* The fixtures every input may name, in dir; the inputs run in dir/w. */
static void
setup(void)
{
	char	path[600];

	snprintf(dir, sizeof dir, "%s/vmtui-fuzz.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof path, "mkdir -p '%s/fw' '%s/shares/data' "
	    "'%s/shares/ro' '%s/bin'", dir, dir, dir, dir);
	if (system(path) != 0)
		abort();
	put("vmlinuz", "k\n", 0644);
	put("initrd.gz", "i\n", 0644);
	put("installer.iso", "c\n", 0644);
	put("qboot.rom", "b\n", 0644);
	put("fw/CODE.fd", "f\n", 0644);
	put("fw/VARS.fd", "v\n", 0644);
	put("bin/qemu-system-x86_64",
	    "#!/bin/sh\nprintf '%s\\0' \"$@\" >\"$FUZZ_LOG\"\n", 0755);
	put("bin/qemu-system-aarch64",
	    "#!/bin/sh\nprintf '%s\\0' \"$@\" >\"$FUZZ_LOG\"\n", 0755);
	put("bin/qemu-img", "#!/bin/sh\nexit 0\n", 0755);
	snprintf(work, sizeof work, "%s/w", dir);
	snprintf(logpath, sizeof logpath, "%s/argv", dir);
	snprintf(path, sizeof path, "%s/bin:/usr/bin:/bin", dir);
	setenv("PATH", path, 1);
	setenv("FUZZ_LOG", logpath, 1);
	snprintf(path, sizeof path, "%s/tmp", work);
	setenv("TMPDIR", path, 1);
	setenv("USE_TMPDIR", "1", 1);
	snprintf(path, sizeof path, "%s/data", work);
	setenv("XDG_DATA_HOME", path, 1);
	snprintf(path, sizeof path, "%s/run", work);
	setenv("XDG_RUNTIME_DIR", path, 1);
	setenv("HOME", dir, 1);
	unsetenv("VMTUI_DISK_IMAGE");
	unsetenv("QEMU_OPTS");
	unsetenv("QEMU_NET_OPTS");
	unsetenv("QEMU_KERNEL_PARAMS");
	unsetenv("SHARED_DIR");
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* dir/w as new: the fixtures linked in, a tmp folder. */
static void
fresh_work(void)
{
	static const char *const links[] = { "vmlinuz", "initrd.gz",
	    "installer.iso", "qboot.rom", "fw", "shares" };
	char	 from[600], to[600];
	size_t	 i;

	if (nftw(work, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0 &&
	    errno != ENOENT)
		abort();
	if (mkdir(work, 0700) != 0)
		abort();
	for (i = 0; i < sizeof links / sizeof links[0]; i++) {
		snprintf(from, sizeof from, "%s/%s", dir, links[i]);
		snprintf(to, sizeof to, "%s/%s", work, links[i]);
		if (symlink(from, to) != 0)
			abort();
	}
	snprintf(to, sizeof to, "%s/tmp", work);
	if (mkdir(to, 0700) != 0)
		abort();
}

static int
sh(const char *arg, const char *script)
{
	pid_t	pid;
	int	st, fd;

	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (arg != NULL)
			execl("/bin/sh", "sh", arg, script, (char *)NULL);
		else
			execl("/bin/sh", "sh", script, (char *)NULL);
		_exit(127);
	}
	if (pid == -1)
		abort();
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			abort();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int
inside(const char *path)
{
	return path == NULL || (strncmp(path, work, strlen(work)) == 0 &&
	    path[strlen(work)] == '/' && strstr(path, "/..") == NULL);
}

static void
compare(const struct plan *pl)
{
	struct plan_env	 env = { 0 };
	struct strv	 want = { NULL, 0 };
	char		*why, buf[1 << 16];
	size_t		 n, i = 1, off = 0;
	FILE		*f;

	env.disk_image = pl->root_image;
	env.tmpdir = getenv("TMPDIR");
	env.uid = (long)getuid();
	env.spice_port = 5930;		/* the script's first try; free here */
	env.kvm = preflight_kvm_usable(strcmp(pl->arch, "aarch64") == 0 ?
	    ARCH_AARCH64 : ARCH_X86_64, &why);
	free(why);
	if (plan_expand(pl, &env, &want) != 0)
		abort();
	if ((f = fopen(logpath, "rb")) == NULL)
		abort();
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (n == sizeof buf) {
		strv_free(&want);
		return;		/* too long to compare here */
	}
	/* element by element: NUL-separated, argv[0] not recorded */
	while (off < n) {
		if (i >= want.n || strcmp(buf + off, want.v[i]) != 0) {
			fprintf(stderr, "argv[%zu] differs: got \"%s\", plan "
			    "\"%s\"\n", i, buf + off, i < want.n ? want.v[i] :
			    "(none)");
			abort();
		}
		off += strlen(buf + off) + 1;
		i++;
	}
	if (i != want.n) {
		fprintf(stderr, "argv has %zu elements, the plan %zu\n", i,
		    want.n);
		abort();
	}
	strv_free(&want);
}

/*
 * A cloud-init machine's seed, which vmtui writes before the script runs
 * (the script refuses to start without it): an empty stand-in will do.
 */
static void
stand_in_seed(const char *seed)
{
	char	*folder = strdup(seed), *slash;
	int	 fd;

	if (folder == NULL || (slash = strrchr(folder, '/')) == NULL)
		abort();
	*slash = '\0';
	if (paths_mkdirs(folder, 0700) != 0 ||
	    (fd = open(seed, O_WRONLY | O_CREAT, 0600)) == -1)
		abort();
	close(fd);
	free(folder);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile	*p;
	struct plan	*pl;
	char		 path[512], script[512], *cause = NULL, *text;
	size_t		 i;
	int		 fd;

	if (dir[0] == '\0') {
		setup();
		fresh_work();
	}
	snprintf(path, sizeof path, "%s/f.conf", work);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || (size > 0 && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
	if (validate_load(path, &p, &cause) != 0) {
		free(cause);
		return 0;
	}
	if (plan_build(p, &pl, &cause) != 0) {
		free(cause);
		profile_free(p);
		return 0;
	}
	if ((text = script_render(pl)) == NULL)
		abort();
	snprintf(script, sizeof script, "%s/run.sh", dir);
	fd = open(script, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || write(fd, text, strlen(text)) < 0)
		abort();
	close(fd);
	free(text);
	if (sh("-n", script) != 0) {
		fprintf(stderr, "the script does not parse: %s\n", script);
		abort();
	}

	/* run it only where it can do no harm */
	int safe = (strcmp(pl->binary, "qemu-system-x86_64") == 0 ||
	    strcmp(pl->binary, "qemu-system-aarch64") == 0) &&
	    inside(pl->root_image) && inside(pl->efi_vars) &&
	    inside(pl->runtime_dir) && inside(pl->seed);
	for (i = 0; i < pl->nimages; i++)
		safe = safe && inside(pl->images[i].path);
	if (safe) {
		if (pl->seed != NULL)
			stand_in_seed(pl->seed);
		unlink(logpath);
		if (sh(NULL, script) != 0) {
			fprintf(stderr, "the script failed: %s\n", script);
			abort();
		}
		compare(pl);
		fresh_work();
	}
	plan_free(pl);
	profile_free(p);
	return 0;
}
