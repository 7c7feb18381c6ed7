#!/bin/sh
# The wizard's demo guest on the real QEMU, as a new user meets it: an
# empty HOME and the vmtui of a source tree. The demo guest is chosen and
# built by the script beside the program (tests/guest/build), the wizard's
# ways back keep the answers, the machine powers down on request (Ctrl-] p,
# --stop: at once, not after the 30 s that end in a kill), and the open
# list follows a machine started and stopped in another terminal.
. "$TOP_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 77; }
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	echo "qemu-system-x86_64 is not installed" >&2
	exit 77
fi
PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
T="tmux -L vmtui-wizard-$$"
trap '$T kill-server 2>/dev/null || true; pkill -f "guest=demo[12] .*$WORK/" \
    2>/dev/null || true; rm -rf "$WORK"' EXIT
# A build outside the source tree has no tests/guest beside the program:
# it is named, as for an installed vmtui (ENVS: read by lib.sh's start).
# shellcheck disable=SC2034
[ "$TOP_BUILDDIR" = "$TOP_SRCDIR" ] ||
    ENVS="VMTUI_GUEST_DIR='$TOP_SRCDIR/tests/guest'"
lit() { $T send-keys -t t -l "$1"; sleep 0.15; }
absent() {
	sleep 0.3
	! screen | grep -qF -- "$1"
}
# first_of GOOD BAD SECONDS: GOOD comes on the screen before BAD does.
first_of() {
	_i=0
	while [ "$_i" -lt "$(($3 * 10))" ]; do
		screen | grep -qF -- "$1" && return 0
		if screen | grep -qF -- "$2"; then
			screen >&2
			return 1
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	screen >&2
	return 1
}
# ready NAME: the guest NAME is up (its acpid too) within a minute, as
# its console log says (in the state folder).
ready() {
	_i=0
	while [ "$_i" -lt 600 ]; do
		grep -qs VMTUI-GUEST-READY "$(find "$XDG_STATE_HOME" -path \
		    "*$1*" -name console.log | head -n 1)" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
SEE_SECONDS=20

# 26.4: the demo guest from an empty HOME: built by the source tree's script
TMUX_SIZE="100 30"
start
see "No machines yet" >/dev/null
keys n
see "Name of the new machine" >/dev/null
lit demo1
keys Enter
see "What should it boot?" >/dev/null
keys Down Down Down Down Enter
check "the demo guest is chosen and built, from a source tree" \
    first_of "Memory (this host" "not installed" 600
check "... into the cache" test -f "$HOME/.cache/vmtui/guest/current/vmlinux"

# 26.3: its steps, and back through each of them, answers kept
keys C-u
lit 300
keys Enter
see "Cores:" >/dev/null
keys Enter
check "the demo guest has no disk step" see "Reach the guest's SSH"
keys Escape
check "Esc on SSH goes back to the cores" see "Cores:"
keys Escape
check "... then to the memory, kept" see "300"
keys Escape
check "... then to what to boot" see "What should it boot?"
keys Enter
check "forward again, the demo kept, not built again" see "Memory (this host"
keys Enter Enter
see "Reach the guest's SSH" >/dev/null
keys Down Enter
check "the summary offers Cancel" see "Cancel"
keys Down Down Enter
check "Save lists it" see "demo1 "

# 26.7, 26.12: the list follows a machine started in another terminal,
# and refuses to delete it before asking anything
check "--launch --detach in another terminal" expect_exit 0 "$VMTUI" \
    --launch demo1 --detach
check "the open list sees it running, untouched" see "state:    running"
check "... and shows the keys of a running machine" see "a attach"
keys DC
check "Del on a running machine says so at once" see "demo1 is running"
check "... asking nothing" absent "Delete the machine"

# 26.5: a wizard-made demo machine powers down on request
check "demo1 boots" ready demo1
# the guest powers itself off: QEMU is not quit after the 30 s (the time
# is told; under TCG on a loaded host it is not always 0 s)
t0=$(date +%s)
check "--stop" expect_exit 0 "$VMTUI" --stop demo1
t1=$(date +%s)
check "... the guest powered itself off (in $((t1 - t0)) s)" sh -c \
    '! grep -q "quitting it" "$1/out" "$1/err"' sh "$WORK"
check "the open list sees it stopped" see "state:    stopped"
keys q

# 26.3, 26.5 at a small terminal: the demo again, launched from the
# summary, and powered down from its view
TMUX_SIZE="70 20"
start
see "Enter edit" >/dev/null
keys n
see "Name of the new machine" >/dev/null
lit demo2
keys Enter
see "What should it boot?" >/dev/null
keys Down Down Down Down Enter
see "Memory (this host" >/dev/null
keys Enter Enter
see "Reach the guest's SSH" >/dev/null
keys Escape Escape Escape
check "70x20: back to what to boot" see "What should it boot?"
keys Enter Enter Enter
see "Reach the guest's SSH" >/dev/null
keys Down Enter
see "Save this machine?" >/dev/null
keys Enter
check "70x20: Save and launch it boots the guest" \
    see "VMTUI-GUEST-READY" 60
keys C-]
keys p
check "70x20: Ctrl-] p powers it down, the guest itself" \
    first_of "the guest powered off" "did not power off" 40

finish
