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

# The golden profiles as the machines of a profiles folder (gold's): their
# data and state folders are their names (paths_machine), as an imported
# one's are.
mkdir -p "$WORK/gold/vmtui"
cp -R "$DATA/golden" "$WORK/gold/vmtui/profiles"
G=$WORK/gold/vmtui/profiles
gold() {
	env XDG_CONFIG_HOME="$WORK/gold" "$@"
}
# qemu-img's own, not the fake's (an image an import reads must be one)
real_img() {
	PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||") \
	    qemu-img "$@"
}
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
	gold "$VMTUI" --export libvirt "$conf" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
	check "$name: written nowhere" test -z "$(ls -A "$G"/images 2>/dev/null)"
	if [ "$rc" -eq 0 ]; then
		cp "$WORK/out" "$WORK/libvirt/$name.xml"
		check "$name: libvirt's schema accepts it" virt-xml-validate \
		    "$WORK/libvirt/$name.xml" domain
		normalize "$WORK/libvirt/$name.xml" "$auto" >"$WORK/$name.xml"
		update "$WORK/$name.xml" "$name" xml
		check "$name: the XML is as expected" same_file "$L/$name.xml" \
		    "$WORK/$name.xml"
		# the round trip: imported (each in a profiles folder of its
		# own: two machines never share a disk), it exports the same
		# XML; with accel set, the same launch script as the
		# original's too.
		IMP=$WORK/imported/$name
		# Free-form options come back only with --allow-qemu-args.
		# An import takes no control character: a description on
		# two lines is refused, and goes round on one.
		x=$WORK/libvirt/$name.xml
		if grep -q '<description>.*[^>]$' "$x"; then
			check "$name: --import of a description of two lines: \
refused" expect_exit 2 env XDG_CONFIG_HOME="$IMP" "$VMTUI" \
			    --import libvirt "$x" --allow-qemu-args
			check "... naming it" grep -q \
			    "$name.xml:3: description .* holds a control character" \
			    "$WORK/err"
			sed '/<description>/{N;s/\n/ /;}' "$x" >"$WORK/$name.1.xml"
			x=$WORK/$name.1.xml
		fi
		# the disks it names are there (an import takes no file
		# that is not), made as images, and gone after
		sed -n 's|.*<source file="\('"$G"'/images/[^"]*\)".*|\1|p' "$x" |
		    while read -r img; do
			mkdir -p "$G/images"
			real_img create -q -f qcow2 "$img" 1M
		done
		raw=
		if grep -q '^ *options = ' "$conf"; then
			raw=--allow-qemu-args
			check "$name: --import without $raw: refused" \
			    expect_exit 1 env XDG_CONFIG_HOME="$IMP" \
			    "$VMTUI" --import libvirt "$x" --allow-host-files
		fi
		# the files of this host it uses: listed, and taken only
		# with --allow-host-files
		set +e
		env XDG_CONFIG_HOME="$IMP" "$VMTUI" --import libvirt \
		    "$x" $raw >"$WORK/out" 2>"$WORK/err"
		rc=$?
		set -e
		if grep -q "^vmtui: a file of this host it would use: " \
		    "$WORK/err"; then
			check "$name: --import of its files of this host: \
refused" test "$rc" = 1
			check "... saying what takes them" grep -q "nothing \
imported: .*--allow-host-files lets the machine use those files" "$WORK/err"
		fi
		check "$name: --import of it${raw:+ $raw} --allow-host-files" \
		    expect_exit 0 env XDG_CONFIG_HOME="$IMP" "$VMTUI" \
		    --import libvirt "$x" $raw --allow-host-files
		# what an import made loopback, put back as it says
		sed -n 's/^vmtui: note: .*made loopback (127.0.0.1); vmtui \(--set .*\) puts it back$/\1/p' \
		    "$WORK/err" | while read -r set; do
			# shellcheck disable=SC2086 # the words it says
			env XDG_CONFIG_HOME="$IMP" "$VMTUI" $set
		done
		check "... exports the same XML" sh -c 'env XDG_CONFIG_HOME="$1" \
		    "$2" --export libvirt "$3" | cmp -s - "$4"' sh \
		    "$IMP" "$VMTUI" "$name" "$x"
		# the root disk's format is said as the domain says it,
		# where the original leaves it to QEMU
		if [ "$auto" = 0 ]; then
			gold "$VMTUI" --print-script "$conf" | same_machine |
			    sed 's/,format=[a-z0-9]*\(,if=none,id=root,\)/\1/' \
			    >"$WORK/a.sh"
			env XDG_CONFIG_HOME="$IMP" "$VMTUI" --print-script \
			    "$name" | same_machine | sed \
			    's/,format=[a-z0-9]*\(,if=none,id=root,\)/\1/' \
			    >"$WORK/b.sh"
			check "... and prints the same launch script" \
			    same_file "$WORK/a.sh" "$WORK/b.sh"
		fi
		rm -rf "$G/images"
	else
		normalize "$WORK/err" 0 >"$WORK/$name.refused"
		update "$WORK/$name.refused" "$name" refused
		check "$name: refused (exit 1), naming what libvirt lacks" \
		    test "$rc" -eq 1 -a -f "$L/$name.refused"
		check "$name: ... in these words" same_file "$L/$name.refused" \
		    "$WORK/$name.refused"
	fi
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

# --import: what a profile cannot hold is listed, and refused unless --lossy.
mkdir -p "$WORK/srv"
real_img create -q -f qcow2 "$WORK/srv/foreign.qcow2" 1M
real_img create -q -f raw "$WORK/srv/data.img" 1M
cat >"$WORK/foreign.xml" <<END
<domain type='kvm'>
  <name>foreign</name>
  <memory unit='KiB'>2097152</memory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>
  <devices>
    <emulator>/usr/libexec/qemu-kvm</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='$WORK/srv/foreign.qcow2'/><target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$WORK/srv/data.img'/><target dev='vdb' bus='virtio'/>
    </disk>
    <interface type='network'><source network='default'/></interface>
    <sound model='ich9'/>
  </devices>
</domain>
END
I=$WORK/imports
check "--import of what a profile cannot hold: refused" expect_exit 1 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/foreign.xml" \
    --allow-host-files
for lost in 'machine="pc-i440fx-7.2"' '/srv/data.img: vmtui keeps' \
    '<interface type=network>' '<sound>' \
    '<emulator> /usr/libexec/qemu-kvm: vmtui runs qemu-system-x86_64'; do
	check "... listing $lost" grep -qF "$lost" "$WORK/err"
done
check "... saying what imports the rest, in one sentence" grep -qx \
    "vmtui: nothing imported: --lossy imports the rest" "$WORK/err"
check "... and nothing written" test ! -e "$I/vmtui/profiles/foreign.conf"
check "--import --lossy" expect_exit 0 env XDG_CONFIG_HOME="$I" "$VMTUI" \
    --import libvirt "$WORK/foreign.xml" --lossy --allow-host-files
check "... the root disk kept, and its format" grep -q \
    "image = \"$WORK/srv/foreign.qcow2\" *format = \"qcow2\"\|image = \"$WORK/srv/foreign.qcow2\"" \
    "$I/vmtui/profiles/foreign.conf"
check "... the disk it could not hold left out, not made anew" sh -c \
    '! grep -q "^disk " "$1"' sh "$I/vmtui/profiles/foreign.conf"
check "... memory in MiB" grep -q "^memory = 2048" \
    "$I/vmtui/profiles/foreign.conf"
check "... and the arch's QEMU, never the domain's program" sh -c 'env \
    XDG_CONFIG_HOME="$1" "$2" --print-script foreign | grep -q \
    "^exec '"'"'qemu-system-x86_64'"'"'"' sh "$I" "$VMTUI"
check "another import of its disk: refused, the disk is foreign's" \
    expect_exit 2 env XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt \
    "$WORK/foreign.xml" --lossy --allow-host-files
check "... saying so" grep -q \
    "foreign.qcow2: a disk of the vmtui machine foreign" "$WORK/err"
printf 'k' >"$WORK/vmlinuz"
printf '<domain><name>foreign</name><os><kernel>%s</kernel></os></domain>' \
    "$WORK/vmlinuz" >"$WORK/foreign2.xml"
check "an import never replaces a profile" expect_exit 1 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/foreign2.xml" \
    --allow-host-files
# Raw QEMU arguments (qemu:commandline) run on this host as they are: an
# import never takes them silently, --lossy never, --allow-qemu-args does
# and then they are marked as what they are.
printf 'k' >"$WORK/vmlinuz"
cat >"$WORK/evil.xml" <<END
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>evil</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$WORK/vmlinuz</kernel></os>
  <qemu:commandline>
    <qemu:arg value='-incoming'/>
    <qemu:arg value='exec:sh -c "id &gt; $WORK/pwned"'/>
  </qemu:commandline>
</domain>
END
for how in "" --lossy; do
	check "raw QEMU arguments${how:+ with $how}: refused" expect_exit 1 \
	    env XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt \
	    "$WORK/evil.xml" $how --allow-host-files
	check "... listing each" sh -c 'grep -qx "vmtui: a raw QEMU \
argument, refused: -incoming" "$1" && grep -qx "vmtui: a raw QEMU \
argument, refused: exec:sh -c \"id > $2/pwned\"" "$1"' sh "$WORK/err" "$WORK"
	check "... saying what takes them" grep -q \
	    "nothing imported: --allow-qemu-args takes the raw QEMU arguments" \
	    "$WORK/err"
	check "... nothing written" test ! -e "$I/vmtui/profiles/evil.conf"
done
check "--allow-qemu-args takes them" expect_exit 0 env XDG_CONFIG_HOME="$I" \
    "$VMTUI" --import libvirt "$WORK/evil.xml" --allow-qemu-args \
    --allow-host-files
check "... saying so" grep -q \
    "raw QEMU arguments from an import, taken as they are: -incoming" \
    "$WORK/err"
check "... as such in the profile" grep -qF \
    'imported-options = {"-incoming", "exec:sh -c \"id > ' \
    "$I/vmtui/profiles/evil.conf"
check "... and in --print-profile" sh -c 'env XDG_CONFIG_HOME="$1" "$2" \
    --print-profile evil | grep "imported-options = " | grep -q \
    "# raw QEMU arguments from an import"' sh "$I" "$VMTUI"
check "... not among the profile's own options" sh -c '! grep -q \
    "^  options = " "$1"' sh "$I/vmtui/profiles/evil.conf"
check "... and the launch script passes them" sh -c 'env \
    XDG_CONFIG_HOME="$1" "$2" --print-script evil | grep -qF \
    "'"'"'-incoming'"'"' '"'"'exec:sh -c"' sh "$I" "$VMTUI"
check "--allow-qemu-args goes with --import" expect_exit 2 "$VMTUI" \
    --export libvirt "$G/uefi.conf" --allow-qemu-args
check "nothing ran" test ! -e "$WORK/pwned"
printf '<domain><name>bad name!</name></domain>' >"$WORK/badname.xml"
check "a domain's name that is no profile name" expect_exit 2 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/badname.xml"
# a name that "vmtui --launch NAME" would read as a file of the current
# folder: vm.conf there ran another profile
printf '<domain><name>vm.conf</name></domain>' >"$WORK/vmconf.xml"
check "a domain named vm.conf: refused" expect_exit 2 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/vmconf.xml"
check "... saying why" grep -q \
    'name "vm.conf" ends in .conf: vmtui --launch vm.conf would read' \
    "$WORK/err"
check "... nothing written" test ! -e "$I/vmtui/profiles/vm.conf.conf"
printf 'not xml <' >"$WORK/junk.xml"
check "not XML" expect_exit 2 env XDG_CONFIG_HOME="$I" "$VMTUI" --import \
    libvirt "$WORK/junk.xml"
check "... said, where" grep -q "junk.xml:1: not well-formed XML" "$WORK/err"

# An entity blow-up (a 200 KB entity referenced 20,000 times: 4 GB once
# expanded) is refused at its DOCTYPE: at once, in little memory.
{
	printf '<!DOCTYPE domain [<!ENTITY e "'
	head -c 204800 /dev/zero | tr '\0' A
	printf '">]>\n<domain><name>bomb</name><description>'
	yes '&e;' | head -n 20000 | tr -d '\n'
	printf '</description></domain>\n'
} >"$WORK/bomb.xml"
# a bound on memory where it can hold (not under ASan or valgrind, nor
# with a sh without ulimit -v)
bound=
# shellcheck disable=SC3045 # dash and bash have it; the probe says
(ulimit -v 524288 && "$VMTUI" --version) >/dev/null 2>&1 &&
    bound="ulimit -v 524288;"
check "an entity blow-up: refused within 5 s${bound:+ and 512 MiB}" \
    expect_exit 2 sh -c "$bound"' exec timeout 5 env XDG_CONFIG_HOME="$1" \
    "$2" --import libvirt "$3"' sh "$I" "$VMTUI" "$WORK/bomb.xml"
check "... naming the DOCTYPE" grep -q "<!DOCTYPE>" "$WORK/err"
check "... and nothing more said" test "$(wc -l <"$WORK/err")" = 1

# Text from elsewhere never reaches the terminal raw: a host's error (here
# quoting the name asked for), the FILE argument, C1 controls (U+009B is
# CSI to xterm and VTE) and bidi overrides are shown escaped.
clean() {
	! LC_ALL=C tr -d '\n' <"$1" | LC_ALL=C grep -q '[[:cntrl:]]' &&
	    ! grep -q "$(printf '\302[\200-\237]\|\342\200[\252-\256]\|\342\201[\246-\251]')" "$1"
}
check "a host's error quoting the name asked for" expect_exit 1 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt \
    "$(printf 'no\033]0;pwn\007\033[2J\302\233such')" --connect test:///default
check "... no control character reaches the terminal" clean "$WORK/err"
check "... shown escaped" grep -qF 'no\x1b]0;pwn\x07\x1b[2J\xc2\x9bsuch' \
    "$WORK/err"
mkdir -p "$WORK/names"
n=$WORK/names/$(printf 'a\033]0;pwn\007\033[2J\342\200\256x')
printf 'not xml <' >"$n.xml"
check "a FILE named with control characters" expect_exit 2 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$n.xml"
check "... none reaches the terminal" clean "$WORK/err"
check "... shown escaped" grep -qF \
    'names/a\x1b]0;pwn\x07\x1b[2J\xe2\x80\xaex.xml:1: not well-formed' \
    "$WORK/err"
# an import takes no value with a control character in it
for v in "<description>a$(printf '\302\233')2J</description>" \
    "<description>line&#10;line</description>" \
    "<os><kernel>$WORK/vmlinuz</kernel><cmdline>$(printf 'x\177y')</cmdline></os>"; do
	printf '<domain type="qemu"><name>c1</name>\n%s<os><kernel>%s</kernel></os></domain>\n' \
	    "$v" "$WORK/vmlinuz" | sed 's|</os><os>||' >"$WORK/c1.xml"
	check "a control character in a value: refused" expect_exit 2 env \
	    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/c1.xml"
	check "... saying where and why" grep -q \
	    "c1.xml:2: .* holds a control character" "$WORK/err"
	check "... escaped" clean "$WORK/err"
done
check "... nothing written" test ! -e "$I/vmtui/profiles/c1.conf"

# Every element left out is listed: a console into a file, an rng from
# egd, passt, a MAC, a balloon, input passthrough, a share that is not
# squash, the vCPUs past the current ones; sizes that overflow refused.
cat >"$WORK/dropped.xml" <<END
<domain type='qemu'><name>dropped</name><vcpu current='1'>1024</vcpu>
<os><kernel>$WORK/vmlinuz</kernel></os><devices>
<serial type='file'><source path='$WORK/serial.out'/><target port='0'/></serial>
<rng model='virtio'><backend model='egd' type='tcp'/></rng>
<interface type='user'><backend type='passt'/><mac address='52:54:00:0:0:1'/></interface>
<input type='passthrough' bus='virtio'/><memballoon model='virtio'/>
<filesystem type='mount' accessmode='passthrough'><source dir='$WORK'/><target dir='w'/></filesystem>
</devices></domain>
END
check "what a profile cannot hold, of every kind: refused" expect_exit 1 \
    env XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/dropped.xml"
for lost in '<serial type="file">' '<rng> backend egd' '<backend>' '<mac>' \
    '<input type="passthrough">' '<memballoon model="virtio">' \
    'accessmode="passthrough"' '<vcpu> 1024: the most vCPUs'; do
	check "... listing $lost" grep -qF "$lost" "$WORK/err"
done
check "--lossy: the cores it starts with" expect_exit 0 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/dropped.xml" --lossy \
    --allow-host-files
check "... one" sh -c '! grep -q "^cores" "$1"' sh \
    "$I/vmtui/profiles/dropped.conf"
printf '<domain><name>eib</name>\n<memory unit="EiB">16</memory></domain>' \
    >"$WORK/eib.xml"
check "16 EiB of memory: refused" expect_exit 2 env XDG_CONFIG_HOME="$I" \
    "$VMTUI" --import libvirt "$WORK/eib.xml"
check "... saying so" grep -qx "$WORK/eib.xml:2: <memory unit=\"EiB\">16: \
more than vmtui's 16 TiB" "$WORK/err"

# The files of this host an imported machine would read or write: listed
# with what it does with each, and taken only with --allow-host-files
# (never --lossy); some never (not a full path, not there, not a plain
# file, another machine's). The attack: the root disk ~/.ssh/id_rsa,
# read by the guest; ~/.bashrc, written; a backing file; a share of /.
mkdir -p "$HOME/.ssh" "$WORK/bundle" "$XDG_DATA_HOME/vmtui/base"
printf 'SECRET-PRIVATE-KEY-LINE\n' >"$HOME/.ssh/id_rsa"
real_img create -q -f qcow2 "$XDG_DATA_HOME/vmtui/base/root.qcow2" 1M
real_img create -q -f qcow2 -b "$HOME/.ssh/id_rsa" -F raw \
    "$WORK/bundle/disk.qcow2" 1M
hostile() {
	printf '<domain type="qemu"><name>%s</name>\n<memory unit="MiB">256' "$1"
	printf '</memory><os><kernel>%s</kernel></os><devices>\n' "$WORK/vmlinuz"
	printf '<disk type="file" device="disk"><driver name="qemu" type="%s"/>' \
	    "$2"
	printf '<source file="%s"/><target dev="vda" bus="virtio"/></disk>' "$3"
	printf '%s</devices></domain>\n' "${4:-}"
}
hostile leak raw "$HOME/.ssh/id_rsa" >"$WORK/leak.xml"
for how in "" --lossy; do
	check "a root disk of ~/.ssh/id_rsa${how:+ with $how}: refused" \
	    expect_exit 1 env XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt \
	    "$WORK/leak.xml" $how
	check "... saying what the machine would do with it" grep -qx \
	    "vmtui: a file of this host it would use: reads and writes \
$HOME/.ssh/id_rsa (the root disk)" "$WORK/err"
	check "... and with the kernel" grep -qx "vmtui: a file of this host \
it would use: reads $WORK/vmlinuz (the kernel)" "$WORK/err"
	check "... and what takes them" grep -qx "vmtui: nothing imported: \
--allow-host-files lets the machine use those files of this host (--lossy \
never does)" "$WORK/err"
	check "... nothing written" test ! -e "$I/vmtui/profiles/leak.conf"
done
hostile backing qcow2 "$WORK/bundle/disk.qcow2" >"$WORK/backing.xml"
check "a backing file of the root disk" expect_exit 1 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/backing.xml"
check "... listed" grep -qx "vmtui: a file of this host it would use: reads \
$HOME/.ssh/id_rsa (a backing file of $WORK/bundle/disk.qcow2)" "$WORK/err"
# a root disk of its own data folder (made at launch) standing on the key
# (libvirt's <backingStore>, a cloud machine's root-disk.backing)
hostile stand qcow2 "$XDG_DATA_HOME/vmtui/stand/root.qcow2" |
    sed 's|<target dev="vda"|<backingStore type="file"><format type="raw"/><source file="'"$HOME"'/.ssh/id_rsa"/></backingStore>&|' \
    >"$WORK/stand.xml"
check "a root disk standing on ~/.ssh/id_rsa" expect_exit 1 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/stand.xml"
check "... listed" grep -qx "vmtui: a file of this host it would use: reads \
$HOME/.ssh/id_rsa (the image the root disk stands on)" "$WORK/err"
check "... nothing written" test ! -e "$I/vmtui/profiles/stand.conf"
hostile share raw "$WORK/bundle/disk.qcow2" '<filesystem type="mount" accessmode="squash"><source dir="/"/><target dir="r"/></filesystem>' \
    >"$WORK/share.xml"
check "a share of / read and written" expect_exit 1 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/share.xml"
check "... listed" grep -qx "vmtui: a file of this host it would use: reads \
and writes / (the shared folder r)" "$WORK/err"
check "... and raw said of a qcow2" grep -q "vmtui: note: \
$WORK/bundle/disk.qcow2: said to be raw, its bytes look like qcow2" \
    "$WORK/err"
check "--allow-host-files takes them" expect_exit 0 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/leak.xml" \
    --allow-host-files
check "... saying so" grep -qx "vmtui: a file of this host it uses, taken: \
reads and writes $HOME/.ssh/id_rsa (the root disk)" "$WORK/err"
check "... its format kept as said: raw, never probed" grep -q \
    'format = "raw"' "$I/vmtui/profiles/leak.conf"
for bad in "$HOME/.profile:not there" "../../../.ssh/id_rsa:not a full path" \
    "$HOME/../home/.ssh/id_rsa:not a full path" \
    "$XDG_DATA_HOME/vmtui/base/root.qcow2:in the data folder of the vmtui \
machine base" "$I/vmtui/profiles/leak.conf:a vmtui profile" \
    "/dev/null:not a plain file" \
    "$HOME/.ssh/id_rsa:a disk of the vmtui machine leak"; do
	hostile bad qcow2 "${bad%%:*}" >"$WORK/bad.xml"
	check "${bad%%:*}: refused, with --allow-host-files too" expect_exit 2 \
	    env XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/bad.xml" \
	    --allow-host-files
	check "... ${bad#*:}" grep -qF "bad.xml:3: ${bad%%:*}: ${bad#*:}" \
	    "$WORK/err"
done
test ! -e "$HOME/.profile"
check "nothing made" test ! -e "$HOME/.profile"

# vmtui's own metadata must agree with what the domain shows (a VNC on
# 0.0.0.0 there behind a <graphics> on 127.0.0.1), and an import never
# makes the machine listen off loopback: made 127.0.0.1, and said.
meta() {
	printf '<domain type="qemu" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0"><name>%s</name>\n' "$1"
	printf '<os><kernel>%s</kernel></os><devices><graphics type="vnc">' \
	    "$WORK/vmlinuz"
	printf '<listen type="address" address="%s"/></graphics></devices>\n' "$2"
	printf '<metadata><vmtui:machine xmlns:vmtui="urn:vmtui:domain:1">\n'
	printf '%s</vmtui:machine></metadata>\n' "$3"
	printf '<qemu:commandline><qemu:arg value="-netdev"/><qemu:arg '
	printf 'value="user,id=vmtui-net0,hostfwd=tcp:0.0.0.0:2222-:22"/>'
	printf '<qemu:arg value="-device"/><qemu:arg value="virtio-net-pci,'
	printf 'netdev=vmtui-net0,bus=pcie.0,addr=0x10"/></qemu:commandline>'
	printf '</domain>\n'
}
meta meta1 127.0.0.1 '<vmtui:display how="vnc" address="0.0.0.0"/>' \
    >"$WORK/meta1.xml"
check "metadata that disagrees with the domain: refused" expect_exit 2 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/meta1.xml"
check "... saying how" grep -q "meta1.xml:4: <vmtui:display \
address=\"0.0.0.0\">: the domain's <graphics> listens on 127.0.0.1" \
    "$WORK/err"
meta meta2 127.0.0.1 '<vmtui:disk name="ghost" size="99"/><vmtui:x/>' \
    >"$WORK/meta2.xml"
check "metadata of a disk that is not there, of what vmtui never writes" \
    expect_exit 2 env XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt \
    "$WORK/meta2.xml"
check "... each said" sh -c 'grep -q "ghost\">: the domain has no such \
disk" "$1" && grep -q "<vmtui:x>: vmtui writes no such element" "$1"' sh \
    "$WORK/err"
meta meta3 0.0.0.0 '<vmtui:display how="vnc" address="0.0.0.0"/>' \
    >"$WORK/meta3.xml"
check "a display and a forward off loopback: imported" expect_exit 0 env \
    XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt "$WORK/meta3.xml" \
    --allow-host-files
check "... made loopback" sh -c 'grep -q "^display-address = \"127.0.0.1\"" \
    "$1" && ! grep -q "0\.0\.0\.0" "$1"' sh "$I/vmtui/profiles/meta3.conf"
check "... and said, with how to put each back" sh -c 'grep -qx "vmtui: \
note: <graphics> listens on 0.0.0.0: made loopback (127.0.0.1); vmtui --set \
meta3 display-address=0.0.0.0 puts it back" "$1" && grep -qx "vmtui: note: \
forward tcp 0.0.0.0:2222: made loopback (127.0.0.1); vmtui --set meta3 \
forward\[0\].host-address=0.0.0.0 puts it back" "$1"' sh "$WORK/err"

# An element libvirt reads once, given twice: libvirt takes the first, so
# the import refuses rather than read the other (init=/bin/evil).
for twice in '<cmdline>quiet</cmdline><cmdline>init=/bin/evil</cmdline>' \
    "<kernel>$WORK/vmlinuz</kernel><kernel>/bin/sh</kernel>" \
    '<type arch="x86_64">hvm</type><type arch="aarch64">hvm</type>'; do
	el=${twice%%>*}
	el=${el%% *}
	printf '<domain type="qemu"><name>twice</name>\n<os>%s</os></domain>\n' \
	    "$twice" >"$WORK/twice.xml"
	check "$el> twice: refused" expect_exit 2 env XDG_CONFIG_HOME="$I" \
	    "$VMTUI" --import libvirt "$WORK/twice.xml"
	check "... naming it" grep -qx \
	    "$WORK/twice.xml:2: ${el%>}> twice: libvirt takes the first" \
	    "$WORK/err"
done

# libxml2 2.9 takes time quadratic in an element's attributes (40,000
# took 5 s, 160,000 over 3 minutes): more than 256 are refused before it
# reads them, at once.
{
	printf '<domain type="qemu"><name>attrs</name><features'
	seq 40000 | sed 's/.*/ a&=""/' | tr -d '\n'
	printf '><acpi/></features></domain>\n'
} >"$WORK/attrs.xml"
check "40,000 attributes on an element: refused within 2 s" expect_exit 2 \
    timeout 2 env XDG_CONFIG_HOME="$I" "$VMTUI" --import libvirt \
    "$WORK/attrs.xml"
check "... naming it, where" grep -q \
    "attrs.xml:1: <features> has more than 256 attributes" "$WORK/err"

# The list's x: the XML to a file, or what libvirt cannot express said.
if command -v tmux >/dev/null 2>&1; then
	T="tmux -L vmtui-libvirt-$$"
	trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
	mkdir -p "$P"
	sed 's/^name = .*/name = "a-minimal"/' "$G/kernel-minimal.conf" \
	    >"$P/a-minimal.conf"
	sed 's/^name = .*/name = "b-lan"/' "$G/vlans.conf" >"$P/b-lan.conf"
	for f in vmlinuz initrd.gz; do cp "$G/$f" "$P/"; done
	# an import's raw QEMU arguments, taken: marked where they show
	sed 's/^name = .*/name = "c-raw"/' "$I/vmtui/profiles/evil.conf" \
	    >"$P/c-raw.conf"
	for TMUX_SIZE in "80 24" "120 40"; do
		sz=${TMUX_SIZE% *}x${TMUX_SIZE#* }
		rm -f "$WORK/min.xml"
		start
		see "a-minimal" >/dev/null
		keys x
		check "$sz: x asks how" see "write its domain XML to a file"
		keys Enter
		check "$sz: ... and where" see "Write the domain XML to:"
		keys C-u
		$T send-keys -t t -l "$WORK/min.xml"
		keys Enter
		check "$sz: ... wrote it" see "wrote $WORK/min.xml"
		check "$sz: ... valid for libvirt" virt-xml-validate \
		    "$WORK/min.xml" domain
		keys Down x Enter
		see "Write the domain XML to:" >/dev/null
		keys Enter
		check "$sz: what libvirt cannot express is said" \
		    see "b-lan cannot be exported to libvirt"
		keys Down
		check "$sz: the details mark an import's raw QEMU arguments" \
		    see "raw QEMU arguments from an import"
		check "$sz: ... showing them" see "'exec:sh -c"
		keys Enter NPage NPage NPage NPage NPage
		check "$sz: ... and so does the editor" \
		    see "Raw QEMU arguments from an import"
		check "$sz: ... showing them" see '-incoming exec:sh\x20-c'
		keys Escape q
	done
	# A description never pushes the facts off the details: it comes
	# last, on one line, escaped, cut to the width (here fake disks:
	# and shares: lines, then 80 of U+2800).
	mkdir -p "$WORK/secret" "$WORK/shared"
	printf 'k' >"$WORK/secret/real-disk"
	{
		printf 'name = "d-spoof"\nmemory = 256\ndescription = "w\342\200\256eb'
		printf '\\nfile:     /fake/spoof.conf\\ndisks:    root /fake/'
		printf 'root.qcow2\\nshares:   none'
		for _i in $(seq 80); do printf '\\n\342\240\200'; done
		printf '."\nroot-disk { image = "%s" format = "raw" }\n' \
		    "$WORK/secret/real-disk"
		printf 'share "h" { source = "%s" }\n' "$WORK/shared"
	} >"$P/d-spoof.conf"
	for TMUX_SIZE in "80 24" "120 40"; do
		sz=${TMUX_SIZE% *}x${TMUX_SIZE#* }
		start
		see "a-minimal" >/dev/null
		keys End
		check "$sz: a description's fake lines: the real disk shown" \
		    see "real-disk"
		check "$sz: ... the real share" see "shares:   h /"
		check "$sz: ... the description on one line, escaped" \
		    see 'about:    w\xe2\x80\xaeeb\nfile:'
		check "$sz: ... no fake line of its own" sh -c \
		    '! $1 capture-pane -p -t t | grep -q "^.*│ *disks:    root /fake"' \
		    sh "$T"
		check "$sz: ... nor a bidi override" sh -c '! $1 capture-pane \
		    -p -t t | grep -q "$(printf "\342\200\256")"' sh "$T"
		keys q
	done
fi

finish
