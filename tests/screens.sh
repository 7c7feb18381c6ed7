#!/bin/sh
# The rough edges of the screens, at 120x40, 80x24 and 70x20, each from an
# empty HOME: every dialog seen before it waits, the wizard's answers kept
# and understood (sizes with units, relative paths), the editor's messages
# (what, where, gone when fixed, whole), column headings, named rows,
# scrolling through long lists, and layouts that adapt to the size.
. "$TOP_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 77; }
T="tmux -L vmtui-screens-$$"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp "$DATA/golden/vmlinuz" "$DATA/golden/initrd.gz" "$WORK/"
# tmux starts vmtui in this folder: relative paths are typed from here
cd "$WORK"
lit() { $T send-keys -t t -l "$1"; sleep 0.15; }
nothing_cut() {
	# the key bar ends with a whole key
	screen | tail -n 1 | grep -Eq "$1 *$"
}

for size in "120 40" "80 24" "70 20"; do
	TMUX_SIZE=$size
	S="${size% *}x${size#* }"
	empty_home
	start
	see "No machines yet" >/dev/null

	# 9: the proposed name is replaced by typing; a relative path is
	# stored whole; a size with a unit; the initrd in the summary
	keys n
	see "Name of the new machine" >/dev/null
	lit deb
	keys Enter
	see "What should it boot?" >/dev/null
	keys Down Down Down Enter
	see "The kernel:" >/dev/null
	lit vmlinuz
	keys Enter
	see "The initrd" >/dev/null
	lit initrd.gz
	keys Enter
	check "$S: the memory prompt says what the host suggests" \
	    see "Memory (this host suggests"
	keys C-u
	lit 512M
	keys Enter
	see "Cores:" >/dev/null
	keys Enter
	see "Size of a root disk" >/dev/null
	lit 8G
	keys Enter
	see "Reach the guest's SSH" >/dev/null
	keys Escape
	check "$S: Esc goes back to the disk, keeping its size" see "8192"
	keys Escape
	check "$S: ... then to the cores" see "Cores:"
	keys Escape
	check "$S: ... and to the memory, keeping it" see "512"
	check "$S: ... which is not called the host's suggestion" sh -c \
	    '! tmux -L "vmtui-screens-$1" capture-pane -p -t t |
	    grep -q "suggests 512 MiB"' sh "$$"
	keys Enter Enter Enter
	see "Reach the guest's SSH" >/dev/null
	keys Down Enter
	check "$S: 8G is 8192 MiB" see "a new image (8192 MiB)"
	check "$S: the summary shows the initrd" see "initrd $WORK/initrd.gz"
	# 8: save and edit, to Shares, F3: the prompt shows at once
	keys Down Enter
	see "Editing deb" >/dev/null
	check "$S: typing replaced the proposed name" test -f "$P/deb.conf"
	check "$S: ... the relative kernel is stored whole" grep -q \
	    "kernel = \"$WORK/vmlinuz\"" "$P/deb.conf"
	check "$S: ... and it loads" expect_exit 0 "$VMTUI" --check deb
	keys NPage NPage F3
	check "$S: F3 in Shares shows its prompt at once" \
	    see "Mount tag of the new share" 1
	# 10: a bad tag says "mount tag" and keeps what was typed
	lit abcdefghijklmnopqrstuvwxyz0123456
	keys Enter
	check "$S: a long tag is a mount tag" see "mount tag"
	check "$S: ... and the typed tag is still there" see "abcdefghijklmno"
	keys C-u
	lit data
	keys Enter
	see "Host folder to share" >/dev/null
	lit .
	keys Enter
	see "Mount point in the guest" >/dev/null
	keys C-u Enter
	check "$S: the share's columns have headings" see "mount tag"
	check "$S: ... the cursor is on the new row's first field" sh -c \
	    'tmux -L "vmtui-screens-$1" display -p -t t "#{cursor_y}" |
	    grep -qv "^0$"' sh "$$"
	keys Down Down Down
	check "$S: an empty mount point is flagged" see "no mount point in"
	keys F8
	check "$S: delete names the row" see "Delete the share \"data\""
	keys n
	keys F2
	check "$S: F2 shows its save" see "saved"
	# 10: a missing kernel is told on leaving the field, and the message
	# goes once it is fixed
	keys NPage NPage Down
	keys C-u
	lit "$WORK/nonesuch"
	keys Down
	check "$S: a missing kernel is told when the field is left" \
	    see "no such file or folder (yet)"
	keys Up C-u
	lit "$WORK/vmlinuz"
	keys Down
	check "$S: ... and the message goes once it is fixed" sh -c \
	    '! tmux -L "vmtui-screens-$1" capture-pane -p -t t |
	    grep -q "no such file"' sh "$$"
	# 11: a value typed but not yet taken survives a resize
	keys Down C-u
	lit "console=ttyS0 typed"
	$T resize-window -t t -x 90 -y 26
	sleep 0.3
	check "$S: typed text survives a resize" see "console=ttyS0 typed"
	$T resize-window -t t -x "${size% *}" -y "${size#* }"
	sleep 0.3
	keys Escape
	see "Leave without saving" >/dev/null
	keys y
	# 11: the list and the key bar fit the width
	check "$S: the list's heading is whole" see "NAME"
	check "$S: ... memory and cores are there" sh -c 'tmux -L \
	    "vmtui-screens-$1" capture-pane -p -t t | grep -q "MEMORY CORES"' \
	    sh "$$"
	check "$S: the key bar ends with a whole key" nothing_cut \
	    "(help|quit|script|delete|rename|copy|launch|new|edit)"
	keys q
done

# absent TEXT: TEXT is not on the screen (a moment after the last key)
absent() {
	sleep 0.3
	! screen | grep -qF -- "$1"
}
# field TEXT: a dialog's text field holds TEXT, and nothing else (the
# border drawn as curses's line or, for an xterm TERM in tmux, its x)
field() {
	screen | grep -Eq "[│x] $1 +[│x]"
}

# 26.3, 26.9, 26.14: the wizard from an empty HOME, its ways back from
# every step (the answers kept), its messages whole and what was typed
# kept, a Cancel on its summary, and the catalog read each time it is shown
: >"$WORK/disk.img"
cat >"$WORK/extra.conf" <<END
mirror "extra" { url = "https://example.invalid/extra" }
os "zzz-added" {
  title = "Added while vmtui ran"  release = "1"  arch = "x86_64"
  kind = "iso"  mirror = "extra"  path = "p"  iso = "t.iso"  sums = "SUMS"
  size = 1  memory = 512  cores = 1  disk = 1024
}
END
for size in "120 40" "80 24" "70 20"; do
	TMUX_SIZE=$size
	S="wizard at ${size% *}x${size#* }"
	empty_home
	# the shipped catalog, wherever the build is
	ENVS="VMTUI_CATALOG_DIR='$TOP_SRCDIR/catalog'" start
	see "No machines yet" >/dev/null
	keys n
	see "Name of the new machine" >/dev/null
	keys Escape
	check "$S: Esc on the first step leaves" see "No machines yet"
	keys n
	see "Name of the new machine" >/dev/null
	lit "a b"
	keys Enter
	check "$S: a bad name says why, whole" see "and '-'"
	check "$S: ... and keeps what was typed" field "a b"
	keys C-u
	lit img
	keys Enter
	see "What should it boot?" >/dev/null
	keys Down Down Enter
	see "The disk image:" >/dev/null
	lit "$WORK/disk.img"
	keys Enter
	see "Memory (this host" >/dev/null
	keys C-u
	lit 5l2
	keys Enter
	check "$S: a bad size says why, whole" see "TiB)"
	check "$S: ... and keeps what was typed" field 5l2
	keys C-u
	lit 512M
	keys Enter
	see "Cores:" >/dev/null
	keys C-u
	lit 1
	keys Enter
	check "$S: an existing image: no disk step" see "Reach the guest's SSH"
	port=$(screen | sed -n 's/.*forward 127\.0\.0\.1:\([0-9]*\) to.*/\1/p')
	keys Escape
	check "$S: Esc on SSH goes back to the cores" see "Cores:"
	check "$S: ... kept" field 1
	keys Escape
	check "$S: ... then to the memory, kept" field 512
	keys Escape
	check "$S: ... then to the image, kept" field "$WORK/disk.img"
	keys Escape
	check "$S: ... then to what to boot" see "What should it boot?"
	keys Escape
	check "$S: ... then to the name, kept" field img
	keys Enter Enter
	check "$S: forward again, the choice kept" see "The disk image:"
	keys Enter Enter Enter
	see "Reach the guest's SSH" >/dev/null
	check "$S: ... and the same port proposed" see "127.0.0.1:$port to"
	keys Enter
	check "$S: the summary" see "SSH:     127.0.0.1:$port"
	check "$S: ... offers Cancel" see "Cancel"
	keys Escape
	check "$S: Esc on the summary goes back, the port the same" \
	    see "127.0.0.1:$port to"
	keys Down Enter
	check "$S: No: no forward" absent "SSH:"
	keys Escape Enter
	check "$S: ... the No kept" absent "SSH:"
	keys End Enter
	check "$S: Cancel (End, the last choice) leaves" see "No machines yet"
	check "$S: ... saving nothing" test ! -e "$P/img.conf"

	keys n
	see "Name of the new machine" >/dev/null
	keys Enter Enter
	see "alpine-3.20" >/dev/null
	keys Escape
	see "What should it boot?" >/dev/null
	mkdir -p "$XDG_CONFIG_HOME/vmtui/catalog"
	cp "$WORK/extra.conf" "$XDG_CONFIG_HOME/vmtui/catalog/"
	keys Enter
	check "$S: the catalog is read each time it is shown" see "zzz-added"
	keys Escape Escape Escape
	check "$S: ... and Esc leaves, step by step" see "No machines yet"
	keys q
done

# in_help KEY: the help being shown has a line for KEY, on some page
in_help() {
	keys Home
	for _page in 1 2 3 4; do
		screen | grep -q "^  $1  " && return 0
		keys NPage
	done
	return 1
}

# 26.9-12: the list's every key in its bar or help; the rename prompt
# keeps its error and what was typed; the editor's column headings whole,
# a number whole after Tab, Home and End as tmux sends them under an
# xterm TERM (and an unknown sequence ignored, not taken for Esc), and
# the fixed name's note gone at the next key
for size in "120 40" "70 20"; do
	TMUX_SIZE=$size
	S="keys at ${size% *}x${size#* }"
	empty_home
	fixtures
	cat >"$P/keys.conf" <<END
disk "scratch" { size = 64 }
forward { host-port = 24022  guest-port = 22 }
boot { kernel = "$WORK/vmlinuz" }
END
	ENVS="TERM=xterm-256color" start
	see "Enter edit" >/dev/null
	check "$S: the key bar ends with help and quit" nothing_cut "q quit"
	check "$S: ... help is there" see "F1 help"
	if [ "${size% *}" -ge 120 ]; then
		check "$S: ... and the snapshots" see "S snapshots"
		check "$S: ... and libvirt" see "x libvirt"
	fi
	keys F1
	for k in S a e x; do
		check "$S: the help has the list's key $k" in_help "$k"
	done
	keys q
	keys r C-u
	lit "bad name"
	keys Enter
	check "$S: a bad new name is told in the rename prompt, whole" \
	    see "and '-')"
	check "$S: ... keeping what was typed" field "bad name"
	keys Escape
	check "$S: ... and Esc leaves it" see "Enter edit"
	check "$S: ... nothing renamed" test -f "$P/keys.conf"

	keys Enter
	see "Editing keys" >/dev/null
	keys z
	check "$S: typing into the name says how to rename" \
	    see "the name is the file's name"
	keys Right
	check "$S: ... a note gone at the next key" absent "the file's name"
	keys Down C-u
	lit abc
	keys Home
	lit X
	check "$S: Home (ESC [ 1 ~) goes to the field's start" see "Xabc"
	$T send-keys -t t -H 1b 5b 39 39 7e
	sleep 0.2
	$T send-keys -t t -H 1b 4f 46
	sleep 0.2
	lit Y
	check "$S: End (ESC O F) to its end, an unknown sequence ignored" \
	    see "XabcY"
	check "$S: ... not taken for Esc" absent "Leave without saving"
	keys NPage
	check "$S: Disks: the headings whole" see "ephemeral"
	keys NPage NPage
	check "$S: Forwards: the headings whole" see "proto"
	check "$S: ... both addresses" see "guest address"
	# Network, Restrict network, Virtual LANs, Forward guest ports, but
	# these, from, proto, address
	keys Tab Tab Tab Tab Tab Tab Tab Tab C-u
	lit 24023
	keys Tab
	check "$S: a port typed is whole after Tab" sh -c 'tmux -L \
	    "vmtui-screens-$1" capture-pane -p -t t |
	    grep -Eq "(^| )24023( |$)"' sh "$$"
	keys Escape
	see "Leave without saving" >/dev/null
	keys y q
done

# 10: a list with more rows than fit scrolls, and every row is there
rm -rf "$XDG_CONFIG_HOME"
fixtures
awk 'BEGIN { for (i = 0; i < 300; i++)
    printf "forward { host-port = %d guest-port = 22 }\n", 20000 + i
    print "boot { kernel = \"vmlinuz\" }" }' >"$P/many.conf"
TMUX_SIZE="120 40"
start
see "Enter edit" >/dev/null
keys Enter
see "Editing many" >/dev/null
keys NPage NPage NPage
check "300 forwards: the first rows, and how many there are" \
    see "rows 1-"
check "... of 300" see "of 300"
$T send-keys -t t -N 400 Down
check "Down past the last row shown scrolls" sh -c 'for i in $(seq 100); do
    tmux -L "vmtui-screens-$1" capture-pane -p -t t |
    grep -Eq "rows ([2-9]|[1-9][0-9]+)-" && exit 0; sleep 0.2; done
    exit 1' sh "$$"
$T send-keys -t t -N 1500 Down
check "... to the very last row" see "20299" 60
$T send-keys -t t -N 1800 Up
check "... and Up back to the first" see "rows 1-" 60
keys Escape q

# a machine on a vlan: the editor's preview line shows its QEMU command
# (plan_expand knew no value for the vlans' group and port: the line was
# empty)
printf 'vlans = {3}\nboot { kernel = "vmlinuz" }\n' >"$P/lan.conf"
for size in "120 40" "80 24"; do
	TMUX_SIZE=$size
	start
	see "Enter edit" >/dev/null
	keys Enter
	see "Editing lan" >/dev/null
	check "a vlan machine ($size): the preview shows its command" \
	    see "qemu-system-x86_64 -name guest=lan"
	keys Escape q
done

finish
