#!/bin/sh
# What a hostile guest's console output can do to the user's own terminal
# under --no-tui (the fake QEMU writes the attack's payload to the console
# log): nothing that outlives vmtui (no title, no clipboard by OSC 52, no
# alternate screen, mouse, bracketed paste, keypad or insert mode, no
# scroll region, no line-drawing charset, no colours), checked with tmux's
# own view of the pane; and vmtui's own lines, in reverse video, cannot be
# forged: the guest's fake "vmtui: ... keeps running" and host prompt come
# out plain. A guest that writes endlessly with nobody attached keeps its
# log to console-log-max (vmtui.conf), the older part in console.log.1.
# And the launch view, behind a flood of cheap sequences that
# cost the console model much (ED 2 at 250x60), takes a part of a CPU, not
# all of it.
. "$TOP_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 77; }
T="tmux -L vmtui-guestout-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$WORK"' EXIT

fixtures
printf 'memory = 256\nroot-disk { size = 1024 }\n' >"$P/g.conf"
# the attack's payload (attack-guest finding 1), then finding 2's forgery
printf 'GUEST-BEGIN\033]2;PWNED-TITLE\007\033]52;c;UFdORUQ=\007\033[?1049h\033[?1000h\033[?1006h\033[?2004h\033[?1h\033=\033[4h\033[3;6r\033(0\033[31;5;7m\033[?25l\033P$qm\033\\\033_apc\033\\GUEST-END\r\n' \
    >"$WORK/payload"
printf '\r\033[K\r\nvmtui: g keeps running; "vmtui --attach g" shows it again\r\nuser@laptop:~$ ' \
    >"$WORK/spoof"

# run CONSOLE: vmtui --launch g --no-tui in tmux, its console CONSOLE; then
# a shell's next output ("qx" drawn as text, not as box lines).
run() {
	session "env LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' HOME='$HOME' PATH='$PATH' \
FAKE_LOG='$FAKE_LOG' FAKE_IMG_LOG='$FAKE_IMG_LOG' FAKE_CONSOLE='$1' \
'$VMTUI' --launch g --no-tui; echo \$? >'$WORK/exit'; echo after-qx; sleep 60"
	$T set-option -g set-clipboard on
	see "after-qx" 10 >/dev/null
}
state() {
	$T display -p -t t '#{pane_title}|alt=#{alternate_on}|mouse=#{mouse_any_flag}|sgr=#{mouse_sgr_flag}|keypad=#{keypad_flag}|cursorkeys=#{keypad_cursor_flag}|insert=#{insert_flag}|wrap=#{wrap_flag}|cursor=#{cursor_flag}|region=#{scroll_region_upper}-#{scroll_region_lower}'
}

run "$WORK/payload"
check "the guest's text is shown" see "GUEST-BEGIN"
check "... all of it" see "GUEST-END"
check "vmtui ended (exit 0)" sh -c '[ "$(cat "$1")" = 0 ]' sh "$WORK/exit"
check "no title, mode or region outlives vmtui" sh -c \
    '[ "$1" = "$(hostname)|alt=0|mouse=0|sgr=0|keypad=0|cursorkeys=0|insert=0|wrap=1|cursor=1|region=0-29" ] ||
     { echo "state: $1" >&2; false; }' sh "$(state)"
check "OSC 52 did not reach the clipboard" sh -c '[ -z "$($1 list-buffers)" ]' \
    sh "$T"
check "the shell's next line is plain text (no charset, no colour)" sh -c \
    '$1 capture-pane -e -p -t t | grep -F after- |
     sed "s/\x1b\[\(0\|39\|49\)m//g" | grep -qx "after-qx"' sh "$T"

# finding 2: the guest's "vmtui:" line has no reverse video; vmtui's has
run "$WORK/spoof"
check "the guest's forgery is shown" see 'user@laptop:~$'
check "... plain: no reverse video on the guest's vmtui: line" sh -c \
    '$1 capture-pane -e -p -t t | grep -F "keeps running;" | grep -qv "\[[0-9;]*7m"' \
    sh "$T"
check "vmtui's own line is in reverse video" sh -c \
    '$1 capture-pane -e -p -t t | grep -F "vmtui: g has stopped" | grep -q "\[7m"' \
    sh "$T"
# --- the launch view behind a flood of erases -------------------------------
# cpu PID: its user and system time, in clock ticks
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
python3 -c 'import sys; sys.stdout.write("\033[2J" * 1000000)' >"$WORK/erases"
TMUX_SIZE="250 60"
session "env LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' HOME='$HOME' PATH='$PATH' \
VMTUI_THEMES_DIR='$VMTUI_THEMES_DIR' FAKE_LOG='$FAKE_LOG' \
FAKE_IMG_LOG='$FAKE_IMG_LOG' FAKE_CONSOLE='$WORK/erases' FAKE_SLEEP=60 \
FAKE_PIDFILE='$WORK/qemu.pid' \
'$VMTUI' --launch g; echo \$? >'$WORK/exit'; sleep 60"
pid=
for _i in $(seq 50); do
	pid=$(pgrep -P "$($T display -p -t t '#{pane_pid}')" || true)
	[ -n "$pid" ] && [ -s "$XDG_STATE_HOME/vmtui/g/console.log" ] &&
	    [ "$(stat -c %s "$XDG_STATE_HOME/vmtui/g/console.log")" -gt 4000000 ] &&
	    break
	sleep 0.1
done
sleep 1
t0=$(cpu "$pid"); sleep 4; t1=$(cpu "$pid")
pct=$(( (t1 - t0) * 100 / ($(getconf CLK_TCK) * 4) ))
echo "the launch view took $pct% of a CPU" >&2
check "the launch view behind an erase flood takes under half a CPU" \
    test "$pct" -lt 50
check "... and still obeys Ctrl-] d" sh -c \
    '$1 send-keys -t t C-]; sleep 0.3; $1 send-keys -t t d; sleep 1;
     [ "$(cat "$2" 2>/dev/null)" = 0 ]' sh "$T" "$WORK/exit"
kill "$(cat "$WORK/qemu.pid")" 2>/dev/null || true
# --- a guest that writes endlessly, nobody attached ------------------------
mkdir -p "$XDG_CONFIG_HOME/vmtui"
printf 'console-log-max = 1\n' >"$XDG_CONFIG_HOME/vmtui/vmtui.conf"
python3 -c 'import sys; sys.stdout.write(("x" * 79 + "\n") * 1024)' \
    >"$WORK/chunk"
L=$XDG_STATE_HOME/vmtui/g/console.log
FAKE_FLOOD="$WORK/chunk" FAKE_PIDFILE="$WORK/flood.pid" \
    "$VMTUI" --launch g --no-tui >/dev/null 2>&1 &
vpid=$!
for _i in $(seq 50); do [ -s "$WORK/flood.pid" ] && break; sleep 0.1; done
sleep 1
kill "$vpid"
wait "$vpid" || true
# the watcher holds the cap with nobody attached: 8 s at ~1.6 MB/s
most=0 prev=0 cuts=0
for _i in $(seq 16); do
	sleep 0.5
	n=$(stat -c %s "$L" 2>/dev/null || echo 0)
	[ "$n" -gt "$most" ] && most=$n
	[ "$n" -lt "$prev" ] && cuts=$((cuts + 1))
	prev=$n
done
kill "$(cat "$WORK/flood.pid")" 2>/dev/null || true
echo "the log was $most bytes at most, cut $cuts times in 8 s" >&2
check "an endless guest's log stays within console-log-max (1 MiB) and a beat" \
    test "$most" -lt $((1024 * 1024 + 700 * 1024))
check "... its older part in console.log.1, as big" sh -c \
    'n=$(stat -c %s "$1.1") && [ "$n" -gt 1048576 ] && [ "$n" -lt 1800000 ]' \
    sh "$L"
check "... cut again and again while the guest writes on" test "$cuts" -ge 3
finish
