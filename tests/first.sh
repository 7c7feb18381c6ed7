#!/bin/sh
# A new user's first steps and everyday care of machines, through tmux, at
# two terminal sizes, each from an empty HOME (no folders at all): the
# wizard's three ways to save, a profile made elsewhere meanwhile, a data
# folder left by an earlier machine, the editor passing over every field
# without changing a byte, and rename, copy and delete keeping the disks
# with their machine.
. "$TOP_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 77; }
T="tmux -L vmtui-first-$$"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp "$DATA/golden/vmlinuz" "$DATA/golden/initrd.gz" "$WORK/"
DH=$XDG_DATA_HOME/vmtui

mode() { stat -c %a "$1"; }
lit() { $T send-keys -t t -l "$1"; sleep 0.15; }

# wizard NAME: through the wizard to its summary; a kernel machine with a
# 64 MiB root disk and no SSH forward.
wizard() {
	keys n
	see "Name of the new machine" >/dev/null
	keys C-u
	lit "$1"
	keys Enter
	see "What should it boot?" >/dev/null || return 1
	keys Down Down Down Enter
	see "The kernel:" >/dev/null
	lit "$WORK/vmlinuz"
	keys Enter
	see "The initrd" >/dev/null
	keys Enter
	see "Memory (this host" >/dev/null
	keys C-u 6 4 Enter
	see "Cores:" >/dev/null
	keys C-u 1 Enter
	see "Size of a root disk" >/dev/null
	keys C-u 6 4 Enter
	see "Reach the guest's SSH" >/dev/null
	keys Down Enter
	see "Save this machine?"
}

for size in "100 30" "80 24"; do
	TMUX_SIZE=$size
	S="at ${size% *}x${size#* }"
	empty_home

	start
	check "$S: an empty HOME shows an empty list" \
	    see "No machines yet: press n to make one."
	# the list's keys for a machine, with none: nothing happens
	keys S x
	check "$S: S and x on an empty list do nothing" \
	    see "No machines yet: press n to make one."
	check "$S: ... and make no folder" test ! -e "$XDG_CONFIG_HOME"

	# the three ways to save, each the very first save of its kind
	check "$S: the wizard reaches its summary" wizard first
	keys Down Down Enter
	check "$S: 'Save' on an empty HOME saves" see "saved $P/first.conf"
	check "$S: ... the file is there" test -f "$P/first.conf"
	check "$S: ... mode 0600" test "$(mode "$P/first.conf")" = 600
	check "$S: ... in a private folder (0700)" test "$(mode "$P")" = 700
	check "$S: ... and it is listed" see "first "
	check "$S: ... and it loads" expect_exit 0 "$VMTUI" --check first

	wizard second >/dev/null
	keys Down Enter
	check "$S: 'Save and edit it' opens the editor" see "Editing second"
	keys Escape
	check "$S: ... it was saved" test -f "$P/second.conf"

	wizard third >/dev/null
	keys Enter
	check "$S: 'Save and launch it' launches" see "QEMU exited (status 0)"
	keys q
	check "$S: ... it was saved" test -f "$P/third.conf"
	check "$S: ... and its root disk made, private" test \
	    "$(mode "$DH/third/root.qcow2")" = 600

	# 8: a profile that appears after the name step is not replaced
	wizard race >/dev/null
	printf '# made in another window\nmemory = 99\n' >"$P/race.conf"
	keys Down Down Enter
	check "$S: a profile made meanwhile is not replaced" \
	    see "there is a profile race.conf already"
	check "$S: ... it is as it was" grep -qx "memory = 99" "$P/race.conf"
	rm -f "$P/race.conf"
	keys Down Down Down Enter
	check "$S: ... and the summary's Cancel leaves" see "Enter edit"

	# 3: a data folder left by an earlier machine is never adopted quietly
	mkdir -p "$DH/old"
	printf 'an 8 GiB disk\n' >"$DH/old/root.qcow2"
	keys n
	see "Name of the new machine" >/dev/null
	keys C-u
	lit old
	keys Enter
	check "$S: an earlier machine's data folder is named" \
	    see "There is a data folder of an earlier machine named old"
	keys Enter
	check "$S: ... the default is another name" \
	    see "Name of the new machine"
	keys Escape
	see "Enter edit" >/dev/null
	check "$S: ... and its disk is untouched" grep -q "8 GiB" \
	    "$DH/old/root.qcow2"
	check "$S: ... no profile was made" test ! -e "$P/old.conf"
	keys n
	see "Name of the new machine" >/dev/null
	keys C-u
	lit old
	keys Enter
	see "There is a data folder" >/dev/null
	keys Down Enter
	check "$S: using the earlier disks is a choice" \
	    see "What should it boot?"
	keys Down Down Down Enter
	see "The kernel:" >/dev/null
	lit "$WORK/vmlinuz"
	keys Enter Enter
	see "Memory (this host" >/dev/null
	keys Enter Enter
	see "Size of a root disk" >/dev/null
	keys C-u 6 4 Enter
	see "Reach the guest's SSH" >/dev/null
	keys Down Enter
	check "$S: ... and the summary says which disk" \
	    see "the existing image $DH/old/root.qcow2"
	# back through summary, SSH, disk, cores, memory, initrd, kernel,
	# what to boot and name, one Esc each
	keys Escape Escape Escape Escape Escape Escape Escape Escape
	check "$S: Esc back to the first step" see "Name of the new machine"
	keys Escape
	check "$S: ... and out" see "Enter edit"
	check "$S: ... its disk still untouched" grep -q "8 GiB" \
	    "$DH/old/root.qcow2"

	# 3: rename moves the data folder with the machine
	mkdir -p "$DH/first"
	printf 'disk of first\n' >"$DH/first/root.qcow2"
	keys Home
	see "first" >/dev/null
	keys r C-u
	lit renamed
	keys Enter
	check "$S: rename" see "renamed first as renamed"
	check "$S: ... the disk moved along" grep -q "disk of first" \
	    "$DH/renamed/root.qcow2"
	check "$S: ... nothing is left behind" test ! -e "$DH/first"
	check "$S: ... the script points at it" sh -c '"$1" --print-script \
	    renamed | grep -q "$2/renamed/root.qcow2"' sh "$VMTUI" "$DH"

	# 3: a new machine called first does not find the old disk
	wizard first >/dev/null
	keys Down Down Enter
	check "$S: the name can be used again" see "saved $P/first.conf"
	check "$S: ... with no disk of the renamed one" test ! -e "$DH/first"

	# 3: copy asks about the disks
	printf 'data of third\n' >"$DH/third/root.qcow2"
	# the list is sorted: first, renamed, second, third
	keys Home Down Down Down
	keys c
	see "Copy third to the name:" >/dev/null
	lit third2
	keys Enter
	check "$S: copy asks whether to copy the disks" \
	    see "Copy the disk images of third too?"
	keys y
	check "$S: ... copied" see "copied third as third2"
	check "$S: ... with its disk" grep -q "data of third" \
	    "$DH/third2/root.qcow2"
	check "$S: ... private" test "$(mode "$DH/third2/root.qcow2")" = 600
	keys Home Down Down Down c
	see "Copy" >/dev/null
	lit third3
	keys Enter
	see "Copy the disk images" >/dev/null
	keys n
	check "$S: a copy without disks" see "copied third as third3"
	check "$S: ... starts with none" test ! -e "$DH/third3"

	# 3: delete removes only what the profile owns
	printf 'not a disk of third\n' >"$DH/third/notes.txt"
	keys Home Down Down Down
	keys DC
	check "$S: delete asks" see "Delete the machine third?"
	keys y
	check "$S: ... then about the disks, naming them" see "root.qcow2"
	keys y
	check "$S: ... the profile is gone" test ! -e "$P/third.conf"
	check "$S: ... and its disk" test ! -e "$DH/third/root.qcow2"
	check "$S: ... but not a file it does not own" test -f \
	    "$DH/third/notes.txt"

	# 3, 12: rename and delete honour the edit lock
	$T new-window -t t "env LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' \
HOME='$HOME' '$VMTUI' --theme mono; sleep 60"
	sleep 0.5
	keys Home Enter
	see "Editing first" >/dev/null
	$T select-window -t t:0
	sleep 0.2
	keys Home
	keys r C-u
	lit other
	keys Enter
	check "$S: rename of a machine being edited is refused" \
	    see "is being edited by another vmtui"
	check "$S: ... nothing moved" test -f "$P/first.conf"
	keys Home DC y
	check "$S: delete of a machine being edited is refused" \
	    see "is being edited by another vmtui"
	check "$S: ... it is still there" test -f "$P/first.conf"
	$T kill-window -t t:1
	sleep 0.2
	keys q
done

# 2: the editor changes nothing it was not asked to change. A profile with
# the values that used to change: a newline, a path ending in a space, a
# tab and spaces at the end, a byte that is not UTF-8.
rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME"
fixtures
printf '' >"$WORK/vmlinux "
printf 'description = "first line\\nsecond line"\nboot {\n  kernel = "%s/vmlinux "\n  append = "a\\tb   "\n}\nqemu { options = {"-name", "a b", ""} }\n' \
    "$WORK" >"$P/odd.conf"
printf 'description = "caf\\xe9 \\\\ back"\nboot { kernel = "%s/vmlinuz" }\n' \
    "$WORK" >"$P/bytes.conf"
TMUX_SIZE="100 30"
for m in odd bytes; do
	"$VMTUI" --print-script "$m" >"$WORK/$m.before"
	start
	see "Enter edit" >/dev/null
	keys Home
	[ "$m" = odd ] && keys Down
	keys Enter
	check "editor: $m opens" see "Editing $m"
	[ "$m" = bytes ] && check "editor: an invalid byte is shown escaped" \
	    see 'caf\xe9 \\ back'
	[ "$m" = odd ] && check "editor: a newline is shown escaped" \
	    see 'first line\nsecond line'
	# every field of every topic, without typing
	for _topic in 1 2 3 4 5 6; do
		keys Down Down Down Down Down Down Down Down Down Down Down \
		    Down NPage
	done
	check "editor: a pass over every field of $m changes nothing" sh -c \
	    '! tmux -L "vmtui-first-$1" capture-pane -p -t t | \
	    grep -q "(changed)"' sh "$$"
	keys F2
	check "editor: ... it saves" see "saved"
	"$VMTUI" --print-script "$m" >"$WORK/$m.after"
	check "editor: ... every value as it was (the script is the same)" \
	    same_file "$WORK/$m.before" "$WORK/$m.after"
	keys Escape q
done
check "editor: the name ending in a space is kept" grep -q \
    "kernel = \"$WORK/vmlinux \"" "$P/odd.conf"

finish
