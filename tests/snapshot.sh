#!/bin/sh
# Snapshots of a machine that is off, with the real qemu-img: what refuses
# and why (no disks, an image not made yet, raw, ephemeral, not qcow2),
# read-only disks left out, a take that fails part way leaves nothing, a
# snapshot on only some disks is not reverted, names, and revert and
# delete asking first. The running machine's (QMP) are in tests/e2e.sh.
. "$TOP_SRCDIR/tests/lib.sh"

PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
if ! command -v qemu-img >/dev/null 2>&1; then
	echo "qemu-img is not installed" >&2
	exit 77
fi
# 0. From an empty HOME, as a new user: a profile named by its path; the
# commands make no folder of vmtui's until an image is there to hold one.
cp "$DATA/golden/vmlinuz" "$WORK/"
printf 'name = "new"\nroot-disk { size = 1 }\nboot {\n  mode = "kernel"\n  kernel = "%s/vmlinuz"\n}\n' \
    "$WORK" >"$WORK/new.conf"
check "empty HOME: --snapshot list says why there are none" expect_exit 1 \
    "$VMTUI" --snapshot "$WORK/new.conf"
check "... the image not made yet" grep -q "has no image yet" "$WORK/err"
check "empty HOME: --snapshot take refuses the same way" expect_exit 1 \
    "$VMTUI" --snapshot "$WORK/new.conf" take first
check "... and no folder was made" test ! -e "$XDG_CONFIG_HOME" -a \
    ! -e "$XDG_DATA_HOME"
check "empty HOME: --snapshot of a name: no such profile" expect_exit 2 \
    "$VMTUI" --snapshot new

fixtures
D=$XDG_DATA_HOME/vmtui

# machine NAME KEYS: a profile that boots a kernel, with KEYS.
machine() {
	cat >"$P/$1.conf" <<END
name = "$1"
$2
boot {
  mode = "kernel"
  kernel = "$WORK/vmlinuz"
}
END
}

# snapshots IMAGE: the names qemu-img lists in IMAGE, one a line.
snapshots() {
	qemu-img snapshot -l "$1" | awk 'NR > 2 { print $2 }'
}

# 1. What refuses, and says why.
machine nodisk ""
check "no disks: refused" expect_exit 1 "$VMTUI" --snapshot nodisk take s
check "... saying so" grep -q "nodisk has no disk that a snapshot could hold" \
    "$WORK/err"
machine fresh "root-disk { size = 16 }"
check "an image not made yet: refused" expect_exit 1 "$VMTUI" --snapshot \
    fresh take s
check "... saying to boot once" grep -q \
    "the root disk has no image yet ($D/fresh/root.qcow2): boot the machine once" \
    "$WORK/err"
mkdir -p "$D/raw" "$D/eph" "$D/probed"
qemu-img create -q -f raw "$D/raw/plain.img" 1M
qemu-img create -q -f qcow2 "$D/raw/root.qcow2" 1M
machine raw "root-disk { size = 1 }
disk \"plain\" { size = 1  format = \"raw\" }"
check "a raw disk: refused" expect_exit 1 "$VMTUI" --snapshot raw take s
check "... saying why and what to do" grep -q \
    'disk "plain" is raw: only qcow2 images hold snapshots (qemu-img convert -O qcow2' \
    "$WORK/err"
check "... and the qcow2 root disk was left alone" test -z \
    "$(snapshots "$D/raw/root.qcow2")"
qemu-img create -q -f qcow2 "$D/eph/root.qcow2" 1M
machine eph "root-disk { size = 1 }
disk \"tmp\" { size = 1  ephemeral = true }"
check "an ephemeral disk: refused" expect_exit 1 "$VMTUI" --snapshot eph list
check "... saying why" grep -q 'disk "tmp" is ephemeral' "$WORK/err"
qemu-img create -q -f raw "$D/probed/root.qcow2" 1M
machine probed "root-disk { size = 1 }"
check "a root image that is not qcow2 (probed): refused" expect_exit 1 \
    "$VMTUI" --snapshot probed take s
check "... saying so" grep -q "is not a qcow2 image" "$WORK/err"

# 2. Take, list, revert, delete; a read-only disk is left out.
mkdir -p "$D/vm"
for f in root a ro; do
	qemu-img create -q -f qcow2 "$D/vm/$f.qcow2" 1M
done
machine vm "root-disk { size = 1 }
disk \"a\" { size = 1 }
disk \"ro\" { size = 1  readonly = true }"
check "no snapshots yet" expect_exit 0 "$VMTUI" --snapshot vm
check "... says so" grep -qx "vm has no snapshots" "$WORK/out"
check "take" expect_exit 0 "$VMTUI" --snapshot vm take before-upgrade
check "... on the root disk" test "$(snapshots "$D/vm/root.qcow2")" = \
    before-upgrade
check "... and on disk a" test "$(snapshots "$D/vm/a.qcow2")" = before-upgrade
check "... not on the read-only disk" test -z "$(snapshots "$D/vm/ro.qcow2")"
check "take the same name again: refused" expect_exit 1 "$VMTUI" --snapshot \
    vm take before-upgrade
check "... saying so" grep -q 'vm has a snapshot "before-upgrade" already' \
    "$WORK/err"
check "list" expect_exit 0 "$VMTUI" --snapshot vm list
check "... has it, disks only" grep -q "^before-upgrade  *[0-9-]* [0-9:]* *disks$" \
    "$WORK/out"
check "revert without a terminal and without --force: refused" expect_exit 1 \
    "$VMTUI" --snapshot vm revert before-upgrade
check "... saying --force" grep -q "add --force" "$WORK/err"
# A terminal on stdin but the question's stderr in a file, as a test's: the
# person would not see it, so vmtui does not ask (it waited for an answer).
check "revert with stdin a terminal, stderr not: refused, not asked" \
    expect_exit 1 timeout 10 script -qec "'$VMTUI' --snapshot vm revert \
before-upgrade 2>'$WORK/tty.err'" /dev/null
check "... saying --force" grep -q "add --force" "$WORK/tty.err"
check "revert --force" expect_exit 0 "$VMTUI" --snapshot vm revert \
    before-upgrade --force
check "... saying what it did, in that order" grep -qx \
    'vm: reverted to snapshot "before-upgrade" (disks; the machine is off)' \
    "$WORK/out"
check "delete without --force: refused" expect_exit 1 "$VMTUI" --snapshot vm \
    delete before-upgrade
check "... and it is still there" test "$(snapshots "$D/vm/a.qcow2")" = \
    before-upgrade
check "delete --force" expect_exit 0 "$VMTUI" --snapshot vm delete \
    before-upgrade --force
check "... from every disk" test -z \
    "$(snapshots "$D/vm/root.qcow2")$(snapshots "$D/vm/a.qcow2")"
check "delete one that is not there" expect_exit 1 "$VMTUI" --snapshot vm \
    delete nothing --force
check "... saying so" grep -q 'vm has no snapshot "nothing"' "$WORK/err"

# 3. A take that fails on the second disk leaves none on the first.
mkdir -p "$WORK/bin"
real=$(command -v qemu-img)
cat >"$WORK/bin/qemu-img" <<END
#!/bin/sh
case "\$*" in
*-c*/a.qcow2) echo "qemu-img: Could not create snapshot: No space left" >&2
	exit 1 ;;
esac
exec "$real" "\$@"
END
chmod +x "$WORK/bin/qemu-img"
check "a take that fails part way" expect_exit 1 env PATH="$WORK/bin:$PATH" \
    "$VMTUI" --snapshot vm take half
check "... says qemu-img's reason" grep -q \
    "qemu-img snapshot $D/vm/a.qcow2: Could not create snapshot: No space left" \
    "$WORK/err"
check "... and left no snapshot on the root disk" test -z \
    "$(snapshots "$D/vm/root.qcow2")"

# 4. A snapshot on some disks only: listed as such, never reverted.
qemu-img snapshot -c partial "$D/vm/root.qcow2"
check "a partial snapshot is listed" expect_exit 0 "$VMTUI" --snapshot vm
check "... as not on every disk" grep -q "^partial .*(not on every disk)$" \
    "$WORK/out"
check "... and not reverted" expect_exit 1 "$VMTUI" --snapshot vm revert \
    partial --force
check "... saying which disk lacks it" grep -q \
    'disk "a" has no snapshot "partial" (it is not on every disk)' "$WORK/err"
check "... deleted from where it is" expect_exit 0 "$VMTUI" --snapshot vm \
    delete partial --force

# 4b. A revert that a disk could not take reverts none: every disk is
# checked first. As a second user (root writes any file), the second disk
# read-only to it; the root disk written after the snapshot keeps that.
NB=$WORK/nb
mkdir -p "$NB/config/vmtui/profiles" "$NB/data/vmtui/rv" "$NB/state" \
    "$NB/home"
mkdir -m 0700 "$NB/run"
for f in root a; do
	qemu-img create -q -f qcow2 "$NB/data/vmtui/rv/$f.qcow2" 1M
	qemu-img snapshot -c s1 "$NB/data/vmtui/rv/$f.qcow2"
done
qemu-io -f qcow2 -c "write -P 0x55 0 4k" "$NB/data/vmtui/rv/root.qcow2" \
    >/dev/null
printf 'name = "rv"\nroot-disk { size = 1 }\ndisk "a" { size = 1 }\nboot {\n  mode = "kernel"\n  kernel = "%s/vmlinuz"\n}\n' \
    "$WORK" >"$NB/config/vmtui/profiles/rv.conf"
chown -R nobody "$NB"
chmod 0444 "$NB/data/vmtui/rv/a.qcow2"
chmod 0711 "$WORK"
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups env \
	    HOME="$NB/home" XDG_CONFIG_HOME="$NB/config" \
	    XDG_DATA_HOME="$NB/data" XDG_STATE_HOME="$NB/state" \
	    XDG_RUNTIME_DIR="$NB/run" "$@"
}
check "a revert with a disk it cannot write: refused" expect_exit 1 \
    as_nobody "$VMTUI" --snapshot rv revert s1 --force
check "... naming the disk" grep -q 'disk "a".*cannot be written' "$WORK/err"
check "... and the root disk was not reverted" qemu-io -f qcow2 -r -c \
    "read -P 0x55 0 4k" "$NB/data/vmtui/rv/root.qcow2"
chmod 0700 "$WORK"

# 5. Names and usage.
for bad in -x 12 "a b" "$(printf 'x%.0s' $(seq 65))" "a/b" "é"; do
	check "the name \"$bad\" is refused" expect_exit 2 "$VMTUI" --snapshot \
	    vm take "$bad"
done
check "... the digits-only one saying why" sh -c '"$1" --snapshot vm take 12 \
    2>&1 | grep -q "needs a letter"' sh "$VMTUI"
check "take without a name" expect_exit 2 "$VMTUI" --snapshot vm take
check "list with a name" expect_exit 2 "$VMTUI" --snapshot vm list x
check "an unknown operation" expect_exit 2 "$VMTUI" --snapshot vm undo x
check "... named" grep -q 'not "undo"' "$WORK/err"
check "an unknown machine" expect_exit 2 "$VMTUI" --snapshot nosuch
check "--force goes with --snapshot, not --list" expect_exit 2 "$VMTUI" \
    --list --force
check "nothing was taken by all that" test -z \
    "$(snapshots "$D/vm/root.qcow2")$(snapshots "$D/vm/a.qcow2")"

# 6. The screen (the list's S), at two sizes: take under the proposed
# name, revert, delete, each asking; a machine that cannot, says why.
if ! command -v tmux >/dev/null; then
	echo "tmux is not installed: the screen is not tried" >&2
	finish
	exit $?
fi
T="tmux -L vmtui-snap-$$"
trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
rm -f "$P"/nodisk.conf "$P"/fresh.conf "$P"/eph.conf "$P"/probed.conf
for TMUX_SIZE in "80 24" "120 40"; do
	sz=${TMUX_SIZE% *}x${TMUX_SIZE#* }
	start
	see "vm " >/dev/null
	keys Down
	check "$sz: the list selects vm" see "│ vm"
	keys S
	check "$sz: S opens its snapshots" see "snapshots of vm (off)"
	check "$sz: ... none yet, and what to do" \
	    see "No snapshots yet: press t to take one."
	keys t
	check "$sz: t proposes a name" see "snap-20"
	keys Enter
	check "$sz: the snapshot is taken" see "(disks)"
	name=$(snapshots "$D/vm/root.qcow2")
	check "$sz: ... on the disks ($name)" test "$(snapshots \
	    "$D/vm/a.qcow2")" = "$name"
	check "$sz: ... and listed" see "$name"
	keys r
	check "$sz: r asks first" see "What its disks hold now is lost."
	keys y
	check "$sz: ... and reverts" see "reverted vm to \"$name\""
	keys d
	check "$sz: d asks first" see "Delete snapshot \"$name\" of vm?"
	keys n
	check "$sz: ... n keeps it" test "$(snapshots "$D/vm/a.qcow2")" = "$name"
	keys d y
	check "$sz: ... y deletes it" see "deleted \"$name\""
	check "$sz: ... from the disks" test -z "$(snapshots "$D/vm/a.qcow2")"
	keys t C-u 1 2 Enter
	check "$sz: a bad name is refused as typed" see "needs a letter"
	keys Escape
	keys Escape
	check "$sz: Esc goes back to the list" see "vmtui - "
	keys Up S
	check "$sz: a raw disk says why there are none" \
	    see 'disk "plain" is raw'
	keys q
	check "$sz: q goes back too" see "vmtui - "
	keys q
done

finish
