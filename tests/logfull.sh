#!/bin/sh
# The console log's disk full (attack-guest finding 3): the state folder
# on a 512 KiB tmpfs, a guest (the fake QEMU) that writes endlessly.
# QEMU cannot write the log, so the console, read from it, stops: --no-tui
# and the launch view say why instead of freezing without a word. Skips
# (77) where a tmpfs cannot be mounted (not root, a container without
# CAP_SYS_ADMIN).
. "$TOP_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 77; }
SMALL=$WORK/small
mkdir "$SMALL"
if ! mount -t tmpfs -o size=512k,mode=0700 tmpfs "$SMALL" 2>/dev/null; then
	echo "cannot mount a tmpfs here" >&2
	exit 77
fi
T="tmux -L vmtui-logfull-$$ -f /dev/null"
cleanup() {
	$T kill-server 2>/dev/null || true
	[ ! -s "$WORK/flood.pid" ] ||
	    kill "$(cat "$WORK/flood.pid")" 2>/dev/null || true
	sleep 0.3
	umount "$SMALL" 2>/dev/null || umount -l "$SMALL" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
export XDG_STATE_HOME="$SMALL"

fixtures
printf 'memory = 256\nroot-disk { size = 1024 }\n' >"$P/g.conf"
python3 -c 'import sys; sys.stdout.write(("y" * 79 + "\n") * 1024)' \
    >"$WORK/chunk"

# start UI: vmtui --launch g (UI: --no-tui or nothing) in tmux, flooding
start_flood() {
	rm -f "$WORK/flood.pid"
	session "env LANG=C.UTF-8 TERM=xterm-256color \
XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
XDG_STATE_HOME='$XDG_STATE_HOME' XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' \
HOME='$HOME' PATH='$PATH' VMTUI_THEMES_DIR='$VMTUI_THEMES_DIR' \
FAKE_LOG='$FAKE_LOG' FAKE_IMG_LOG='$FAKE_IMG_LOG' FAKE_FLOOD='$WORK/chunk' \
FAKE_PIDFILE='$WORK/flood.pid' '$VMTUI' --launch g $1; \
echo \$? >'$WORK/exit'; sleep 60"
}
stop_flood() {
	kill "$(cat "$WORK/flood.pid")" 2>/dev/null || true
	see "" 1 >/dev/null
}

TMUX_SIZE="120 30"
start_flood --no-tui
check "--no-tui: the full disk is said" see "is full: QEMU cannot write the console log" 10
check "... its own line, in reverse video" sh -c \
    '$1 capture-pane -e -p -t t | grep -F "is full: QEMU" | grep -q "\[7m"' sh "$T"
stop_flood
rm -f "$SMALL"/vmtui/g/console.log*

start_flood ""
check "the launch view: the full disk is said" see "is full: QEMU cannot write" 10
stop_flood
finish
