#!/bin/sh
# The screens, driven through tmux as a person would: keys in with
# send-keys, the screen read back with capture-pane.
. "$TOP_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 77; }
T="tmux -L vmtui-test-$$"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
fixtures
cp "$DATA/golden/vmlinuz" "$DATA/golden/initrd.gz" "$WORK/"
cat >"$P/good.conf" <<END
description = "café über — naïve"
memory = 512
cores = 2
forward { host-port = 2222  guest-port = 22 }
boot {
  kernel = "$WORK/vmlinuz"
}
END
printf 'memory = 8\ncores = 2\n' >"$P/broken.conf"

exited() {
	_i=0
	while [ ! -s "$WORK/exit" ] && [ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$WORK/exit" ]
}

start
check "the browser lists the machines" see "good                512M     2 kernel"
check "a broken profile is listed" see "broken                 -     - broken"
check "the key bar" see "Enter edit  n new  l launch"
check "the broken one is selected first and its error shown" \
    see "line 1: memory must be from 16"
keys Down
check "details of the good one" see "forwards: 127.0.0.1:2222 -> :22"
check "... its UTF-8 description whole (the terminal's character set)" \
    see "about:    café über — naïve"
keys s
check "s shows the launch script" see "run-good-vm: starts the virtual machine"
keys Escape
check "Esc goes back" see "Enter edit  n new"
keys F1
check "F1 shows the help" see "make a new machine, step by step"
keys q

# The editor refuses a bad value and keeps the file.
cp "$P/good.conf" "$WORK/good.before"
keys Enter
check "Enter opens the editor" see "Editing good"
check "General has the display's keys" see "Display address"
keys Down Down C-u 8 Down
check "a bad memory is refused with the reason" \
    see "memory must be from 16 to 16777216, not 8"
keys Escape
check "leaving with a bad value asks" see "will be lost. Leave anyway?"
keys y
check "... and nothing was saved" same_file "$WORK/good.before" "$P/good.conf"

# Edit, save, and the script follows.
keys Enter
see "Editing good" >/dev/null
keys Down Down C-u 7 6 8 Down F2
check "F2 saves" see "saved $P/good.conf"
keys Escape
check "back in the browser" see "good                768M"
check "--print-script reflects the edit" sh -c \
    '"$1" --print-script good | grep -q "'"'"'-m'"'"' '"'"'768'"'"'"' sh "$VMTUI"

# Unsaved changes ask before leaving.
keys Enter
see "Editing good" >/dev/null
keys Down Down C-u 1 0 2 4 Down
keys Escape
check "leaving with unsaved changes asks" see "Leave without saving"
keys n
check "n stays in the editor" see "Editing good (changed)"
keys F1
check "F1 in the editor lists its keys, from its table" \
    see "leave; asks when there are unsaved changes"
keys q
check "... and leaves the help for the form" see "Editing good (changed)"
keys Escape y
check "y leaves, unsaved" see "good                768M"

# Two editors of one profile: the second is told.
keys Enter
see "Editing good" >/dev/null
$T new-window -t t "env LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' '$VMTUI'; sleep 60"
sleep 0.5
keys Down Enter
check "a second editor is told who holds the profile" \
    see "is being edited by another vmtui (pid"
$T kill-window -t t:1
sleep 0.2

# The file changed on disk under the editor: saving asks.
printf '\n# changed elsewhere\n' >>"$P/good.conf"
keys Down C-u 1 F2
check "saving over a file changed on disk asks" see "changed on disk since"
keys n
check "... and no means not saved" see "not saved"
keys Escape y

# List topics: rows are added with F3.
keys Enter
see "Editing good" >/dev/null
keys NPage
check "PgDn goes to the next topic" see "Disk interface"
keys F3
check "F3 in Disks asks for a title" see "Title of the new disk:"
keys s c r a t c h Enter
check "the disk is a new row" see "scratch"
keys NPage NPage F3
check "F3 in Forwards adds one on a free host port" see "2223"
keys F2
check "and it saves" see "saved $P/good.conf"
keys Escape
check "the file has the disk" grep -q 'disk "scratch"' "$P/good.conf"
check "... and the forward" grep -q "host-port = 2223" "$P/good.conf"

# Virtual LANs: a list of numbers, checked as typed; the details show MACs.
keys Enter
see "Editing good" >/dev/null
keys NPage NPage NPage Down Down 1 Space 1 Down
check "a vlan twice is refused" see "1 is there twice"
keys C-u 2 Space 1 Down F2
check "the vlans save" see "saved $P/good.conf"
keys Escape
check "... as a list of numbers" grep -qx "vlans = {2, 1}" "$P/good.conf"
mac=$("$VMTUI" --print-script good |
    sed -n 's/.*netdev=vlan2,mac=\([0-9a-f:]*\).*/\1/p')
check "the details show each vlan's MAC, the script's" \
    see "vlans:    2 (MAC $mac), 1 (MAC"

# The wizard, by keys alone.
keys n
check "n starts the wizard" see "Name of the new machine"
keys C-u w i z Enter
check "what to boot" see "What should it boot?"
keys Down Down Down Enter
check "asks for the kernel" see "The kernel:"
keys "$WORK/vml" Tab
check "Tab completes paths" see "$WORK/vmlinuz"
keys Enter
keys "$WORK/initrd.gz" Enter
check "asks for memory, sized from the host" see "Memory (this host suggests"
keys C-u 5 1 2 Enter C-u 1 Enter
check "asks for a root disk" see "Size of a root disk"
keys Enter
check "offers the SSH forward" see "Reach the guest's SSH from this host?"
keys Enter
check "shows a summary" see "Save this machine?"
keys Down Down Enter
check "the new machine is listed" see "wiz                 512M     1 kernel"
sed -e "s|$WORK|@WORK@|g" -e 's|host-port = 22[0-9][0-9]|host-port = 2222|' \
    "$P/wiz.conf" >"$WORK/wiz.got"
[ -n "${TUI_UPDATE:-}" ] && cp "$WORK/wiz.got" "$DATA/tui/wiz.conf"
check "the saved file is the expected one" same_file "$DATA/tui/wiz.conf" \
    "$WORK/wiz.got"
check "... and it checks" expect_exit 0 "$VMTUI" --check wiz

# An ISO install, with a graphical screen too.
: >"$WORK/inst.iso"
keys n
see "Name of the new machine" >/dev/null
keys C-u i s o Enter
see "What should it boot?" >/dev/null
keys Down Enter
check "an ISO is asked for" see "The installer ISO:"
keys "$WORK/inst.iso" Enter
check "... then the installer's screen" see "The installer's screen:"
keys Down Enter
see "Memory (this host suggests" >/dev/null
keys Enter Enter
see "Size of the disk to install onto" >/dev/null
keys Enter
see "Reach the guest's SSH from this host?" >/dev/null
keys Down Enter
check "the summary says the screen" see "Screen:  graphical too"
keys Down Down Enter
check "... saved with graphics" grep -qx "graphics = true" "$P/iso.conf"
check "... and a display that is never on a TCP port" sh -c \
    '"$1" --print-script iso | grep -q "display=vnc=unix:"' sh "$VMTUI"

# Delete asks, and removes.
keys End
check "select the last" see "wiz"
keys DC
check "delete asks" see "Delete the machine wiz?"
keys y
check "it is gone" test ! -e "$P/wiz.conf"
check "... from the list" sh -c '! tmux -L "vmtui-test-$1" capture-pane -p \
    -t t | grep -q "^ wiz "' sh "$$"

# Resize: too small, then back.
$T resize-window -t t -x 30 -y 8
check "below 60x16 the screen says so" see "terminal too small"
$T resize-window -t t -x 100 -y 30
check "back at full size it redraws" see "Enter edit  n new"
keys q
check "q quits" exited
check "... with status 0" grep -qx 0 "$WORK/exit"

# Themes: each shipped one loads; a broken one is reported.
for theme in default light mono high-contrast; do
	start --theme "$theme"
	check "theme $theme" see "Enter edit  n new"
	check "theme $theme loads without complaint" sh -c \
	    '! tmux -L "vmtui-test-$1" capture-pane -p -t t | grep -q theme' \
	    sh "$$"
done
mkdir -p "$XDG_CONFIG_HOME/vmtui/themes"
printf 'role "title" { fg = "purple" }\n' \
    >"$XDG_CONFIG_HOME/vmtui/themes/bad.theme"
start --theme bad
check "a broken theme is reported on the message line" \
    see "theme bad is broken, using the built-in one"
check "... with its line" see "bad.theme:1: role"
ENVS="NO_COLOR=1" start
see "Enter edit" >/dev/null
check "NO_COLOR: no colours at all" sh -c '! tmux -L "vmtui-test-$1" \
    capture-pane -e -p -t t | grep -q "\[[0-9;]*3[0-7]m"' sh "$$"

# Signals end vmtui through its clean-up: this session's vmtui, not one
# another test runs beside this one (make -j).
pane=$($T list-panes -t t -F '#{pane_pid}')
pkill -TERM -P "$pane" -f "^$VMTUI\$" || true
check "SIGTERM ends it" exited

finish
