/*
 * Unit tests of core/guestssh.c: the forward to the guest's port 22, sshd
 * told from QEMU's user network by its version line (a port that accepts
 * and says nothing, or closes, is not sshd), and ssh's argv: the user,
 * the machine's known_hosts only, the host key checked strictly, the
 * command after "--" and the address; and that the user's ssh_config
 * cannot make that login forward anything to the guest or run commands
 * (ssh -G reads the argv with a hostile config: the command line wins).
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "guestssh.h"

static void
test_target(void **state)
{
	struct profile		*p = profile_new("c1", "/prof");
	struct guestssh_target	 t;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(guestssh_target(p, &t, &cause), -1);
	assert_non_null(strstr(cause, "c1 has no forward to the guest's "
	    "port 22"));
	free(cause);
	/* UDP, or from the guest: not ssh's */
	assert_int_equal(profile_add_forward(p), 0);
	p->forwards[0].proto = PROTO_UDP;
	p->forwards[0].host_port = 5000;
	p->forwards[0].guest_port = 22;
	assert_int_equal(profile_add_ssh_forward(p, 2222), 0);
	free(p->forwards[1].host_address);
	p->forwards[1].host_address = strdup("0.0.0.0");
	assert_int_equal(guestssh_target(p, &t, &cause), 0);
	/* every interface: this host reaches it on loopback */
	assert_string_equal(t.address, "127.0.0.1");
	assert_int_equal(t.port, 2222);
	profile_free(p);
}

/* A listener on loopback; its port in *port. */
static int
listener(long *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A child that accepts one connection and says what (NULL: closes). */
static pid_t
server(int fd, const char *what)
{
	pid_t	pid = fork();
	int	c;

	assert_true(pid >= 0);
	if (pid == 0) {
		if ((c = accept(fd, NULL, NULL)) >= 0 && what != NULL)
			(void)write(c, what, strlen(what));
		if (c >= 0)
			close(c);
		_exit(0);
	}
	return pid;
}

static void
test_answers(void **state)
{
	struct guestssh_target	t = { "127.0.0.1", 0 };
	int			fd, st;
	pid_t			pid;

	(void)state;
	fd = listener(&t.port);
	/* accepted, and nothing said: QEMU's forward while the guest boots */
	assert_int_equal(guestssh_answers(&t, 200), 0);
	close(accept(fd, NULL, NULL));
	pid = server(fd, NULL);
	assert_int_equal(guestssh_answers(&t, 2000), 0);
	waitpid(pid, &st, 0);
	pid = server(fd, "HTTP/1.0 400\r\n");
	assert_int_equal(guestssh_answers(&t, 2000), 0);
	waitpid(pid, &st, 0);
	pid = server(fd, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
	assert_int_equal(guestssh_answers(&t, 2000), 1);
	waitpid(pid, &st, 0);
	close(fd);
	/* nobody there at all */
	assert_int_equal(guestssh_answers(&t, 200), 0);
}

static void
test_argv(void **state)
{
	struct profile		*p = profile_new("c1", "/prof");
	struct guestssh_target	 t = { "127.0.0.1", 2222 };
	struct strv		 av = { NULL, 0 };
	char			*cmd[] = { (char *)"ls", (char *)"-la" };
	char			*cause = NULL, *line;

	(void)state;
	setenv("XDG_DATA_HOME", "/data", 1);
	free(p->cloud_user);
	p->cloud_user = strdup("alice");
	assert_int_equal(guestssh_argv(p, &t, cmd, 2, &av, &cause), 0);
	line = strv_join(&av, " ");
	/* its keys in its data folder: /prof/c1.conf is not in the profiles
	 * folder, so that is c1@HASH of the path (paths_machine) */
	assert_string_equal(line, "ssh -p2222 -oStrictHostKeyChecking=yes "
	    "-oUserKnownHostsFile=/data/vmtui/c1@c51382f72edc/cloud-init/"
	    "known_hosts "
	    "-oGlobalKnownHostsFile=/dev/null -oHostKeyAlias=c1 "
	    "-oCheckHostIP=no -oUpdateHostKeys=no -oLogLevel=ERROR "
	    "-oForwardAgent=no -oForwardX11=no -oForwardX11Trusted=no "
	    "-oClearAllForwardings=yes -oTunnel=no -oIdentitiesOnly=yes "
	    "-oPermitLocalCommand=no -oProxyCommand=none -oProxyJump=none "
	    "-oKnownHostsCommand=none -oRemoteCommand=none "
	    "-oControlMaster=no -oControlPath=none -oControlPersist=no "
	    "-l alice -- 127.0.0.1 ls -la");
	free(line);
	strv_free(&av);
	profile_free(p);
}

/*
 * What ssh would do with the argv and a hostile ssh_config: ssh -G's
 * settings, one "key value" a line, into out.
 */
static void
argv_resolved(struct strv *av, const char *config, char *out, size_t size)
{
	char	**args;
	int	  fd[2], st;
	size_t	  i, n = 0;
	ssize_t	  r;
	pid_t	  pid;

	args = calloc(av->n + 4, sizeof *args);
	assert_non_null(args);
	args[0] = (char *)"ssh";
	args[1] = (char *)"-G";
	args[2] = (char *)"-F";
	args[3] = (char *)config;
	for (i = 1; i < av->n; i++)
		args[i + 3] = av->v[i];
	assert_int_equal(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execv("/usr/bin/ssh", args);
		_exit(127);
	}
	close(fd[1]);
	while (n + 1 < size && (r = read(fd[0], out + n, size - n - 1)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fd[0]);
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	free(args);
}

static void
test_argv_hostile_config(void **state)
{
	static const char *const hostile =
	    "Host *\n"
	    "  ForwardAgent yes\n  ForwardX11 yes\n  ForwardX11Trusted yes\n"
	    "  LocalForward 5555 localhost:22\n"
	    "  RemoteForward 6666 localhost:22\n  DynamicForward 7777\n"
	    "  PermitLocalCommand yes\n  LocalCommand touch /tmp/pwned\n"
	    "  ProxyCommand nc %h %p\n  ControlMaster auto\n"
	    "  ControlPath /tmp/cm-%r@%h:%p\n  ControlPersist yes\n"
	    "  Tunnel yes\n  IdentitiesOnly no\n"
	    "  KnownHostsCommand /bin/true\n  RemoteCommand id\n"
	    "  ForwardX11Timeout 0\n  StreamLocalBindUnlink yes\n";
	static const char *const want[] = {
	    "forwardagent no\n", "forwardx11 no\n", "forwardx11trusted no\n",
	    "clearallforwardings yes\n", "identitiesonly yes\n",
	    "permitlocalcommand no\n", "controlmaster false\n",
	    "controlpersist no\n", "tunnel false\n", NULL };
	/* ssh -G leaves out what is none */
	static const char *const never[] = { "localforward ",
	    "remoteforward ", "dynamicforward ", "controlpath ",
	    "proxycommand ", "knownhostscommand ", "remotecommand ", NULL };
	struct profile		*p = profile_new("c1", "/prof");
	struct guestssh_target	 t = { "127.0.0.1", 2222 };
	struct strv		 av = { NULL, 0 };
	char			 config[512], out[16384], *cause = NULL;
	const char *const	*w;
	FILE			*f;

	(void)state;
	if (access("/usr/bin/ssh", X_OK) != 0)
		skip();
	setenv("XDG_DATA_HOME", test_dir, 1);
	snprintf(config, sizeof config, "%s/ssh_config", test_dir);
	assert_non_null(f = fopen(config, "w"));
	fputs(hostile, f);
	fclose(f);
	assert_int_equal(guestssh_argv(p, &t, NULL, 0, &av, &cause), 0);
	argv_resolved(&av, config, out, sizeof out);
	for (w = want; *w != NULL; w++)
		if (strstr(out, *w) == NULL)
			fail_msg("ssh -G lacks \"%.*s\"", (int)strlen(*w) - 1,
			    *w);
	for (w = never; *w != NULL; w++)
		if (strstr(out, *w) != NULL)
			fail_msg("ssh -G has \"%s\"", *w);
	strv_free(&av);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_argv),
		cmocka_unit_test_setup_teardown(test_argv_hostile_config,
		    test_setup_dir, test_remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
