#!/bin/sh
# The libvirt backend's export: every golden profile either becomes domain
# XML that libvirt's own schema accepts (virt-xml-validate) and that equals
# tests/data/libvirt/NAME.xml, or is refused with the keys libvirt cannot
# express (NAME.refused); -o writes a new file and replaces one only with
# --force. GOLDEN_UPDATE=1 writes what vmtui does now as the expected files.
. "$TOP_SRCDIR/tests/lib.sh"

if "$VMTUI" --export libvirt /nonexistent.conf 2>&1 | grep -q "without libvirt"
then
	echo "this vmtui was built without libvirt" >&2
	exit 77
fi
if ! command -v virt-xml-validate >/dev/null 2>&1; then
	echo "virt-xml-validate is required (apt-get install libvirt-clients)" >&2
	exit 1
fi

cp -R "$DATA/golden" "$WORK/golden"
G=$WORK/golden
L=$DATA/libvirt
mkdir -p "$WORK/libvirt"

# Stable names for this run's folders; with accel = auto the domain type
# and the CPU are the host's (kvm where vmtui would use KVM).
normalize() {
	sed -e "s|$G|@GOLDEN@|g" -e "s|$WORK|@WORK@|g" "$1" |
	    if [ "$2" = 1 ]; then
		sed -e 's|^<domain type="[a-z]*"|<domain type="@ACCEL@"|' \
		    -e 's|<cpu mode="[a-z-]*"/>|<cpu mode="@CPU@"/>|'
	    else
		cat
	    fi
}

update() {
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		rm -f "$L/$2.xml" "$L/$2.refused"
		cp "$1" "$L/$2.$3"
	fi
}

for conf in "$G"/*.conf; do
	name=$(basename "$conf" .conf)
	auto=1
	grep -q '^accel = "\(kvm\|tcg\)"' "$conf" && auto=0
	set +e
	"$VMTUI" --export libvirt "$conf" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
	if [ "$rc" -eq 0 ]; then
		cp "$WORK/out" "$WORK/libvirt/$name.xml"
		check "$name: libvirt's schema accepts it" virt-xml-validate \
		    "$WORK/libvirt/$name.xml" domain
		normalize "$WORK/libvirt/$name.xml" "$auto" >"$WORK/$name.xml"
		update "$WORK/$name.xml" "$name" xml
		check "$name: the XML is as expected" same_file "$L/$name.xml" \
		    "$WORK/$name.xml"
	else
		normalize "$WORK/err" 0 >"$WORK/$name.refused"
		update "$WORK/$name.refused" "$name" refused
		check "$name: refused (exit 1), naming what libvirt lacks" \
		    test "$rc" -eq 1 -a -f "$L/$name.refused"
		check "$name: ... in these words" same_file "$L/$name.refused" \
		    "$WORK/$name.refused"
	fi
	check "$name: written nowhere" test -z "$(ls -A "$G"/images 2>/dev/null)"
done

# -o: a new file; one that is there only with --force.
check "-o writes a new file" expect_exit 0 "$VMTUI" --export libvirt \
    "$G/uefi.conf" -o "$WORK/uefi-domain.xml"
check "... the XML" grep -q "<name>uefi</name>" "$WORK/uefi-domain.xml"
printf 'precious\n' >"$WORK/taken.xml"
check "-o does not replace a file" expect_exit 1 "$VMTUI" --export libvirt \
    "$G/uefi.conf" -o "$WORK/taken.xml"
check "... which is untouched" grep -qx precious "$WORK/taken.xml"
check "-o --force replaces it" expect_exit 0 "$VMTUI" --export libvirt \
    "$G/uefi.conf" -o "$WORK/taken.xml" --force
check "... with the XML" grep -q "<name>uefi</name>" "$WORK/taken.xml"
check "--export of an unknown format" expect_exit 2 "$VMTUI" --export ovf \
    "$G/uefi.conf"
check "--export without a profile" expect_exit 2 "$VMTUI" --export libvirt
check "--export of a broken profile" expect_exit 2 "$VMTUI" --export libvirt \
    "$DATA/invalid/cores-zero.conf"

finish
