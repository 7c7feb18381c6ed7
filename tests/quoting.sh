#!/bin/sh
# The quoting torture set: every path- and string-valued key that reaches
# QEMU holds spaces, commas, '=', ':', both quotes, '$', '${...}', backticks,
# a newline or a leading '-'. The fake QEMU must receive each byte for byte,
# and nothing in the profile may run (a backtick or $(...) that ran would
# leave a file behind).
. "$TOP_SRCDIR/tests/lib.sh"

NL='
'
H=" sp,co=eq:co'sq\"dq\$HOME\${HOME}\`touch pwned1\`\$(touch pwned2)${NL}nl"
cd "$WORK"
D=$WORK/d$H
mkdir -p "$D/share$H" "$D/fw"
for f in "kernel$H" "initrd$H" "iso$H" "bios$H" "fw/CODE$H" "fw/VARS$H"; do
	printf 'x\n' >"$D/$f"
done
cp "$TOP_SRCDIR/tests/fake/qemu-system-x86_64" "$D/qemu$H"

# libconfuse single quotes: backslash and quote escaped, no expansion.
sq() {
	printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")"
}

# One argv element as the fake QEMU writes it.
esc() {
	printf '%s\n' "$1" | sed -e 's/\\/\\\\/g' -e '$!s/$/\\n/' | tr -d '\n'
	printf '\n'
}

# QEMU's option escape: commas doubled.
qe() {
	printf '%s' "$1" | sed 's/,/,,/g'
}

cat >"$D/kernel.conf" <<END
name = "torture"
accel = "tcg"
guest-agent = false
virtio-keyboard = false
root-disk {
  image = $(sq "img$H")
  size = 10
}
share "s" {
  source = $(sq "share$H")
  target = $(sq "/mnt$H")
}
boot {
  mode = "kernel"
  kernel = $(sq "kernel$H")
  initrd = $(sq "initrd$H")
  append = $(sq "-x $H")
  consoles = {$(sq "ttyS0,9600'\"\$x\`y\`")}
}
qemu {
  binary = $(sq "./qemu$H")
  options = {$(sq "-leading$H"), $(sq "")}
}
END

check "kernel: --check" expect_exit 0 "$VMTUI" --check "$D/kernel.conf"
check "kernel: --print-script" expect_exit 0 "$VMTUI" --print-script \
    "$D/kernel.conf"
cp "$WORK/out" "$WORK/kernel.sh"
check "kernel: sh -n" sh -n "$WORK/kernel.sh"
check "kernel: runs" sh "$WORK/kernel.sh" 2>"$WORK/err"
{
	esc "-virtfs"
	esc "local,path=$(qe "$D/share$H"),security_model=none,mount_tag=s"
	esc "-drive"
	esc "file=$(qe "$D/img$H"),format=qcow2,if=none,id=root,node-name=vmtui-root,cache=writeback,werror=report"
	esc "-device"
	esc "virtio-blk-pci,drive=root,id=dev-root"
	esc "-kernel"
	esc "$D/kernel$H"
	esc "-initrd"
	esc "$D/initrd$H"
	esc "-append"
	esc "-x $H console=ttyS0,9600'\"\$x\`y\`"
} >"$WORK/want"
sed -n '/^-virtfs$/,/^-append$/{p}' "$FAKE_LOG" >"$WORK/got"
sed -n '/^-append$/{n;p}' "$FAKE_LOG" >>"$WORK/got"
check "kernel: paths and strings reach QEMU byte for byte" \
    same_file "$WORK/want" "$WORK/got"
{ esc "-leading$H"; esc ""; } >"$WORK/want"
tail -n 2 "$FAKE_LOG" >"$WORK/got"
check "kernel: extra options reach QEMU byte for byte" \
    same_file "$WORK/want" "$WORK/got"
check "kernel: the root image was created at its odd path" \
    test -f "$D/img$H"

cat >"$D/uefi.conf" <<END
name = "torture-uefi"
accel = "tcg"
root-disk {
  image = $(sq "img$H")
}
boot {
  mode = "uefi"
  firmware = $(sq "fw/CODE$H")
  efi-vars-template = $(sq "fw/VARS$H")
  efi-vars = $(sq "vars$H")
}
END
check "uefi: --print-script" expect_exit 0 "$VMTUI" --print-script \
    "$D/uefi.conf"
cp "$WORK/out" "$WORK/uefi.sh"
check "uefi: runs" sh "$WORK/uefi.sh" 2>"$WORK/err"
{
	esc "if=pflash,format=raw,unit=0,readonly=on,file=$(qe "$D/fw/CODE$H")"
	esc "if=pflash,format=raw,unit=1,file=$(qe "$D/vars$H")"
} >"$WORK/want"
grep -a '^if=pflash' "$FAKE_LOG" >"$WORK/got" || true
check "uefi: firmware and vars reach QEMU byte for byte" \
    same_file "$WORK/want" "$WORK/got"
check "uefi: vars copied to the odd path" same_file "$D/fw/VARS$H" "$D/vars$H"

cat >"$D/cdrom.conf" <<END
name = "torture-cdrom"
accel = "tcg"
root-disk {
  image = $(sq "img$H")
}
boot {
  mode = "cdrom"
  cdrom = $(sq "iso$H")
  bios = $(sq "bios$H")
}
END
check "cdrom: --print-script" expect_exit 0 "$VMTUI" --print-script \
    "$D/cdrom.conf"
cp "$WORK/out" "$WORK/cdrom.sh"
check "cdrom: runs" sh "$WORK/cdrom.sh" 2>"$WORK/err"
{
	esc "file=$(qe "$D/iso$H"),format=raw,if=none,id=cdrom,media=cdrom,readonly=on"
	esc "-bios"
	esc "$D/bios$H"
} >"$WORK/want"
{
	grep -a '^file=.*id=cdrom' "$FAKE_LOG" || true
	sed -n '/^-bios$/{p;n;p}' "$FAKE_LOG"
} >"$WORK/got"
check "cdrom: ISO and BIOS reach QEMU byte for byte" \
    same_file "$WORK/want" "$WORK/got"

# The string keys that QEMU gets inside an option list but that take only
# a narrow set of characters: the torture string is refused, naming the
# key, and nothing is launched.
# narrow KEY BEFORE AFTER: a profile with the torture string as KEY's value.
narrow() {
	{
		printf '%s%s%s\n' "$2" "$(sq "$H")" "$3"
		printf 'boot {\n  kernel = %s\n}\n' "$(sq "kernel$H")"
	} >"$D/narrow.conf"
	: >"$FAKE_LOG"
	check "$1: the torture string is refused" expect_exit 2 "$VMTUI" \
	    --launch "$D/narrow.conf" --no-tui
	check "... naming $1" grep -q "$1" "$WORK/err"
	check "... and nothing was launched" test ! -s "$FAKE_LOG"
}
narrow serial "root-disk { serial = " " }"
narrow serial 'disk "d" { size = 1  serial = ' " }"
narrow display-address 'graphics = true display = "vnc" display-address = ' ""
narrow resolution "graphics = true resolution = " ""
check "a snapshot's name: the torture string is refused" expect_exit 2 \
    "$VMTUI" --snapshot "$D/kernel.conf" take "$H"

check "nothing in a profile ran" test ! -e "$WORK/pwned1" -a ! -e "$WORK/pwned2"

finish
