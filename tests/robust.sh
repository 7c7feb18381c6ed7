#!/bin/sh
# Never hang, always say what happened: a FIFO where a profile should be,
# a huge profile, the exit status of every way a launch ends, an output
# that closes. Each hang case runs under timeout and must end in seconds.
. "$TOP_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 77; }
T="tmux -L vmtui-robust-$$"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
fixtures
cp "$DATA/golden/vmlinuz" "$P/"
printf 'memory = 64\nboot { kernel = "vmlinuz" }\n' >"$P/good.conf"

# --- 1: a FIFO as a profile -------------------------------------------------------
mkfifo "$P/zz.conf"
check "--check of a FIFO ends" expect_exit 2 timeout 5 "$VMTUI" --check zz
check "... saying what it is" grep -q \
    "zz.conf: not a regular file (a FIFO); a profile is a text file" \
    "$WORK/err"
check "--launch of a FIFO ends" expect_exit 2 timeout 5 "$VMTUI" --launch zz \
    --no-tui
check "--list with a FIFO ends" expect_exit 0 timeout 5 "$VMTUI" --list
check "... and lists it broken" grep -q "^zz .* broken .*a FIFO" "$WORK/out"
start
see "Enter edit" >/dev/null
keys Down
check "the browser with a FIFO shows the list" see "not a regular file"
keys q
sleep 0.3
check "... and q quits" test -s "$WORK/exit"
rm -f "$P/zz.conf"

# --- 4: a huge profile is refused at once; a big one loads quickly ------------------
awk 'BEGIN { for (i = 0; i < 58000; i++) printf "disk \"d%d\" {}\n", i }' \
    >"$WORK/huge.conf"
check "58,000 disk sections: refused within seconds" expect_exit 2 \
    timeout 3 "$VMTUI" --check "$WORK/huge.conf"
check "... saying why" grep -q \
    "huge.conf:65: more than 64 disk sections; a machine has at most 64" \
    "$WORK/err"
awk 'BEGIN { for (i = 0; i < 64; i++) printf "disk \"d%d\" { size = 1 }\n", i
    for (i = 0; i < 4000; i++) printf "forward { host-port = %d guest-port = 22 }\n", 10000 + i
    print "disk \"d7\" { size = 1 }" }' >"$WORK/big.conf"
check "64 disks and 4,000 forwards: checked within seconds" expect_exit 2 \
    timeout 3 "$VMTUI" --check "$WORK/big.conf"
check "... a disk title given twice is found" grep -q \
    'big.conf:4065: more than 64 disk sections' "$WORK/err"
printf 'disk "a" { size = 1 }\ndisk "b" { size = 1 }\ndisk "a" { size = 2 }\nboot { kernel = "vmlinuz" }\n' \
    >"$P/dup.conf"
check "a disk title given twice" expect_exit 2 "$VMTUI" --check dup
check "... names both lines" grep -q \
    'dup.conf:3: disk "a" is given twice (first on line 1)' "$WORK/err"
rm -f "$P/dup.conf"

# --- 7: host ports that another machine forwards ---------------------------------
printf 'forward { host-port = 2222  guest-port = 22 }\nboot { kernel = "vmlinuz" }\n' \
    >"$P/ssh1.conf"
cp "$P/ssh1.conf" "$P/ssh2.conf"
check "two machines on one host port: --check passes" expect_exit 0 "$VMTUI" \
    --check ssh2
check "... with a warning naming the other" grep -q \
    "ssh2.conf:1: warning: host port tcp/2222 is forwarded by ssh1 too" \
    "$WORK/err"
start
see "Enter edit" >/dev/null
keys Down Down Down
check "the list warns of it" see "(warning: ssh1"
keys n
see "Name of the new machine" >/dev/null
keys C-u w Enter Down Down Down Enter
see "The kernel:" >/dev/null
keys "$P/vmlinuz" Enter Enter Enter Enter Enter
check "the wizard offers a port no other machine forwards" \
    see "Yes: forward 127.0.0.1:2223 to the guest's port 22"
keys q
rm -f "$P/ssh1.conf" "$P/ssh2.conf"
$T kill-server 2>/dev/null || true

# --- 5: the exit status says what happened ------------------------------------------
mkdir "$WORK/bin"
cat >"$WORK/bin/qemu-system-x86_64" <<'END'
#!/bin/sh
# a QEMU that prints a lot, then ends as FAKE_END says
yes 'console output line' | head -c 200000
case ${FAKE_END:-0} in
kill) kill -KILL $$ ;;
*) sleep 0.5; exit "${FAKE_END:-0}" ;;
esac
END
chmod +x "$WORK/bin/qemu-system-x86_64"
check "--no-tui: QEMU's status" expect_exit 3 env PATH="$WORK/bin:$PATH" \
    FAKE_END=3 "$VMTUI" --launch good --no-tui
check "--no-tui: a killed QEMU is 137" expect_exit 137 env \
    PATH="$WORK/bin:$PATH" FAKE_END=kill "$VMTUI" --launch good --no-tui
# The runtime folder's copy of the script: written when it changed only (on
# a runtime folder on a disk, replacing a file waits for the disk), never a
# stale or altered one run.
R=$(rundir good)/run-good-vm
ino=$(stat -c %i "$R")
env PATH="$WORK/bin:$PATH" "$VMTUI" --launch good --no-tui >/dev/null 2>&1
check "a launch of an unchanged machine keeps its script's file" \
    test "$(stat -c %i "$R")" = "$ino"
"$VMTUI" --print-script good >"$WORK/printed"
check "... which is the script --print-script prints" same_file "$R" \
    "$WORK/printed"
printf 'memory = 96\nboot { kernel = "vmlinuz" }\n' >"$P/good.conf"
env PATH="$WORK/bin:$PATH" "$VMTUI" --launch good --no-tui >/dev/null 2>&1
"$VMTUI" --print-script good >"$WORK/printed"
check "a changed machine's script is written anew" same_file "$R" \
    "$WORK/printed"
check "... with the change" grep -q "'-m' '96'" "$R"
sed 's/96/97/' "$R" >"$R.new" && cat "$R.new" >"$R" && rm "$R.new"
env PATH="$WORK/bin:$PATH" "$VMTUI" --launch good --no-tui >/dev/null 2>&1
check "an altered script (its size kept) is written anew" same_file "$R" \
    "$WORK/printed"
chmod 0755 "$R"
env PATH="$WORK/bin:$PATH" "$VMTUI" --launch good --no-tui >/dev/null 2>&1
check "... and one whose mode was changed" test "$(stat -c %a "$R")" = 700
printf 'memory = 64\nboot { kernel = "vmlinuz" }\n' >"$P/good.conf"

ENVS="PATH='$WORK/bin:$PATH' FAKE_END=kill" start --launch good
check "the launch view: QEMU killed" see "QEMU exited with status 137"
keys q
sleep 0.5
check "... vmtui exits 137 too" grep -qx 137 "$WORK/exit"
ENVS="PATH='$WORK/bin:$PATH' FAKE_END=0" start --launch good
see "QEMU exited (status 0)" >/dev/null
keys q
sleep 0.5
check "the launch view: a clean exit is 0" grep -qx 0 "$WORK/exit"
printf 'memory = 64\nforward { host-port = 2299 guest-port = 22 }\nboot { kernel = "vmlinuz" }\n' \
    >"$P/busy.conf"
# the real nc, not the fake one of tests/fake
"$(PATH=/usr/bin:/bin command -v nc)" -l 127.0.0.1 2299 </dev/null \
    >/dev/null 2>&1 &
ncpid=$!
sleep 0.3
check "(port 2299 is taken for the next test)" sh -c \
    'ss -ltn | grep -q "127.0.0.1:2299 "'
ENVS="PATH='$WORK/bin:$PATH'" start --launch busy
check "the launch view: a refused launch" see "cannot start"
keys q
sleep 0.5
check "... exits 1" grep -qx 1 "$WORK/exit"
kill "$ncpid" 2>/dev/null || true

# --- the guest's colours reach the pane (issue 11) ------------------------------------
cat >"$WORK/colour-qemu" <<'END'
#!/bin/sh
printf 'A\033[37;41mRED\033[0m B\033[32mGREEN\033[0m C\033[38;5;196mIDX\033[0m '
printf 'D\033[38;2;0;0;255mRGB\033[0m E\033[1mBOLD\033[0m\r\n'
sleep 30
END
chmod +x "$WORK/colour-qemu"
printf 'guest-agent = false\nboot { kernel = "vmlinuz" }\nqemu { binary = "%s/colour-qemu" }\n' \
    "$WORK" >"$P/colour.conf"
ENVS="TERM=tmux-256color" start --launch colour
see "RGB" >/dev/null
$T capture-pane -e -p -t t >"$WORK/colours"
check "a red background and white text" grep -q \
    "$(printf '\033')\[37m$(printf '\033')\[41mRED" "$WORK/colours"
check "green text" grep -q "$(printf '\033')\[32mGREEN" "$WORK/colours"
check "256 colours" grep -q "38;5;196mIDX" "$WORK/colours"
check "true colour, as the nearest of 256" grep -q "38;5;21mRGB" \
    "$WORK/colours"
check "bold" grep -q "$(printf '\033')\[1mBOLD" "$WORK/colours"
ENVS="TERM=tmux-256color NO_COLOR=1" start --launch colour
see "RGB" >/dev/null
$T capture-pane -e -p -t t >"$WORK/colours"
check "NO_COLOR: no colours" sh -c '! grep -q "\[[0-9;]*3[0-7]m\|38;5" "$1"' \
    sh "$WORK/colours"
check "... and still readable" grep -q "RED.*GREEN.*IDX.*RGB" "$WORK/colours"
ENVS="TERM=xterm" start --launch colour
see "RGB" >/dev/null
$T capture-pane -e -p -t t >"$WORK/colours"
check "8 colours: 196 is the nearest red" grep -q \
    "$(printf '\033')\[31mIDX" "$WORK/colours"
$T kill-server 2>/dev/null || true
pkill -f "$WORK/colour-qemu" 2>/dev/null || true

# --- 6: an output that closes --------------------------------------------------------
cat >"$WORK/pipe.sh" <<END
env PATH='$WORK/bin:$PATH' FAKE_END=5 '$VMTUI' --launch good --no-tui |
    head -c 300 >/dev/null
stty -a >'$WORK/stty'
echo done >'$WORK/exit'
sleep 60
END
session "env XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' HOME='$HOME' sh '$WORK/pipe.sh'"
i=0
while [ ! -s "$WORK/exit" ] && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "| head: vmtui ends" test -s "$WORK/exit"
check "... the terminal is restored (icanon, echo)" sh -c \
    'grep -qw icanon "$1" && grep -qw echo "$1"' sh "$WORK/stty"
check "... the console log has all of it" sh -c '[ "$(wc -c <"$1")" -ge \
    200000 ]' sh "$(statedir good)/console.log"
check "... and says so" see "the output is closed"

finish
