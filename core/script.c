/*
 * script: renders a plan as a POSIX sh script in the manner of NixOS's
 * run-NAME-vm: make the runtime folder (refusing one that is not ours),
 * create the root image when missing (never over an existing one), make a
 * temp dir unless TMPDIR and USE_TMPDIR are both set (its name goes to the
 * runtime folder, for vmtui to remove when the machine has ended), create
 * the extra disks, copy the UEFI variables on first boot, then exec QEMU.
 * All it makes is private (umask 077); QEMU gets the caller's umask back.
 *
 * Each argv element is single-quoted on its own; the only expansions are
 * the documented environment overrides and the script's own variables,
 * always inside double quotes but for $QEMU_OPTS (split into words, as the
 * seed does). No value from a profile appears outside single quotes, and
 * none in a comment.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paths.h"
#include "quote.h"
#include "script.h"

static void
script_header(struct buf *b, const struct plan *pl)
{
	buf_printf(b,
	    "#!/bin/sh\n"
	    "# run-%s-vm: starts the virtual machine %s.\n"
	    "# Written by vmtui %s; \"vmtui --write-script %s\" writes it anew.\n"
	    "#\n"
	    "# Environment:\n"
	    "#   VMTUI_DISK_IMAGE    use this root disk image instead\n"
	    "#   TMPDIR, USE_TMPDIR  with both set, TMPDIR is the temp folder\n"
	    "#                       when it is yours alone; else a new one\n"
	    "#                       is made in it for each boot\n"
	    "#   SHARED_DIR          host folder of the \"shared\" 9p tag\n"
	    "#                       (exchange-dir)\n"
	    "#   QEMU_NET_OPTS       appended to the user network's options\n"
	    "#   QEMU_KERNEL_PARAMS  appended to the kernel command line\n"
	    "#   QEMU_OPTS           more QEMU arguments, split at spaces\n"
	    "#   VMTUI_BACKGROUND    when set (vmtui sets it), the serial console\n"
	    "#                       is on console.sock in the runtime folder,\n"
	    "#                       QEMU logs it to console.log, and QEMU's\n"
	    "#                       monitor is reached through QMP only;\n"
	    "#                       else it is on this terminal, Ctrl-a c for\n"
	    "#                       the monitor, Ctrl-a x to quit\n"
	    "# Arguments to this script are passed to QEMU last.\n"
	    "set -eu\n"
	    "set -f\n"
	    "\n", pl->name, pl->name, PACKAGE_VERSION, pl->name);
}

static void
script_helpers(struct buf *b, const struct plan *pl)
{
	buf_printf(b,
	    "me=run-%s-vm\n"
	    "\n"
	    "# QEMU's option syntax: a ',' inside a value is written ',,'.\n"
	    "# (Called as $(qemu_escape ...; echo x), then the x cut: command\n"
	    "# substitution would drop a value's trailing newlines.)\n"
	    "qemu_escape() {\n"
	    "\t_rest=$1 _out=\n"
	    "\twhile :; do\n"
	    "\t\tcase $_rest in\n"
	    "\t\t*,*) _out=$_out${_rest%%%%,*},, _rest=${_rest#*,} ;;\n"
	    "\t\t*) printf '%%s' \"$_out$_rest\"; return 0 ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "}\n"
	    "\n"
	    "# A folder of yours alone: not a symlink, nobody else may enter.\n"
	    "private_dir() {\n"
	    "\ttest -d \"$1\" && ! test -L \"$1\" && test -O \"$1\" &&\n"
	    "\t    case $(ls -ld -- \"$1\") in d?\?\?------*) ;; *) false ;; esac\n"
	    "}\n"
	    "\n"
	    "# The runtime base, as vmtui works it out: $XDG_RUNTIME_DIR; else\n"
	    "# /tmp/vmtui-UID while it is yours (made when missing), unless vmtui\n"
	    "# chose a private folder instead when another user had taken it\n"
	    "# (recorded in the cache, kept while it is there); else a new one.\n"
	    "runtime_root() {\n"
	    "\tcase ${XDG_RUNTIME_DIR:-} in\n"
	    "\t/*) printf '%%s\\n' \"$XDG_RUNTIME_DIR\"; return 0 ;;\n"
	    "\tesac\n"
	    "\t_tmp=/tmp/vmtui-$(id -u)\n"
	    "\tcase ${XDG_CACHE_HOME:-} in\n"
	    "\t/*) _rec=$XDG_CACHE_HOME/vmtui/runtime-base ;;\n"
	    "\t*) _rec=${HOME:-/nonexistent}/.cache/vmtui/runtime-base ;;\n"
	    "\tesac\n"
	    "\tif test -f \"$_rec\" && ! test -L \"$_rec\" && test -O \"$_rec\"; "
	    "then\n"
	    "\t\t_b=$(head -n 1 -- \"$_rec\")\n"
	    "\t\tcase $_b in\n"
	    "\t\t\"$_tmp\"-?\?\?\?\?\?)\n"
	    "\t\t\tif private_dir \"$_b\"; then\n"
	    "\t\t\t\tprintf '%%s\\n' \"$_b\"\n"
	    "\t\t\t\treturn 0\n"
	    "\t\t\tfi ;;\n"
	    "\t\tesac\n"
	    "\tfi\n"
	    "\ttest -e \"$_tmp\" || test -L \"$_tmp\" ||\n"
	    "\t    mkdir -m 0700 -- \"$_tmp\" 2>/dev/null || :\n"
	    "\tif private_dir \"$_tmp\"; then\n"
	    "\t\tprintf '%%s\\n' \"$_tmp\"\n"
	    "\t\treturn 0\n"
	    "\tfi\n"
	    "\t_b=$(mktemp -d \"$_tmp-XXXXXX\") || return 1\n"
	    "\tif mkdir -p -- \"${_rec%%/*}\" &&\n"
	    "\t    printf '%%s\\n' \"$_b\" >\"$_rec.$$\"; then\n"
	    "\t\tmv -f -- \"$_rec.$$\" \"$_rec\" || :\n"
	    "\tfi\n"
	    "\tprintf '%%s\\n' \"$_b\"\n"
	    "}\n"
	    "\n"
	    "# Create an image (qcow2, or the format named third) unless the "
	    "file\n# exists; never write over one.\n"
	    "create_image() {\n"
	    "\ttest -e \"$1\" && return 0\n"
	    "\tmkdir -p -- \"${1%%/*}/\"\n"
	    "\t(set -C && : >\"$1\") || { printf '%%s: cannot create %%s\\n' "
	    "\"$me\" \"$1\" >&2; return 1; }\n"
	    "\tprintf '%%s: creating %%s (%%s MiB)\\n' \"$me\" \"$1\" \"$2\" >&2\n"
	    "\tqemu-img create -q -f \"${3:-qcow2}\" -- \"$1\" \"$2M\" || "
	    "{ rm -f -- \"$1\"; return 1; }\n"
	    "}\n"
	    "\n", pl->name);
	if (pl->root_backing != NULL)
		buf_puts(b,
		    "# Make an image a qcow2 overlay of the image it stands on "
		    "(never written\n# to) unless the file exists; never write "
		    "over one.\n"
		    "create_overlay() {\n"
		    "\ttest -e \"$1\" && return 0\n"
		    "\tif ! test -r \"$2\"; then\n"
		    "\t\tprintf '%s: %s is not there: the image %s stands on; "
		    "\"vmtui --install\" downloads it again\\n' \"$me\" \"$2\" "
		    "\"$1\" >&2\n"
		    "\t\treturn 1\n"
		    "\tfi\n"
		    "\tmkdir -p -- \"${1%/*}/\"\n"
		    "\t(set -C && : >\"$1\") || { printf '%s: cannot create "
		    "%s\\n' \"$me\" \"$1\" >&2; return 1; }\n"
		    "\tqemu-img create -q -f qcow2 -b \"$2\" -F \"$3\" -- \"$1\" "
		    "|| { rm -f -- \"$1\"; return 1; }\n"
		    "}\n"
		    "\n"
		    "# Grow a qcow2 image to $2 MiB when it is smaller; never "
		    "shrink one.\n"
		    "grow_image() {\n"
		    "\t_size=$(qemu-img info -f qcow2 -- \"$1\" | sed -n "
		    "'s/^virtual size: .*(\\([0-9][0-9]*\\) bytes)$/\\1/p') "
		    "|| _size=\n"
		    "\tif [ -z \"$_size\" ]; then\n"
		    "\t\tprintf '%s: cannot read the size of %s: not grown\\n' "
		    "\"$me\" \"$1\" >&2\n"
		    "\t\treturn 0\n"
		    "\tfi\n"
		    "\t[ \"$_size\" -lt $(($2 * 1048576)) ] || return 0\n"
		    "\tprintf '%s: growing %s to %s MiB\\n' \"$me\" \"$1\" \"$2\" "
		    ">&2\n"
		    "\tqemu-img resize -q -f qcow2 -- \"$1\" \"$2M\" ||\n"
		    "\t    printf '%s: could not grow %s\\n' \"$me\" \"$1\" >&2\n"
		    "}\n"
		    "\n");
	if (pl->efi_vars != NULL)
		buf_puts(b,
		    "# Copy a file unless the copy exists; never write over "
		    "one.\n"
		    "copy_once() {\n"
		    "\ttest -e \"$2\" && return 0\n"
		    "\tmkdir -p -- \"${2%/*}/\"\n"
		    "\t(set -C && : >\"$2\") || return 1\n"
		    "\tcat -- \"$1\" >\"$2\" || { rm -f -- \"$2\"; return 1; }\n"
		    "}\n"
		    "\n");
}

/* The end of a create_image line: the format, unless it is qcow2. */
static void
script_format(struct buf *b, const char *format)
{
	if (strcmp(format, "qcow2") != 0)
		buf_printf(b, " %s", format);
	buf_putc(b, '\n');
}

static void
script_prepare(struct buf *b, const struct plan *pl)
{
	size_t	i;

	/*
	 * What the script makes is private whatever the caller's umask
	 * (images, data folders, the run's temp folder); QEMU gets the
	 * caller's umask back, for the files the guest makes in a share.
	 */
	buf_puts(b, "umask_user=$(umask)\n"
	    "umask 077\n");

	/*
	 * The runtime folder: in the runtime base as vmtui works it out
	 * (paths.c), at each run, never a folder fixed when the script was
	 * written (another user may have taken it since). The folder vmtui
	 * would use now is kept for the reader, and for its last part.
	 */
	buf_puts(b, "\n# The runtime folder, as vmtui would use it now; its "
	    "base is worked out\n# again at each run.\n"
	    "rundir=");
	quote_shell(b, pl->runtime_dir);
	buf_puts(b, "\n"
	    "runroot=$(runtime_root) || {\n"
	    "\tprintf '%s: no private runtime folder of yours; set "
	    "XDG_RUNTIME_DIR\\n' \"$me\" >&2\n"
	    "\texit 1\n"
	    "}\n"
	    "rundir=$runroot/vmtui/${rundir##*/}\n"
	    "mkdir -p -- \"$runroot\"\n"
	    "if test -L \"$runroot\" || ! test -O \"$runroot\"; then\n"
	    "\tprintf '%s: %s is not yours; set XDG_RUNTIME_DIR to a private "
	    "folder\\n' \"$me\" \"$runroot\" >&2\n"
	    "\texit 1\n"
	    "fi\n"
	    "rundir_q=$(qemu_escape \"$rundir\"; echo x)\n"
	    "rundir_q=${rundir_q%x}\n"
	    "mkdir -p -- \"$rundir\"\n"
	    "if ! test -O \"$rundir\"; then\n"
	    "\tprintf '%s: %s belongs to someone else\\n' \"$me\" \"$rundir\" "
	    ">&2\n"
	    "\texit 1\n"
	    "fi\n"
	    "chmod 0700 -- \"$rundir\"\n"
	    "# the profile it starts from, for vmtui --list to find it\n"
	    "printf '%s' ");
	quote_shell(b, pl->profile);
	buf_puts(b, " >\"$rundir/" PATHS_PROFILE "\"\n\n");

	if (pl->root_disk) {
		buf_puts(b, "VMTUI_DISK_IMAGE=${VMTUI_DISK_IMAGE:-");
		quote_shell(b, pl->root_image);
		buf_puts(b, "}\n"
		    "case $VMTUI_DISK_IMAGE in\n"
		    "/*) ;;\n"
		    "*) VMTUI_DISK_IMAGE=$PWD/$VMTUI_DISK_IMAGE ;;\n"
		    "esac\n");
		/* a read-only disk is never made: it must be there */
		if (!pl->root_readonly && pl->root_backing != NULL) {
			buf_puts(b, "create_overlay \"$VMTUI_DISK_IMAGE\" ");
			quote_shell(b, pl->root_backing);
			buf_printf(b, " %s\n"
			    "grow_image \"$VMTUI_DISK_IMAGE\" %ld\n",
			    pl->root_backing_format, pl->root_size);
		} else if (!pl->root_readonly) {
			buf_printf(b, "create_image \"$VMTUI_DISK_IMAGE\" %ld",
			    pl->root_size);
			script_format(b, pl->root_format);
		}
		buf_puts(b, "root_q=$(qemu_escape \"$VMTUI_DISK_IMAGE\"; echo x)\n"
		    "root_q=${root_q%x}\n\n");
	}

	/* A temp folder only when something lives there. */
	for (i = 0; i < pl->nimages && pl->images[i].path != NULL; i++)
		;
	if (pl->exchange_dir || i < pl->nimages)
		/*
		 * With USE_TMPDIR, TMPDIR itself only when it is a private
		 * folder of the user's: in a shared one (/tmp) what is there
		 * may be another user's, so a folder of its own, made anew
		 */
		buf_printf(b,
		    "if [ -z \"${TMPDIR:-}\" ] || [ -z \"${USE_TMPDIR:-}\" ] ||\n"
		    "    ! private_dir \"$TMPDIR\"; then\n"
		    "\tTMPDIR=$(mktemp -d \"${TMPDIR:-/tmp}/vmtui-%s.XXXXXXXXXX\")"
		    "\n"
		    "\t# vmtui removes it when the machine has ended\n"
		    "\tprintf '%%s\\n' \"$TMPDIR\" >\"$rundir/tmpdir\"\n"
		    "fi\n"
		    "tmp_q=$(qemu_escape \"$TMPDIR\"; echo x)\n"
		    "tmp_q=${tmp_q%%x}\n", pl->name);
	if (pl->exchange_dir)
		buf_puts(b,
		    "mkdir -p -- \"$TMPDIR/xchg\"\n"
		    "shared_q=$(qemu_escape \"${SHARED_DIR:-$TMPDIR/xchg}\"; "
		    "echo x)\n"
		    "shared_q=${shared_q%x}\n");

	for (i = 0; i < pl->nimages; i++) {
		const struct plan_image *img = &pl->images[i];

		if (img->readonly)
			continue;
		if (img->path == NULL)
			buf_printf(b, "create_image \"$TMPDIR/%s.%s\" %ld",
			    img->title, img->ext, img->size);
		else {
			buf_puts(b, "create_image ");
			quote_shell(b, img->path);
			buf_printf(b, " %ld", img->size);
		}
		script_format(b, img->format);
	}
	/* vmtui writes cloud-init's seed (--launch, --write-script) */
	if (pl->seed != NULL) {
		buf_puts(b, "seed=");
		quote_shell(b, pl->seed);
		buf_printf(b, "\n"
		    "if ! test -r \"$seed\"; then\n"
		    "\tprintf '%%s: no cloud-init seed %%s; \"vmtui --write-script "
		    "%s\" writes it\\n' \"$me\" \"$seed\" >&2\n"
		    "\texit 1\n"
		    "fi\n", pl->name);
	}
	if (pl->efi_vars != NULL) {
		buf_puts(b, "copy_once ");
		quote_shell(b, pl->efi_vars_template);
		buf_putc(b, ' ');
		quote_shell(b, pl->efi_vars);
		buf_putc(b, '\n');
	}


	/*
	 * The console: on this terminal (with QEMU's monitor), or on a socket
	 * with QEMU logging it, for vmtui to attach to and leave.
	 */
	buf_puts(b, "\nif [ -n \"${VMTUI_BACKGROUND:-}\" ]; then\n"
	    "\tstatedir=");
	quote_shell(b, pl->state_dir);
	buf_puts(b, "\n"
	    "\tmkdir -p -- \"$statedir\"\n"
	    "\tif test -L \"$statedir\" || ! test -O \"$statedir\" ||\n"
	    "\t    test -L \"$statedir/" PATHS_LOG "\"; then\n"
	    "\t\tprintf '%s: %s is not a folder of yours, or its "
	    PATHS_LOG " a symlink\\n' \"$me\" \"$statedir\" >&2\n"
	    "\t\texit 1\n"
	    "\tfi\n"
	    "\tconsole=\"" PLAN_CONSOLE_SOCKET "$rundir_q\"");
	quote_shell(b, pl->console_background);
	buf_puts(b, "\n\tstdio=\n"
	    "else\n"
	    "\tconsole=");
	quote_shell(b, pl->console_stdio);
	buf_puts(b, "\n\tstdio=1\n"
	    "fi\n");

	/*
	 * KVM only for a guest of the host's own architecture, with a
	 * /dev/kvm we may open, on x86 with the CPU's virtualization flag
	 * (a /dev/kvm without it hangs or fails at the first vCPU).
	 */
	/*
	 * A display's password (VNC's, SPICE's ticket), new at each launch,
	 * for a display on TCP, loopback too; the owner's alone (umask 077,
	 * in the private runtime folder). VNC reads 8 characters of it.
	 */
	if (pl->vnc_password || pl->spice_password)
		buf_printf(b, "\n"
		    "tr -dc 'A-Za-z0-9' </dev/urandom 2>/dev/null | head -c 8 "
		    ">\"$rundir/%s\"\n", pl->vnc_password ? PATHS_VNCPASS :
		    PATHS_SPICEPASS);
	/*
	 * SPICE on TCP: the first port from 5930 that nothing listens on
	 * (the kernel's table of listening sockets, in hex).
	 */
	if (pl->spice_port)
		buf_puts(b, "\n"
		    "spice_port=5930\n"
		    "listening=$(awk '$4 == \"0A\" { sub(/.*:/, \"\", $2); "
		    "print $2 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null)\n"
		    "while [ \"$spice_port\" -lt 6030 ] &&\n"
		    "    printf '%s\\n' \"$listening\" | grep -qx \"$(printf '%04X' "
		    "\"$spice_port\")\"; do\n"
		    "\tspice_port=$((spice_port + 1))\n"
		    "done\n");
	/*
	 * display = auto: a window when there is a desktop and this QEMU has
	 * gtk (qemu-system-gui), else VNC on a socket in the runtime folder;
	 * never QEMU's own fallback, a VNC server on port 5900.
	 */
	if (pl->display_auto) {
		buf_puts(b, "\n"
		    "display=vnc=unix:$(qemu_escape \"$rundir/" PATHS_VNC "\"; "
		    "echo x)\n"
		    "display=${display%x},password-secret=vncpass\n"
		    "if [ -n \"${DISPLAY:-}${WAYLAND_DISPLAY:-}\" ] &&\n\t");
		quote_shell(b, pl->binary);
		buf_puts(b, " -display help 2>/dev/null | grep -qx gtk; then\n"
		    "\tdisplay=gtk\n"
		    "fi\n");
	}
	/*
	 * The vlans: multicast groups on loopback, 239.U.U.N at a port, made
	 * from the uid so that another user's machines are on LANs of their
	 * own (apart, not secret: any local user may join a group).
	 */
	if (pl->vlans)
		buf_puts(b, "\n"
		    "uid=$(id -u)\n"
		    "vlan_net=239.$((uid >> 8 & 255)).$((uid & 255))\n"
		    "vlan_port=$((41720 + (uid >> 16) % 20000))\n");
	if (pl->accel_auto)
		buf_printf(b, "\n"
		    "accel=tcg cpu=max\n"
		    "if [ \"$(uname -m)\" = %s ] && test -r /dev/kvm && "
		    "test -w /dev/kvm%s; then\n"
		    "\taccel=kvm cpu=host\n"
		    "fi\n", pl->arch, strcmp(pl->arch, "x86_64") == 0 ?
		    " &&\n\tgrep -qwE 'vmx|svm' /proc/cpuinfo" : "");
}

static void
script_exec(struct buf *b, const struct plan *pl)
{
	struct buf	 lit;
	size_t		 i, j;
	char		*text;

	buf_puts(b, "\numask \"$umask_user\"\n"
	    "\n# QEMU_OPTS is split into words on purpose.\n"
	    "# shellcheck disable=SC2086\n"
	    "exec");
	for (i = 0; i < pl->nwords; i++) {
		const struct plan_word *w = &pl->words[i];

		buf_puts(b, w->newline ? " \\\n\t" : " ");
		/* a word of the terminal form: gone when $stdio is empty */
		if (w->stdio_only)
			buf_puts(b, "${stdio:+");
		switch (w->kind) {
		case PLAN_SPLIT:
			buf_puts(b, "${QEMU_OPTS-}");
			continue;
		case PLAN_ARGS:
			buf_puts(b, "\"$@\"");
			continue;
		case PLAN_WORD:
			break;
		}
		if (w->nparts == 0)
			buf_puts(b, "''");
		for (j = 0; j < w->nparts; j++) {
			if (w->parts[j].kind == PLAN_VAR) {
				buf_printf(b, "\"%s\"", w->parts[j].text);
				continue;
			}
			/* adjacent literal parts make one quoted string */
			buf_init(&lit);
			for (; j < w->nparts && w->parts[j].kind == PLAN_LIT;
			    j++)
				buf_puts(&lit, w->parts[j].text);
			j--;
			if ((text = buf_finish(&lit, NULL)) == NULL) {
				b->failed = 1;
				return;
			}
			quote_shell(b, text);
			free(text);
		}
		if (w->stdio_only)
			buf_putc(b, '}');
	}
	buf_putc(b, '\n');
}

char *
script_render(const struct plan *pl)
{
	struct buf	b;

	buf_init(&b);
	script_header(&b, pl);
	script_helpers(&b, pl);
	script_prepare(&b, pl);
	script_exec(&b, pl);
	return buf_finish(&b, NULL);
}
