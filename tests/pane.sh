#!/bin/sh
# The split pane on the real guest, driven through tmux: the boot in the
# pane, a command typed into the guest and answered, every key the
# guest's (Esc in vi, F-keys, Ctrl-a), the escape key and its commands,
# long lines that wrap, a resize during the boot, QEMU failing at start,
# the console log, and the ways out that must never hang (a stopped
# QEMU, a deaf guest, SIGTERM). Leaving and coming back is in
# tests/background.sh.
. "$TOP_SRCDIR/tests/lib.sh"

real_qemu tmux
T="tmux -L vmtui-pane-$$"
trap '$T kill-server 2>/dev/null || true
pkill -f "guest=vmtui-(pane|deaf) .*$WORK/" 2>/dev/null || true; rm -rf "$WORK"' EXIT
fixtures
# ports free now, the kernel's pick: the test never counts on a fixed one
read -r port port2 <<END
$(free_ports 2)
END
cat >"$P/vmtui-pane.conf" <<END
memory = 256
forward { host-port = $port  guest-port = 8080 }
share "data" { source = "$WORK"  target = "/mnt/data" }
boot {
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "vmtui.net=1 vmtui.serve=8080 vmtui.acpid=1"
}
END

TMUX_SIZE="120 36"
SEE_SECONDS=20		# boots take a few seconds under TCG
# nothing_runs: no QEMU of this run (its sockets are in $WORK) within 3 s;
# it may be on its way out.
nothing_runs() {
	_i=0
	while [ "$_i" -lt 30 ]; do
		pgrep -f "guest=vmtui-pane .*$WORK/" >/dev/null || return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "still running:" >&2
	pgrep -af "guest=vmtui-pane .*$WORK/" >&2
	return 1
}

# within S FILE: FILE has something in it within S seconds.
within() {
	_i=0
	while [ ! -s "$2" ] && [ "$_i" -lt "$(($1 * 10))" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$2" ]
}
start --launch vmtui-pane
check "the status pane" see "forwards:"
check "... shows the forward" see "127.0.0.1:$port -> :8080"
check "... and the mount hint" see "version=9p2000.L,msize=16384"
# resize while it boots: the pane follows
$T resize-window -t t -x 120 -y 30
check "the boot marker appears in the pane" see "VMTUI-GUEST-READY" 30
check "the state comes from QMP" see "state:  running"
# the kernel may still print (late device probes) after the first prompt
keys Enter
check "the shell prompt" see "/ #"
keys "echo answer-\$((6*7))" Enter
check "a command typed in the pane is answered" see "answer-42"
keys "sleep 100; echo NOT-INTERRUPTED" Enter
sleep 1
keys C-c
keys "echo ctrl-c-reached" Enter
check "Ctrl-C in the pane reaches the guest" see "ctrl-c-reached" 10
# firmware turned line wrap off; the pane wraps long lines all the same
keys clear Enter 'printf "%0150d\\n" 7' Enter
check "a long guest line wraps in the pane" sh -c 'tmux -L "vmtui-pane-$1" \
    capture-pane -p -t t | grep -Eq "│0{60,}$"' sh "$$"
check "... onto the next row" sh -c 'tmux -L "vmtui-pane-$1" \
    capture-pane -p -t t | grep -Eq "│0+7 *$"' sh "$$"
# a wider pane joins it again (reflow), a narrower one cuts it again
$T resize-window -t t -x 200 -y 30
check "widened, the wrapped line is whole again" sh -c 'sleep 0.5; tmux -L \
    "vmtui-pane-$1" capture-pane -p -t t | grep -Eq "│0{149}7 *$"' sh "$$"
$T resize-window -t t -x 120 -y 30
check "... and wraps again when narrowed" sh -c 'sleep 0.5; tmux -L \
    "vmtui-pane-$1" capture-pane -p -t t | grep -Eq "│0+7 *$"' sh "$$"
# every key is the guest's: Esc in vi, F-keys and Shift-PgUp as bytes
keys "vi /tmp/typed" Enter
sleep 0.5
keys i "typed in vi"
# a pause, as a person makes: vi reads "Esc :" sent at once as one key
keys Escape
sleep 0.5
keys ":wq" Enter
keys clear Enter 'echo "$(cat /tmp/typed)---"' Enter
check "Esc reaches vi in the guest (the file was written)" \
    see "typed in vi---"
keys clear Enter "cat -v" Enter
sleep 0.3
keys F10 F7 Escape S-PageUp C-a Enter
check "F10 reaches the guest" see "^[[21~"
check "... and F7" see "^[[18~"
check "... and Shift-PgUp" see "^[[5;2~"
check "... and Ctrl-a (QEMU's mux does not take it)" see "^A"
keys C-] C-]
keys Enter
check "the escape key twice sends it to the guest" see "^]"
keys C-c
# a paste: marked (bracketed) only for a guest that asked for it
keys clear Enter 'printf "\\033[?2004h"; cat -v' Enter
sleep 0.3
$T set-buffer "PASTED-TEXT"
$T paste-buffer -p -t t
keys Enter
check "a paste reaches a guest that asked for bracketed paste, marked" \
    see "^[[200~PASTED-TEXT^[[201~"
keys C-c
keys clear Enter 'printf "\\033[?2004l"; cat -v' Enter
sleep 0.3
$T paste-buffer -p -t t
keys Enter
see "PASTED-TEXT" >/dev/null
check "... and unmarked for one that did not" sh -c '! tmux -L \
    "vmtui-pane-$1" capture-pane -p -t t | grep -q "200~"' sh "$$"
keys C-c
# the guest's colours: a red background, as the Debian installer marks
# its selected item
keys clear Enter 'printf "\\033[37;41mRED-BG\\033[0m \\033[32mGREEN\\033[0m\\n"' Enter
see "RED-BG" >/dev/null
check "the guest's red background reaches the pane" sh -c 'tmux -L \
    "vmtui-pane-$1" capture-pane -e -p -t t | grep -q "41mRED-BG"' sh "$$"
check "... and its green text" sh -c 'tmux -L "vmtui-pane-$1" \
    capture-pane -e -p -t t | grep -q "32mGREEN"' sh "$$"
# the escape key, then a command
keys C-]
check "the escape key says what may follow" see "then d leave, p power down"
sleep 2.5
check "alone, it does nothing and says so" see "alone does nothing"
keys C-] ?
check "Ctrl-] ? shows the help" see "press the power button"
keys q
keys C-] z
check "Ctrl-] z pauses the machine" see "state:  paused" 10
keys C-] z
check "... and resumes it" see "state:  running" 10
keys C-] m
check "Ctrl-] m asks for a monitor command" see "(qemu) a command"
keys "info status" Enter
check "... and shows QEMU's answer" see "VM status: running"
keys Escape
keys C-] "["
check "Ctrl-] [ scrolls back" see "scrolled back"
keys / "Linux version" Enter
check "/ searches the scrollback back" see "\"Linux version\" found"
check "... and shows the line" see "] Linux version"
keys q
check "q returns to the live view" sh -c '! tmux -L "vmtui-pane-$1" \
    capture-pane -p -t t | grep -q "scrolled back"' sh "$$"
# the mouse wheel over the pane scrolls back (X10 reports: ESC [ M, the
# button + 32, the column and row + 32), and down again to the live view
wheel() { $T send-keys -t t -l "$(printf '\033[M%s%s*' "$1" R)"; sleep 0.2; }
wheel '`'
check "the mouse wheel scrolls the scrollback" see "scrolled back 3 lines"
wheel a
check "... and back down to the live view" sh -c '! tmux -L \
    "vmtui-pane-$1" capture-pane -p -t t | grep -q "scrolled back"' sh "$$"
# a guest that asks for mouse reports gets them
keys clear Enter 'printf "\\033[?1000h"; cat -v' Enter
sleep 0.3
wheel '`'
keys Enter
check "a guest that asked for the mouse gets the wheel" see "^[[M\`"
keys C-c
keys 'printf "\\033[?1000l"' Enter
keys C-] p
check "Ctrl-] p powers the machine down and the view says so" \
    see "the guest powered off" 30
check "... and offers to launch again" see "r relaunch"
check "the console log holds the whole boot" grep -aq \
    "Linux version" "$XDG_STATE_HOME/vmtui/vmtui-pane/console.log"
check "... to the power button" grep -aq "VMTUI-POWER-BUTTON" \
    "$XDG_STATE_HOME/vmtui/vmtui-pane/console.log"
keys Escape
check "Esc leaves" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$1" ] &&
    exit 0; sleep 0.2; done; exit 1' sh "$WORK/exit"

# A port in use: the pre-flight finds it, and the view says which forward.
nc -l 127.0.0.1 "$port" >/dev/null 2>&1 &
holder=$!
sleep 0.3
start --launch vmtui-pane
check "a port in use is reported in the view" \
    see "127.0.0.1:$port -> :8080 (line 2): the host port is already in" 10
check "... and nothing runs" nothing_runs
# QEMU failing at start on its own: a forward from QEMU_NET_OPTS, which the
# pre-flight does not see, on the taken port.
sed -i "s/host-port = $port/host-port = $port2/" "$P/vmtui-pane.conf"
ENVS="QEMU_NET_OPTS=hostfwd=tcp:127.0.0.1:$port-:22" start --launch vmtui-pane
check "QEMU's own start-up error is told in plain words" \
    see "QEMU could not set up a forward" 20
check "... with relaunch offered" see "r relaunch"
kill "$holder" 2>/dev/null || true
check "... and nothing runs" nothing_runs

# Never hang: a QEMU that answers nothing, a guest that ignores the power
# button, a signal while the view waits. Each must end within seconds.
cat >"$P/vmtui-deaf.conf" <<END
memory = 256
boot {
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
}
END
deaf_runs() { pgrep -f "guest=vmtui-deaf .*$WORK/" >/dev/null; }

start --launch vmtui-deaf
see "VMTUI-GUEST-READY" 30 >/dev/null
qpid=$(pgrep -f "guest=vmtui-deaf .*$WORK/")
kill -STOP "$qpid"
keys C-] q
check "forcing a machine to quit asks" see "Force vmtui-deaf to quit"
keys y
check "a stopped QEMU is killed within 10 s" sh -c 'for i in $(seq 100); do
    kill -0 "$1" 2>/dev/null || exit 0; sleep 0.1; done; exit 1' sh "$qpid"
check "... the view says so" see "forced to quit (QEMU was killed)" 10
keys Escape
check "... and vmtui says how: QEMU was killed (137)" within 5 "$WORK/exit"
check "... 137" grep -qx 137 "$WORK/exit"

# the guest ignores the power button: the countdown ticks, then QEMU stops
start --launch vmtui-deaf
see "VMTUI-GUEST-READY" 30 >/dev/null
keys C-] p
check "the power button: a countdown" see "powering down: quit in 30 s"
# the numbers the countdown shows over 5 s, each once, in order
countdown() {
	_end=$(($(date +%s) + 5))
	while [ "$(date +%s)" -lt "$_end" ]; do
		screen | sed -n 's/.*quit in \([0-9]*\) s.*/\1/p' | head -n 1
		sleep 0.1
	done | uniq >"$WORK/countdown"
	awk 'NR > 1 && $1 != prev - 1 { bad = 1 } { prev = $1 }
	    END { exit bad || NR < 4 }' "$WORK/countdown" ||
	    { tr '\n' ' ' <"$WORK/countdown" >&2; return 1; }
}
check "... that ticks while the guest is silent, no second skipped" countdown
check "a guest that ignores the button is stopped after 30 s" \
    see "the guest did not power off within 30 s; QEMU was quit" 40
check "... and nothing runs" sh -c '! pgrep -f "guest=vmtui-deaf .*$1/"' \
    sh "$WORK"
keys Escape

start --launch vmtui-deaf
see "VMTUI-GUEST-READY" 30 >/dev/null
keys C-] p
see "powering down" >/dev/null
pkill -TERM -f "$VMTUI --launch vmtui-deaf" || true
check "SIGTERM ends vmtui while it powers down, within 10 s" within 10 \
    "$WORK/exit"
check "... with 128 + 15" grep -qx 143 "$WORK/exit"
check "... and the machine it was taking down is gone within 10 s" sh -c '
    for i in $(seq 100); do
    pgrep -f "guest=vmtui-deaf .*$1/" >/dev/null || exit 0; sleep 0.1
    done; exit 1' sh "$WORK"

# --stop of a QEMU that does not answer: says so; --force kills it
start --launch vmtui-deaf
see "VMTUI-GUEST-READY" 30 >/dev/null
qpid=$(pgrep -f "guest=vmtui-deaf .*$WORK/")
kill -STOP "$qpid"
check "--stop of a stopped QEMU fails, in seconds" expect_exit 1 timeout 20 \
    "$VMTUI" --stop vmtui-deaf --timeout 2
check "... saying it does not answer, and what --force does" grep -q \
    "does not answer.*" "$WORK/err"
check "--stop --force kills it" expect_exit 0 timeout 20 "$VMTUI" --stop \
    vmtui-deaf --force
check "... it says so" grep -q "vmtui-deaf: killed" "$WORK/out"
# SIGKILL is sent; the view reaps it (a zombie answers kill -0 until then)
check "... and it is gone within 5 s" sh -c 'for i in $(seq 50); do
    kill -0 "$1" 2>/dev/null || exit 0; sleep 0.1; done; exit 1' sh "$qpid"
keys q
deaf_runs && pkill -KILL -f "guest=vmtui-deaf .*$WORK/"

# The guest's screen is 80x24 at least, whatever the terminal: a guest
# that draws a 72-column box (as the Debian installer's dialogs are) is
# shown whole at 120x40 and 80x24 (the status folded into the title line),
# and at 70x20 the pane shows the part around the cursor and says so; a
# resize redraws the whole pane, nothing stale left over the box. (The
# kernel's late messages would land in the box: dmesg -n 1 keeps them off.)
# shows ERE N...: within 5 s the screen has N lines matching each ERE
# (pairs of them; a _ in an ERE stands for a space); else it is shown.
shows() {
	_i=0
	_a=$*
	while [ "$_i" -lt 50 ]; do
		screen >"$WORK/screen"
		_ok=1
		# shellcheck disable=SC2086 # the pairs, split at spaces
		set -- $_a
		while [ $# -ge 2 ]; do
			[ "$(grep -Ec -- "$(echo "$1" | tr _ ' ')" \
			    "$WORK/screen")" -eq "$2" ] || _ok=0
			shift 2
		done
		[ "$_ok" = 1 ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	cat "$WORK/screen" >&2
	return 1
}
boxed() { shows '\+-{70}\+' 2 '\|_BOX-TITLE_{60}\|' 1; }
TMUX_SIZE="120 40"
start --launch vmtui-deaf
see "VMTUI-GUEST-READY" 30 >/dev/null
keys Enter
keys 'box() { dmesg -n 1; clear; l=$(printf "%070d" 0 | tr 0 -); printf "\033[3;5H+%s+\033[4;5H|%-70s|\033[5;5H+%s+\033[9;1H" "$l" " BOX-TITLE" "$l"; }' Enter
keys box Enter
check "120x40: the status column beside the guest" see "state:  running"
check "... and a 72-column box whole" boxed
keys C-] s
check "Ctrl-] s folds the status into the title line" see \
    "vmtui-deaf: running - uptime"
check "... the box still whole" boxed
keys C-] s
check "... and unfolds it" see "state:  running"
$T resize-window -t t -x 80 -y 24
check "80x24: the status folds into the title line, saying what it shows" \
    see "vmtui-deaf: running - showing cols 1-80, rows"
check "... and the box is whole (80 columns for the guest)" shows \
    '^____\+-{70}\+' 2 '^____\|_BOX-TITLE_{60}\|' 1
keys C-] s
check "... Ctrl-] s unfolds it there too" see "state:  running"
keys C-] s
$T resize-window -t t -x 70 -y 20
check "70x20: the pane says which part of the guest's screen it shows" \
    see "showing cols 1-70, rows"
check "... the box's left part, cut at the pane's edge" shows \
    '^____\+-{65}$' 2
keys 'printf "\033[4;80H"; sleep 4' Enter
check "... and pans with the cursor to the box's right part" \
    see "showing cols 11-80"
check "... shown there" shows '^-{65}\+_*$' 2
sleep 4
# the cursor back left of the part shown, at column 5: the pane shows the
# screen's left edge whenever the cursor fits there (not columns 5-74),
# whether or not a frame was drawn with it further left first
keys 'printf "\033[4;80H"; sleep 2; printf "\033[6;5H"; sleep 4' Enter
see "showing cols 11-80" >/dev/null
check "... and back to the left edge when the cursor goes left of it" \
    see "showing cols 1-70"
sleep 4
keys box Enter
see "showing cols 1-70" >/dev/null
$T resize-window -t t -x 120 -y 40
check "back at 120x40: the whole pane is drawn again, the box whole" shows \
    '│____\+-{70}\+_*$' 2 '│____\|_BOX-TITLE_{60}\|_*$' 1
check "... and nothing stale: no other piece of it, nothing clipped" shows \
    'BOX-TITLE|-{10}' 3 'showing' 0
keys C-] q
see "Force vmtui-deaf to quit" >/dev/null
keys y
see "forced to quit" 10 >/dev/null
keys Escape
TMUX_SIZE="120 36"

# The status pane says where the display is and each vlan's MAC.
cat >"$P/vmtui-pane-gfx.conf" <<END
memory = 128
graphics = true
display = "vnc"
vlans = {3}
boot {
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  consoles = {"tty0", "ttyS0,115200n8"}
}
END
mac=$("$VMTUI" --print-script vmtui-pane-gfx |
    sed -n 's/.*netdev=vlan3,mac=\([0-9a-f:]*\).*/\1/p')
start --launch vmtui-pane-gfx
check "the status pane: vlans and their MACs" see "3   $mac"
# The pane is narrow: a long path wraps anywhere, so its lines are joined
# and the spaces left out.
in_status() {
	_want=$(printf '%s' "$1" | tr -d ' ')
	for _i in $(seq 50); do
		screen | sed 's/│.*//' | tr -d ' \n' | grep -qF -- "$_want" &&
		    return 0
		sleep 0.1
	done
	screen >&2
	return 1
}
check "... where the display is" in_status \
    "$(rundir vmtui-pane-gfx)/vnc.sock (a VNC viewer asks for a password"
check "... and how to reach it" in_status \
    "HOST, then a VNC viewer on localhost:5901)"
keys C-] q
see "Force vmtui-pane-gfx to quit" >/dev/null
keys y
check "... quit" see "forced to quit" 10
keys Escape

finish
