#!/bin/sh
# Golden tests of the launch script: for every profile in tests/data/golden
# the script passes sh -n and shellcheck, runs with fake QEMU tools first on
# PATH, and the argv QEMU receives and the qemu-img calls equal the expected
# files byte for byte. Run twice, it creates nothing the second time.
. "$TOP_SRCDIR/tests/lib.sh"

SHELLCHECK=${SHELLCHECK:-shellcheck}
if ! command -v "$SHELLCHECK" >/dev/null 2>&1; then
	echo "shellcheck is required (apt-get install shellcheck)" >&2
	exit 1
fi

cp -R "$DATA/golden" "$WORK/golden"
G=$WORK/golden
# the run's TMPDIR with USE_TMPDIR: private, as the script wants it
mkdir -p -m 0700 "$WORK/tmp"

# Replace this run's folders by stable names. With accel = auto the choice
# is the host's (kvm where usable), so it reads @ACCEL@ @CPU@ there. The
# vlans' multicast groups are this user's: 239.U.U.N at a port (vmtui.conf(5));
# SPICE's TCP port is the first free one from 5930. These profiles are not
# in the profiles folder: their folders are NAME@HASH of the profile's path
# (paths_machine), and this run's path is another each time.
uid=$(id -u)
vlan_net=239.$((uid >> 8 & 255)).$((uid & 255))
vlan_port=$((41720 + (uid >> 16) % 20000))
normalize() {
	sed -e "s|$G|@GOLDEN@|g" -e "s|$WORK|@WORK@|g" \
	    -e 's|\(/vmtui/[A-Za-z0-9._-]*\)@[0-9a-f]\{12\}|\1@HASH|g' \
	    -e "s|mcast=$vlan_net\.\([0-9]*\):$vlan_port,|mcast=@VLAN_NET@.\1:@VLAN_PORT@,|" \
	    -e "s|^port=[0-9]*,addr=|port=@SPICE_PORT@,addr=|" \
	    "$1" | awk -v auto="$2" '
	    auto && prev == "-accel" { $0 = "@ACCEL@" }
	    auto && prev == "-cpu" { $0 = "@CPU@" }
	    { print; prev = $0 }'
}

# GOLDEN_UPDATE=1 writes what the scripts do now as the expected files;
# read the diff before committing it.
update() {
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		cp "$2" "$DATA/golden/$(basename "$1")"
		cp "$2" "$1"
	fi
}

run_script() {
	rm -f "$FAKE_LOG"
	TMPDIR=$WORK/tmp USE_TMPDIR=1 sh "$1" >"$WORK/run.out" 2>&1
}

for conf in "$G"/*.conf; do
	name=$(basename "$conf" .conf)
	script=$WORK/$name.sh
	: >"$FAKE_IMG_LOG"
	check "$name: --check" expect_exit 0 "$VMTUI" --check "$conf"
	check "$name: --print-script" expect_exit 0 "$VMTUI" --print-script \
	    "$conf"
	cp "$WORK/out" "$script"
	check "$name: sh -n" sh -n "$script"
	check "$name: shellcheck" "$SHELLCHECK" -s sh "$script"
	# a cloud-init machine's seed is written by vmtui, not the script
	if grep -q '^cloud-init' "$conf"; then
		check "$name: --write-script writes the seed" expect_exit 0 \
		    "$VMTUI" --write-script "$conf" -o "$WORK/$name.written"
	fi
	check "$name: runs" run_script "$script"
	auto=1
	grep -q '^accel = "\(kvm\|tcg\)"' "$conf" && auto=0
	normalize "$FAKE_LOG" "$auto" >"$WORK/$name.argv"
	normalize "$FAKE_IMG_LOG" 0 >"$WORK/$name.img"
	update "$G/$name.argv" "$WORK/$name.argv"
	update "$G/$name.img" "$WORK/$name.img"
	check "$name: argv" same_file "$G/$name.argv" "$WORK/$name.argv"
	check "$name: qemu-img calls" same_file "$G/$name.img" "$WORK/$name.img"
	# The second boot finds every image and creates none.
	: >"$FAKE_IMG_LOG"
	for f in "$XDG_DATA_HOME"/vmtui/*/*.qcow2 "$G"/images/*.qcow2; do
		[ -f "$f" ] && echo "keep me" >"$f"
	done
	check "$name: second run" run_script "$script"
	check "$name: second run creates no image" test ! -s "$FAKE_IMG_LOG"
	for f in "$XDG_DATA_HOME"/vmtui/*/*.qcow2 "$G"/images/*.qcow2; do
		[ -f "$f" ] || continue
		check "$name: $(basename "$f") not overwritten" \
		    grep -qx "keep me" "$f"
	done
	rm -rf "$XDG_DATA_HOME" "$G/images" "$WORK/tmp"/*
done

# The environment overrides, on the profile that uses them all.
: >"$FAKE_IMG_LOG"
"$VMTUI" --print-script "$G/full.conf" >"$WORK/full.sh"
mkdir -p "$WORK/shared dir"
check "full: runs with the environment overrides" env \
    VMTUI_DISK_IMAGE="$WORK/other, disk.qcow2" \
    SHARED_DIR="$WORK/shared dir" \
    QEMU_OPTS="-snapshot -S" \
    QEMU_NET_OPTS="hostfwd=tcp::8000-:8000" \
    QEMU_KERNEL_PARAMS="init=/bin/sh debug" \
    TMPDIR="$WORK/tmp" USE_TMPDIR=1 \
    sh "$WORK/full.sh" -device "virtio-tablet-pci" "last arg" 2>/dev/null
normalize "$FAKE_LOG" 0 >"$WORK/full.env.argv"
normalize "$FAKE_IMG_LOG" 0 >"$WORK/full.env.img"
update "$G/full.env.argv" "$WORK/full.env.argv"
update "$G/full.env.img" "$WORK/full.env.img"
check "full: argv with the environment overrides" \
    same_file "$G/full.env.argv" "$WORK/full.env.argv"
check "full: the overriding image is the one created" \
    same_file "$G/full.env.img" "$WORK/full.env.img"

# The background form vmtui runs: the console on a socket, logged by QEMU,
# no monitor on it; the state folder is made, and a symlinked log refused.
rm -rf "$XDG_DATA_HOME" "$XDG_STATE_HOME"
: >"$FAKE_IMG_LOG"
check "full: the background form runs" env VMTUI_BACKGROUND=1 \
    TMPDIR="$WORK/tmp" USE_TMPDIR=1 sh "$WORK/full.sh" 2>/dev/null
normalize "$FAKE_LOG" 0 >"$WORK/full.bg.argv"
update "$G/full.bg.argv" "$WORK/full.bg.argv"
check "full: argv of the background form" \
    same_file "$G/full.bg.argv" "$WORK/full.bg.argv"
set -- "$XDG_STATE_HOME"/vmtui/full@*
check "full: ... the state folder is made, private" sh -c \
    '[ "$(stat -c %a "$1")" = 700 ]' sh "$1"
ln -s "$WORK/elsewhere" "$1/console.log"
rm -f "$FAKE_LOG"
check "full: a symlinked console log stops the background form" \
    expect_exit 1 env VMTUI_BACKGROUND=1 TMPDIR="$WORK/tmp" USE_TMPDIR=1 \
    sh "$WORK/full.sh"
check "... before QEMU" test ! -e "$FAKE_LOG"
check "... saying why" grep -q "console.log a symlink" "$WORK/err"
rm -rf "$XDG_STATE_HOME"

# Without USE_TMPDIR a fresh temp folder is made under TMPDIR for each boot.
rm -rf "$WORK/tmp"/* "$XDG_DATA_HOME"
mkdir -p "$WORK/tmp"
check "full: a fresh temp folder without USE_TMPDIR" env TMPDIR="$WORK/tmp" \
    sh "$WORK/full.sh" 2>/dev/null
set -- "$WORK"/tmp/vmtui-full.*
check "full: the temp folder holds the ephemeral disk" test -f "$1/fresh.qcow2"

# UEFI variables are copied on the first boot only.
"$VMTUI" --print-script "$G/uefi.conf" >"$WORK/uefi.sh"
sh "$WORK/uefi.sh" >/dev/null 2>&1
set -- "$XDG_DATA_HOME"/vmtui/uefi@*/efi-vars.fd
vars=$1
check "uefi: vars copied from the template" same_file "$G/fw/VARS.fd" "$vars"
echo "changed by the guest" >"$vars"
sh "$WORK/uefi.sh" >/dev/null 2>&1
check "uefi: vars kept on the next boot" grep -qx "changed by the guest" "$vars"

finish
