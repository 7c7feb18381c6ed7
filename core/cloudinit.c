/*
 * cloudinit: the NoCloud seed's documents from a profile's cloud-init
 * section.
 *
 * user-data is a cloud-config that vmtui writes: the user (cloud-init's
 * `user`, which keeps the image's own settings for its default user: its
 * shell, groups and sudo), the keys it logs in with, its password or a
 * locked one, the time zone, packages, commands, the shares' mounts, and
 * the machine's host
 * key (`ssh_keys`), which vmtui made and pins, so that no key is trusted
 * on first use. With user-data = "FILE" the person's file is the
 * cloud-config, and vmtui's host key follows it in a MIME part of its
 * own: cloud-init merges later parts over earlier ones, so the pinned key
 * stays.
 *
 * Every value is written as a YAML double-quoted scalar with whatever
 * could end it, bend it or that YAML may not hold escaped (quotes,
 * backslashes, control characters, C1 controls, the line and paragraph
 * separators a YAML reader folds, U+FEFF, U+FFFE, U+FFFF); values never
 * reach a comment.
 */
#include "config.h"

#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cloudinit.h"
#include "diag.h"
#include "utf8.h"

/*
 * The guest's user: the profile's, else this user's login name when the
 * guest can have it (not root: cloud-init refuses root's logins), else vm.
 */
char *
cloudinit_user(const struct profile *p)
{
	struct passwd	*pw;
	char		*why = NULL;

	if (*p->cloud_user != '\0')
		return strdup(p->cloud_user);
	if (geteuid() != 0 && (pw = getpwuid(geteuid())) != NULL &&
	    pw->pw_name != NULL && schema_check_login(pw->pw_name, &why) == 0)
		return strdup(pw->pw_name);
	free(why);
	return strdup("vm");
}

/*
 * The guest's host name: the profile's, else the machine's name as a host
 * name can be: '.' and '_' as '-', no '-' at either end, 63 at most.
 */
char *
cloudinit_hostname(const struct profile *p)
{
	char	*h, *s;
	size_t	 len;

	if (*p->cloud_hostname != '\0')
		return strdup(p->cloud_hostname);
	if ((h = strndup(p->name, 63)) == NULL)
		return NULL;
	for (s = h; *s != '\0'; s++)
		if (*s == '.' || *s == '_')
			*s = '-';
	for (s = h; *s == '-'; s++)
		;
	memmove(h, s, strlen(s) + 1);
	for (len = strlen(h); len > 0 && h[len - 1] == '-'; len--)
		h[len - 1] = '\0';
	if (*h == '\0') {
		free(h);
		return strdup("vm");
	}
	return h;
}

/* s as a YAML double-quoted scalar; s is UTF-8 (checked by the schema). */
void
cloudinit_yaml_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), n;
	unsigned int		 cp;

	buf_putc(b, '"');
	while (len > 0) {
		if ((n = utf8_char(p, len, &cp)) == 0) {
			/* not UTF-8: the byte as the code point of its value */
			buf_printf(b, "\\x%02x", *p);
			p++;
			len--;
			continue;
		}
		if (cp == '"' || cp == '\\')
			buf_printf(b, "\\%c", (char)cp);
		else if (cp == '\n')
			buf_puts(b, "\\n");
		else if (cp == '\t')
			buf_puts(b, "\\t");
		else if (cp < 0x20 || cp == 0x7f)
			buf_printf(b, "\\x%02x", cp);
		else if ((cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xfeff || cp == 0xfffe ||
		    cp == 0xffff)
			buf_printf(b, "\\u%04x", cp);
		else
			buf_add(b, p, n);
		p += n;
		len -= n;
	}
	buf_putc(b, '"');
}

static void
cloudinit_key(struct buf *b, const char *indent, const char *key,
    const char *value)
{
	buf_printf(b, "%s%s: ", indent, key);
	cloudinit_yaml_string(b, value);
	buf_putc(b, '\n');
}

static void
cloudinit_list(struct buf *b, const char *indent, const char *key,
    const struct strv *sv)
{
	size_t	i;

	if (sv->n == 0)
		return;
	buf_printf(b, "%s%s:\n", indent, key);
	for (i = 0; i < sv->n; i++) {
		buf_printf(b, "%s  - ", indent);
		cloudinit_yaml_string(b, sv->v[i]);
		buf_putc(b, '\n');
	}
}

/* A password as crypt(3) writes a hash: $id$..., which cloud-init takes. */
static bool
cloudinit_hashed(const char *s)
{
	return s[0] == '$' && strchr(s + 1, '$') != NULL &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789./$=,-") == strlen(s);
}

/* The host key: the one vmtui pins, and no other type made in the guest. */
static void
cloudinit_host_key(struct buf *b, const struct cloudinit_input *in)
{
	buf_puts(b, "ssh_deletekeys: true\n"
	    "ssh_genkeytypes: [\"ed25519\"]\n"
	    "ssh_keys:\n");
	cloudinit_key(b, "  ", "ed25519_private", in->host_private);
	cloudinit_key(b, "  ", "ed25519_public", in->host_public);
}

/*
 * The shares with a mount point, mounted by cloud-init (cc_mounts makes
 * the folder, writes /etc/fstab, mounts them) where the guest's kernel has
 * 9p; nofail, so that a kernel without it still boots.
 */
static void
cloudinit_mounts(struct buf *b, const struct profile *p)
{
	size_t	i;
	bool	any = false;

	for (i = 0; i < p->nshares; i++) {
		const struct profile_share *s = &p->shares[i];

		if (*s->target == '\0')
			continue;
		if (!any)
			buf_puts(b, "mounts:\n");
		any = true;
		buf_puts(b, "  - [");
		cloudinit_yaml_string(b, s->tag);
		buf_puts(b, ", ");
		cloudinit_yaml_string(b, s->target);
		buf_printf(b, ", \"9p\", \"trans=virtio,version=9p2000.L,"
		    "msize=%ld,nofail%s\", \"0\", \"0\"]\n", p->msize,
		    s->readonly ? ",ro" : "");
	}
}

/*
 * The user logged in on the serial console without a password, so that
 * vmtui's pane shows a shell once the machine has booted: a drop-in for
 * serial-getty@ttyS0 written early at each boot (bootcmd, before
 * systemd-user-sessions lets the getty start), where systemd is. The
 * console is the machine owner's alone (a socket in a private folder).
 */
static void
cloudinit_console_login(struct buf *b, const char *user)
{
	struct buf	cmd;
	char		*s;

	buf_init(&cmd);
	buf_printf(&cmd, "command -v systemctl >/dev/null || exit 0; "
	    "d=/etc/systemd/system/serial-getty@ttyS0.service.d; "
	    "mkdir -p $d && printf '[Service]\\nExecStart=\\nExecStart=-"
	    "/sbin/agetty --autologin %s --keep-baud 115200,57600,38400,9600 "
	    "- $TERM\\n' >$d/vmtui-console-login.conf && "
	    "systemctl daemon-reload", user);
	if ((s = buf_finish(&cmd, NULL)) == NULL)
		return;
	buf_puts(b, "bootcmd:\n  - ");
	cloudinit_yaml_string(b, s);
	buf_putc(b, '\n');
	free(s);
}

/* vmtui's own cloud-config, from the section's keys. */
static void
cloudinit_config(struct buf *b, const struct profile *p,
    const struct cloudinit_input *in)
{
	buf_printf(b, "#cloud-config\n"
	    "# The seed of the machine %s, written by vmtui from its profile's\n"
	    "# cloud-init section (vmtui.conf(5)) when the section changed.\n",
	    p->name);
	buf_puts(b, "user:\n");
	cloudinit_key(b, "  ", "name", in->user);
	if (*p->cloud_password == '\0')
		buf_puts(b, "  lock_passwd: true\n");
	else {
		buf_puts(b, "  lock_passwd: false\n");
		cloudinit_key(b, "  ", cloudinit_hashed(p->cloud_password) ?
		    "hashed_passwd" : "plain_text_passwd", p->cloud_password);
	}
	cloudinit_list(b, "  ", "ssh_authorized_keys", in->keys);
	buf_puts(b, "manage_etc_hosts: true\n");
	cloudinit_host_key(b, in);
	if (*p->cloud_timezone != '\0')
		cloudinit_key(b, "", "timezone", p->cloud_timezone);
	cloudinit_list(b, "", "packages", &p->cloud_packages);
	cloudinit_list(b, "", "runcmd", &p->cloud_commands);
	cloudinit_mounts(b, p);
	if (p->cloud_console_login)
		cloudinit_console_login(b, in->user);
}

/* Whether len bytes are text a MIME part and cloud-init take: UTF-8, no NUL. */
int
cloudinit_text(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;
	unsigned int		 cp;

	while (len > 0) {
		if ((n = utf8_char(p, len, &cp)) == 0 || cp == 0)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

/* Whether "--" boundary starts a line of the len bytes at s. */
static bool
cloudinit_has_line(const char *s, size_t len, const char *boundary)
{
	size_t	blen = strlen(boundary), i;

	for (i = 0; i + blen + 2 <= len; i++)
		if ((i == 0 || s[i - 1] == '\n') && s[i] == '-' &&
		    s[i + 1] == '-' && memcmp(s + i + 2, boundary, blen) == 0)
			return true;
	return false;
}

/*
 * The person's file, then vmtui's host key, as a multipart MIME message
 * (cloud-init's way to hand it several parts). The file's part is
 * text/plain: cloud-init tells its kind from its first line (#cloud-config,
 * #!, #include...). The boundary is one no line of the file starts with.
 */
static void
cloudinit_mime(struct buf *b, const struct cloudinit_input *in)
{
	char	boundary[64];
	int	i = 0;

	do
		snprintf(boundary, sizeof boundary, "==vmtui-seed-%d==", i++);
	while (cloudinit_has_line(in->user_data, in->user_data_len, boundary));
	buf_printf(b, "Content-Type: multipart/mixed; boundary=\"%s\"\n"
	    "MIME-Version: 1.0\n"
	    "\n"
	    "--%s\n"
	    "Content-Type: text/plain; charset=\"utf-8\"\n"
	    "Content-Disposition: attachment; filename=\"user-data\"\n"
	    "\n", boundary, boundary);
	buf_add(b, in->user_data, in->user_data_len);
	buf_printf(b, "\n--%s\n"
	    "Content-Type: text/cloud-config; charset=\"utf-8\"\n"
	    "Content-Disposition: attachment; filename=\"vmtui-host-key\"\n"
	    "\n"
	    "#cloud-config\n"
	    "# vmtui's host key for this machine, pinned in its known_hosts.\n",
	    boundary);
	cloudinit_host_key(b, in);
	buf_printf(b, "--%s--\n", boundary);
}

/*
 * The user-data document: vmtui's cloud-config, or the person's file with
 * vmtui's host key after it. 0 with *out, or -1 with *cause.
 */
int
cloudinit_user_data(const struct profile *p, const struct cloudinit_input *in,
    char **out, char **cause)
{
	struct buf	b;

	*out = NULL;
	if (in->user_data != NULL && !cloudinit_text(in->user_data,
	    in->user_data_len))
		return diag_cause(cause, "user-data %s is not text (UTF-8 "
		    "without NUL bytes); cloud-init's seed holds it as a part "
		    "of a MIME message", p->cloud_user_data);
	buf_init(&b);
	if (in->user_data != NULL)
		cloudinit_mime(&b, in);
	else
		cloudinit_config(&b, p, in);
	if ((*out = buf_finish(&b, NULL)) == NULL)
		return diag_cause(cause, "out of memory");
	return 0;
}

/* The meta-data document: the instance id and the host name. */
char *
cloudinit_meta_data(const char *instance_id, const char *hostname)
{
	struct buf	b;

	buf_init(&b);
	cloudinit_key(&b, "", "instance-id", instance_id);
	cloudinit_key(&b, "", "local-hostname", hostname);
	return buf_finish(&b, NULL);
}
