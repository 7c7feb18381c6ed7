/*
 * sshkeys: a cloud-init machine's keys, in its private folder.
 *
 * Keys are made by ssh-keygen (openssh-client; the pre-flight checks for
 * it), never written by hand: into a temp folder of their own, then put in
 * place with link(), so that two starts at once keep one key, never a mix.
 * A host key, once made, stays the machine's for good: a changed seed
 * hands the guest the same key, and known_hosts never changes under ssh.
 *
 * The public keys the user logs in with come from the profile (files, or
 * key lines), else from the .pub files in ~/.ssh; with none, the machine gets a key of
 * its own (id_ed25519, 0600) that vmtui --ssh uses. A key file named in
 * the profile must hold keys and nothing else (FILE:LINE says what is
 * not one); in ~/.ssh only the lines that are keys are taken.
 */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "io.h"
#include "paths.h"
#include "spawn.h"
#include "sshkeys.h"

/*
 * A file in p's machine's cloud-init folder, in its data folder
 * (paths_machine: DATA/vmtui/NAME/cloud-init in the profiles folder);
 * file NULL: the folder.
 */
char *
sshkeys_file(const struct profile *p, const char *file)
{
	struct paths_machine	 m;
	char			*s;
	int			 r;

	if (paths_machine(p->name, p->dir, p->file, &m) != 0)
		return NULL;
	r = asprintf(&s, "%s/" SSHKEYS_DIR "%s%s", m.data, file != NULL ?
	    "/" : "", file != NULL ? file : "");
	paths_machine_free(&m);
	return r < 0 ? NULL : s;
}

char *
sshkeys_dir(const struct profile *p)
{
	return sshkeys_file(p, NULL);
}

/* The folder made (0700) when missing; it must be ours and closed. */
int
sshkeys_dir_make(const char *dir, char **cause)
{
	return paths_own_dir(dir, true, "the machine's keys", cause);
}

/* dir/file. */
static char *
sshkeys_path(const char *dir, const char *file)
{
	char	*s;

	return asprintf(&s, "%s/%s", dir, file) < 0 ? NULL : s;
}

/*
 * A new ed25519 key pair dir/file and dir/file.pub, made by ssh-keygen
 * unless dir/file is there. 0, or -1 with why.
 */
static int
sshkeys_keygen(const char *dir, const char *file, const char *comment,
    char **cause)
{
	char	*tmp = NULL, *key = NULL, *final = NULL, *pub = NULL;
	char	*tpub = NULL, *out = NULL;
	char	*argv[] = { (char *)"ssh-keygen", (char *)"-q", (char *)"-t",
		    (char *)"ed25519", (char *)"-N", (char *)"", (char *)"-C",
		    (char *)comment, (char *)"-f", NULL, NULL };
	int	 status, r = -1, won;

	*cause = NULL;
	if ((final = sshkeys_path(dir, file)) == NULL ||
	    asprintf(&pub, "%s.pub", final) < 0) {
		pub = NULL;
		goto out;
	}
	if (access(final, F_OK) == 0) {
		r = 0;
		goto out;
	}
	if (asprintf(&tmp, "%s/.keygen-XXXXXX", dir) < 0) {
		tmp = NULL;
		goto out;
	}
	if (mkdtemp(tmp) == NULL) {
		r = diag_cause(cause, "cannot make a folder in %s: %s", dir,
		    strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if ((key = sshkeys_path(tmp, "key")) == NULL ||
	    asprintf(&tpub, "%s.pub", key) < 0) {
		tpub = NULL;
		goto out;
	}
	argv[9] = key;
	if (spawn_output(argv, 1, &out, &status) != 0 || status != 0) {
		r = diag_cause(cause, "ssh-keygen could not make the machine's "
		    "key%s%s%s", status == 127 ? " (it is not installed: "
		    "apt-get install openssh-client)" : "", out != NULL &&
		    *out != '\0' ? ": " : "", out != NULL ? out : "");
		goto out;
	}
	/* the first of two starts at once wins; the other's key goes */
	if ((won = link(key, final) == 0) == 0 && errno != EEXIST) {
		r = diag_cause(cause, "cannot keep the key as %s: %s", final,
		    strerror(errno));
		goto out;
	}
	if (won && rename(tpub, pub) != 0) {
		r = diag_cause(cause, "cannot keep the key as %s: %s", pub,
		    strerror(errno));
		(void)unlink(final);
		goto out;
	}
	r = 0;
out:
	if (r != 0 && *cause == NULL)
		*cause = strdup("out of memory");
	if (key != NULL)
		(void)unlink(key);
	if (tpub != NULL)
		(void)unlink(tpub);
	if (tmp != NULL)
		(void)rmdir(tmp);
	free(out);
	free(tmp);
	free(key);
	free(tpub);
	free(final);
	free(pub);
	return r;
}

/* The first line of a .pub file, checked to be a public key. */
static int
sshkeys_read_pub(const char *path, char **line, char **cause)
{
	char	*text, *nl;

	*line = NULL;
	if (io_read_file(path, SSHKEYS_FILE_MAX, &text, cause) != 0)
		return -1;
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	if (!schema_key_line(text)) {
		free(text);
		return diag_cause(cause, "%s:1: not a public key (TYPE BASE64 "
		    "[COMMENT])", path);
	}
	*line = text;
	return 0;
}

/*
 * The known_hosts of the machine's own: its host key under the machine's
 * name (ssh runs with HostKeyAlias), written when it differs.
 */
static int
sshkeys_known_hosts(const char *dir, const char *name, const char *pub,
    char **cause)
{
	struct atomic_opts	 o = { ATOMIC_MODE, 0600, NULL, NULL, NULL };
	char			*path, *want, *have = NULL, *why = NULL;
	const char		*sp;
	int			 r = 0;

	/* "TYPE BASE64", the comment left out */
	sp = strchr(pub, ' ');
	sp = sp != NULL ? strchr(sp + 1, ' ') : NULL;
	if ((path = sshkeys_path(dir, SSHKEYS_KNOWN_HOSTS)) == NULL ||
	    asprintf(&want, "%s %.*s\n", name, sp != NULL ?
	    (int)(sp - pub) : (int)strlen(pub), pub) < 0) {
		free(path);
		return diag_cause(cause, "out of memory");
	}
	if (io_read_file(path, SSHKEYS_FILE_MAX, &have, &why) != 0 ||
	    strcmp(have, want) != 0)
		r = atomic_write(path, want, strlen(want), &o, cause);
	free(why);
	free(have);
	free(want);
	free(path);
	return r;
}

/*
 * The machine's host key, made when it has none: the private key's text
 * and the public line, and the known_hosts that pins it.
 */
int
sshkeys_host(const char *dir, const char *name, char **priv, char **pub,
    char **cause)
{
	char	*path = NULL, *ppath = NULL, *comment = NULL;
	int	 r = -1;

	*priv = *pub = NULL;
	*cause = NULL;
	if (asprintf(&comment, "root@%s", name) < 0) {
		comment = NULL;
		goto out;
	}
	if (sshkeys_keygen(dir, SSHKEYS_HOST_KEY, comment, cause) != 0)
		goto out;
	if ((path = sshkeys_path(dir, SSHKEYS_HOST_KEY)) == NULL ||
	    asprintf(&ppath, "%s.pub", path) < 0) {
		ppath = NULL;
		goto out;
	}
	if (io_read_file(path, SSHKEYS_FILE_MAX, priv, cause) != 0 ||
	    sshkeys_read_pub(ppath, pub, cause) != 0)
		goto out;
	if (strncmp(*priv, "-----BEGIN OPENSSH PRIVATE KEY-----\n", 36) != 0) {
		diag_cause(cause, "%s is not an OpenSSH private key; remove "
		    "it (and its .pub) for a new one, and the machine's "
		    "known_hosts with them", path);
		goto out;
	}
	r = sshkeys_known_hosts(dir, name, *pub, cause);
out:
	if (r != 0) {
		if (*cause == NULL)
			*cause = strdup("out of memory");
		free(*priv);
		free(*pub);
		*priv = *pub = NULL;
	}
	free(comment);
	free(path);
	free(ppath);
	return r;
}

/*
 * The keys of a file: every line that is one. strict (a file the profile
 * names): every other line but blank ones and comments is an error, and a
 * file without a key too.
 */
static int
sshkeys_read_keys(const char *path, struct strv *keys, int strict,
    char **cause)
{
	char	*text, *line, *next;
	size_t	 len, found = 0;
	int	 n = 0;

	if (io_read_file(path, SSHKEYS_FILE_MAX, &text, cause) != 0)
		return strict ? -1 : 0;
	for (line = text; line != NULL && *line != '\0'; line = next) {
		n++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (schema_key_line(line)) {
			if (strv_add(keys, line) != 0) {
				free(text);
				return diag_cause(cause, "out of memory");
			}
			found++;
		} else if (strict && len > 0 && *line != '#') {
			free(text);
			return diag_cause(cause, "%s:%d: not a public key (TYPE "
			    "BASE64 [COMMENT], as a .pub file holds it)", path,
			    n);
		}
	}
	free(text);
	if (strict && found == 0)
		return diag_cause(cause, "%s holds no public key", path);
	return 0;
}

/*
 * The public keys the guest's user logs in with: the profile's ssh-keys,
 * else the .pub files in ~/.ssh, else the machine's own key, made when missing.
 */
int
sshkeys_authorized(const struct profile *p, const char *dir,
    struct strv *keys, char **cause)
{
	glob_t	 g;
	char	*pat, *path, *comment;
	size_t	 i;
	int	 r = 0;

	*cause = NULL;
	for (i = 0; r == 0 && i < p->cloud_ssh_keys.n; i++) {
		if (schema_key_line(p->cloud_ssh_keys.v[i])) {
			if (strv_add(keys, p->cloud_ssh_keys.v[i]) != 0)
				r = diag_cause(cause, "out of memory");
			continue;
		}
		if ((path = profile_path(p, p->cloud_ssh_keys.v[i])) == NULL)
			return diag_cause(cause, "out of memory");
		r = sshkeys_read_keys(path, keys, 1, cause);
		free(path);
	}
	if (r != 0 || p->cloud_ssh_keys.n > 0)
		return r;
	if (asprintf(&pat, "%s/.ssh/*.pub", paths_home()) < 0)
		return diag_cause(cause, "out of memory");
	memset(&g, 0, sizeof g);
	if (glob(pat, 0, NULL, &g) == 0)
		for (i = 0; r == 0 && i < g.gl_pathc; i++)
			r = sshkeys_read_keys(g.gl_pathv[i], keys, 0, cause);
	globfree(&g);
	free(pat);
	if (r != 0 || keys->n > 0)
		return r;
	/* none: a key of the machine's own */
	if (asprintf(&comment, "vmtui@%s", p->name) < 0)
		return diag_cause(cause, "out of memory");
	r = sshkeys_keygen(dir, SSHKEYS_ID_KEY, comment, cause);
	free(comment);
	if (r != 0)
		return r;
	if ((path = sshkeys_path(dir, SSHKEYS_ID_KEY ".pub")) == NULL)
		return diag_cause(cause, "out of memory");
	r = sshkeys_read_keys(path, keys, 1, cause);
	free(path);
	return r;
}

/*
 * The private keys ssh is given (-i): the machine's own key when there is
 * one, and the private half of each key file the profile names
 * (FILE.pub's FILE) that is there. ssh still tries the user's own.
 */
int
sshkeys_identities(const struct profile *p, const char *dir,
    struct strv *ids)
{
	char	*path, *full;
	size_t	 i, len;
	int	 r = 0;

	if ((path = sshkeys_path(dir, SSHKEYS_ID_KEY)) == NULL)
		return -1;
	if (access(path, R_OK) == 0)
		r = strv_add(ids, path);
	free(path);
	for (i = 0; r == 0 && i < p->cloud_ssh_keys.n; i++) {
		if (schema_key_line(p->cloud_ssh_keys.v[i]))
			continue;
		if ((full = profile_path(p, p->cloud_ssh_keys.v[i])) == NULL)
			return -1;
		len = strlen(full);
		if (len > 4 && strcmp(full + len - 4, ".pub") == 0) {
			full[len - 4] = '\0';
			if (access(full, R_OK) == 0)
				r = strv_add(ids, full);
		}
		free(full);
	}
	return r;
}
