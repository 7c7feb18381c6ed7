#!/bin/sh
# Machines outlive the view (issue 11), on the real guest through tmux:
# Ctrl-] d leaves a machine running; what it prints while nobody watches
# is in the log and on the screen at the next attach; one view at a time;
# a SIGKILLed vmtui leaves it running and attachable; --attach, --no-tui,
# the list, --launch --detach, --stop, and the host terminal wrapping
# again after --no-tui.
. "$TOP_SRCDIR/tests/lib.sh"

real_qemu tmux
T="tmux -L vmtui-bg-$$"
trap '$T kill-server 2>/dev/null || true; pkill -f "guest=vmtui-bg.*$WORK/" \
    2>/dev/null || true; rm -rf "$WORK"' EXIT
fixtures
for m in vmtui-bg vmtui-bg2; do
	cat >"$P/$m.conf" <<END
memory = 256
boot {
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "vmtui.acpid=1"
}
END
done
# a guest that ignores the power button (no vmtui.acpid=1)
printf 'memory = 256\nboot {\n  kernel = "%s/vmlinux"\n  initrd = "%s/initrd.gz"\n}\n' \
    "$GUEST" "$GUEST" >"$P/vmtui-bg3.conf"
LOG=$XDG_STATE_HOME/vmtui/vmtui-bg/console.log
SEE_SECONDS=20
TMUX_SIZE="120 30"
runs() { "$VMTUI" --list | grep -Eq "^$1 .*running \\(pid"; }
# in_log TEXT [SECONDS]
in_log() {
	_i=0
	while [ "$_i" -lt "$((${2:-10} * 10))" ]; do
		grep -aq -- "$1" "$LOG" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
exited() {
	_i=0
	while [ ! -s "$WORK/exit" ] && [ "$_i" -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	grep -qx "$1" "$WORK/exit"
}

# 1. Launch, leave it running, it prints while nobody watches.
start --launch vmtui-bg
see "VMTUI-GUEST-READY" 30 >/dev/null
keys Enter
keys '(sleep 4; echo "MARK-WHILE-AWAY $((40+2))") &' Enter
keys C-] d
check "Ctrl-] d leaves the view, vmtui exits 0" exited 0
check "... saying the machine keeps running and how to come back" \
    see "vmtui-bg keeps running; \"vmtui --attach vmtui-bg\""
check "... and it does (--list)" runs vmtui-bg
check "what it printed while nobody watched is in the log" \
    in_log "MARK-WHILE-AWAY 42"

# 2. Attach: the screen as it was, with what came meanwhile.
start --attach vmtui-bg
check "--attach shows the machine's screen at once" see "MARK-WHILE-AWAY 42" 5
check "... with the boot before it" see "VMTUI-GUEST-READY" 1
check "one view at a time: a second attach is refused" expect_exit 1 \
    "$VMTUI" --attach vmtui-bg --no-tui
check "... saying where it is shown" grep -q \
    "vmtui-bg is shown in another vmtui (pid [0-9]*)" "$WORK/err"
keys "echo live-\$((6*7))" Enter
check "keys typed after attaching reach the guest" see "live-42"

# 3. A SIGKILLed vmtui: the machine runs on, attachable again.
pkill -KILL -f "$VMTUI --attach vmtui-bg" || true
sleep 0.5
check "SIGKILL of the attached vmtui: the machine still runs" runs vmtui-bg
# (in a terminal whose terminfo names Ctrl and Alt arrows, as xterm's does:
# ncurses reads them as keys of their own, which must reach the guest)
ENVS="TERM=xterm-256color" start --attach vmtui-bg
check "... and attaches again, its screen rebuilt" see "live-42" 5
keys clear Enter "cat -v" Enter
sleep 0.3
keys C-Left M-Right C-S-Up C-PageDown Enter
check "Ctrl-Left reaches the guest as xterm sends it" see "^[[1;5D"
check "... and Alt-Right" see "^[[1;3C"
check "... and Ctrl-Shift-Up" see "^[[1;6A"
check "... and Ctrl-PgDn" see "^[[6;5~"
keys C-c
keys "echo again" Enter
see "again" >/dev/null
keys C-] d
exited 0 || true
check "--launch of a running machine is refused" expect_exit 1 \
    "$VMTUI" --launch vmtui-bg --no-tui
check "... saying it runs" grep -q "vmtui-bg is already running" "$WORK/err"
check "... and how to see it" grep -q '"vmtui --attach vmtui-bg" shows it' \
    "$WORK/err"

# 4. --no-tui: the console here; Ctrl-a is the guest's; Ctrl-] d leaves;
# the host terminal wraps again afterwards, whatever the guest sent.
session "env XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
XDG_STATE_HOME='$XDG_STATE_HOME' XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' \
HOME='$HOME' PATH='$PATH' '$VMTUI' --attach vmtui-bg --no-tui; \
echo \$? >'$WORK/exit'; printf '%0150d\\n' 7; sleep 60"
see "again" 5 >/dev/null
keys "echo nt-\$((2+3))" Enter
check "--attach --no-tui: keys reach the guest" see "nt-5"
keys C-] ?
check "... Ctrl-] ? lists the commands (the escape table)" see "d   leave; the machine keeps"
check "... and says why one is the launch view's only" see \
    "([ or PgUp scroll: the launch view's only; a terminal scrolls back"
# the view's commands that make sense on a bare terminal work here too
keys C-] z
check "... Ctrl-] z pauses the machine" see "vmtui-bg is paused" 10
keys C-] z
check "... and resumes it" see "vmtui-bg is running" 10
keys C-] m
check "... Ctrl-] m asks for a line for QEMU's monitor" see "(qemu)"
keys "info status" Enter
check "... and prints QEMU's answer" see "VM status: running" 10
keys C-] q
check "... Ctrl-] q asks first" see "force vmtui-bg to quit, as pulling"
keys n
check "... and n keeps it running" see "vmtui-bg keeps running"
keys C-] d
check "... Ctrl-] d leaves, exit 0" exited 0
check "... the machine runs on" runs vmtui-bg
check "... and the host terminal wraps long lines again" sh -c '
    tmux -L "vmtui-bg-$1" capture-pane -p -t t | grep -Eqx "0{120}" &&
    tmux -L "vmtui-bg-$1" capture-pane -p -t t | grep -Eqx "0{29}7"' sh "$$"

# 5. The list: running machines are marked; Enter shows one; quitting says
# what keeps running.
start
check "the list marks the running machine" see "vmtui-bg     256M     1 kernel  running"
keys Enter
check "Enter on a running machine shows it" see "state:  running" 5
check "... its screen rebuilt" see "nt-5" 5
keys C-] d
check "... Ctrl-] d goes back to the list, which says so" \
    see "vmtui-bg keeps running" 5
keys q
check "quitting vmtui says what keeps running" see \
    "1 machine keeps running"
check "... exit 0" exited 0

# 6. --launch --detach, --stop, and a machine that is not running.
check "--launch --detach returns once the machine answers" expect_exit 0 \
    timeout 60 "$VMTUI" --launch vmtui-bg2 --detach
check "... saying how to reach it" grep -q \
    "vmtui-bg2 is running in the background; \"vmtui --attach vmtui-bg2\"" \
    "$WORK/out"
check "... it runs" runs vmtui-bg2
check "--stop stops a background machine" expect_exit 0 "$VMTUI" --stop \
    vmtui-bg --timeout 30
check "... the guest saw the power button (the log has every byte)" sh -c \
    'grep -aq "VMTUI-POWER-BUTTON" "$1" && grep -aq "MARK-WHILE-AWAY 42" "$1" &&
    grep -aq "nt-5" "$1"' sh "$LOG"
check "--attach of a stopped machine: exit 2" expect_exit 2 "$VMTUI" \
    --attach vmtui-bg
check "... saying it is not running" grep -q "vmtui-bg is not running" \
    "$WORK/err"
# with a view attached, which holds a QMP connection: the list and --stop
# are answered at once, as without one (QEMU serves one client of a QMP
# socket at a time)
start --attach vmtui-bg2
see "state:  running" >/dev/null
check "--list while a view shows the machine: it runs, said at once" sh -c \
    'timeout 3 "$1" --list >"$2" &&
    grep -Eq "^vmtui-bg2 .*running \(pid [0-9]+\)$" "$2"' sh "$VMTUI" \
    "$WORK/list"
check "--stop of a machine a view shows" expect_exit 0 timeout 60 \
    "$VMTUI" --stop vmtui-bg2 --timeout 30
check "... the view saw it power off (its own QMP)" see "the guest powered off"
keys q
check "QEMU failing at start: --detach says why, non-zero" expect_exit 1 \
    env QEMU_OPTS="-device no-such-device" "$VMTUI" --launch vmtui-bg2 \
    --detach
check "... in QEMU's words" grep -q "no-such-device" "$WORK/err"
check "... and nothing runs" sh -c '! pgrep -f "guest=vmtui-bg2 .*$1/"' sh \
    "$WORK"
# 7. --no-tui, a guest that ignores the power button: Ctrl-] p ends with
# QEMU quit after the same deadline as the view's (30 s), said, and exits.
session "env XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' \
XDG_STATE_HOME='$XDG_STATE_HOME' XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' \
HOME='$HOME' PATH='$PATH' '$VMTUI' --launch vmtui-bg3 --no-tui; \
echo \$? >'$WORK/exit'; sleep 90"
check "--launch --no-tui boots the guest" see "VMTUI-GUEST-READY" 60
keys C-] p
check "... Ctrl-] p presses the power button, says how long it waits" \
    see "quit in 30 s" 5
check "... the guest ignores it: QEMU is quit at the deadline, said" \
    see "did not power off within 30 s; QEMU was quit" 45
check "... and vmtui exits" sh -c 'i=0; while [ ! -s "$1" ] && \
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; test -s "$1"' sh \
    "$WORK/exit"
check "... nothing runs" sh -c '! "$1" --list | grep -q "^vmtui-bg3 .*running"' \
    sh "$VMTUI"
finish
