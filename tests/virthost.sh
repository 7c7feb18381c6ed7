#!/bin/sh
# --define on a real libvirt: the test starts its own libvirtd (session
# mode, as a user of its own, every folder and socket private to this
# run), defines the test guest's profile, starts it with virsh and finds
# the guest's marker in vmtui's console log; a forward answers; the name
# clash needs --force; the images are uploaded into a directory pool,
# byte for byte, never over a volume that is there; a profile libvirt
# cannot express defines nothing; and nothing is left behind.
. "$TOP_SRCDIR/tests/lib.sh"

real_qemu
if "$VMTUI" --define /nonexistent.conf 2>&1 | grep -q "without libvirt"; then
	echo "this vmtui was built without libvirt" >&2
	exit 77
fi
for b in libvirtd virsh passt; do
	if ! command -v "$b" >/dev/null 2>&1; then
		echo "$b is required (tools/setup installs it)" >&2
		exit 1
	fi
done
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null; then
	echo "needs root, for a user of its own to run libvirtd as" >&2
	exit 77
fi

LV=vmtui-lv-$$
useradd -M -d /nonexistent -s /usr/sbin/nologin "$LV"
H=$WORK/lvhome
# shellcheck disable=SC2064 # expand now
trap "pkill -KILL -u '$LV' 2>/dev/null; sleep 0.5; userdel '$LV' 2>/dev/null;
    rm -rf '$WORK'" EXIT
chmod 0711 "$WORK"
mkdir -p "$H/run" "$H/c/vmtui/profiles"
chmod 0700 "$H/run"
cp "$GUEST/vmlinux" "$GUEST/initrd.gz" "$H/"
port=$((40000 + $$ % 10000))
cat >"$H/c/vmtui/profiles/lvguest.conf" <<END
name = "lvguest"
memory = 256
accel = "tcg"
root-disk { size = 32 }
forward { host-port = $port  guest-port = 8080 }
boot {
  mode = "kernel"
  kernel = "$H/vmlinux"
  initrd = "$H/initrd.gz"
  append = "quiet vmtui.net=1 vmtui.serve=8080"
}
END
sed -e 's/lvguest/lvlan/' -e 's/^memory = 256/memory = 256\nvlans = {1}/' \
    "$H/c/vmtui/profiles/lvguest.conf" >"$H/c/vmtui/profiles/lvlan.conf"
chown -R "$LV:" "$H"

# as LV, in the run's own folders: libvirt's session daemon and its URI.
# Where the host has a /dev/kvm and mount namespaces, in one of its own
# where that /dev/kvm is LV's to open (the host's own left as it is), as
# for a user in group kvm: libvirt then offers kvm domains wherever KVM
# opens, even on a host whose CPU cannot run a guest with it (no vmx or
# svm), which only vmtui's own probe of the CPU knows.
cat >"$WORK/kvmns" <<'END'
# kvmns FOLDER USER COMMAND...: COMMAND where /dev/kvm is USER's to open
mount -t tmpfs -o mode=0755 kvmdev "$1" &&
    mknod -m 0600 "$1/kvm" c $(stat -c "%Hr %Lr" /dev/kvm) &&
    chown "$2" "$1/kvm" && mount --bind "$1/kvm" /dev/kvm || exit 125
shift 2
exec "$@"
END
mkdir "$WORK/kvmdev"
ns=
if [ -c /dev/kvm ] && unshare -m true 2>/dev/null; then
	ns="unshare -m --propagation private sh $WORK/kvmns $WORK/kvmdev $LV"
fi
as_lv() {
	# shellcheck disable=SC2086 # $ns is words, or none
	$ns setpriv --reuid="$LV" --regid="$(id -g "$LV")" --clear-groups \
	    env -i PATH="$PATH" HOME="$H" XDG_RUNTIME_DIR="$H/run" \
	    XDG_CONFIG_HOME="$H/c" XDG_CACHE_HOME="$H/cache" \
	    XDG_DATA_HOME="$H/d" XDG_STATE_HOME="$H/s" "$@"
}
URI=qemu:///session
virsh_lv() { as_lv virsh -q -c "$URI" "$@"; }
as_lv libvirtd --daemon
up() {
	for _i in $(seq 50); do
		virsh_lv version >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}
check "libvirtd (session) answers" up
LOG=$H/s/vmtui/lvguest/console.log

# ready: the guest's marker in the console log within 60 s, since $from.
ready() {
	_n=0
	while [ "$_n" -lt 600 ]; do
		tail -c +"$from" "$LOG" 2>/dev/null | grep -aq VMTUI-GUEST-READY &&
		    return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	echo "no VMTUI-GUEST-READY after 60 s:" >&2
	tail -n 5 "$H/cache/libvirt/qemu/log/lvguest.log" >&2
	return 1
}
answers() {
	_n=0
	while [ "$_n" -lt 30 ]; do
		timeout 3 busybox wget -q -O - "http://127.0.0.1:$port/" 2>/dev/null |
		    grep -qx "vmtui test guest" && return 0
		sleep 1
		_n=$((_n + 1))
	done
	return 1
}
logsize() { cat "$LOG" 2>/dev/null | wc -c; }

check "--define" expect_exit 0 as_lv "$VMTUI" --define lvguest --connect "$URI"
check "... says where and how to start it" grep -q \
    "defined lvguest on $URI; virsh -c $URI start lvguest starts it" "$WORK/out"
check "... the root image made as the script makes it" sh -c \
    'qemu-img info "$1" | grep -q "file format: qcow2"' sh \
    "$H/d/vmtui/lvguest/root.qcow2"
from=$(($(logsize) + 1))
check "virsh starts it" virsh_lv start lvguest
check "the guest is ready, in vmtui's console log" ready
check "a forward answers (QEMU's user network via qemu:commandline)" answers
check "a second --define: refused, the name is taken" expect_exit 1 as_lv \
    "$VMTUI" --define lvguest --connect "$URI"
check "... saying --force replaces it" grep -q "has a domain lvguest already: \
--force replaces its definition" "$WORK/err"
check "--define --force updates it" expect_exit 0 as_lv "$VMTUI" --define \
    lvguest --connect "$URI" --force
check "... says so" grep -q "updated lvguest" "$WORK/out"
check "... one domain" test "$(virsh_lv list --all --name | grep -c .)" = 1
# the domain back, from the host, as a profile of its own folder
check "--import of the domain from the host" expect_exit 0 as_lv env \
    XDG_CONFIG_HOME="$H/c2" "$VMTUI" --import libvirt lvguest --connect \
    "$URI" --allow-host-files
# (the root disk's format said, as the domain says it: the original
# leaves it to QEMU)
unsaid='s/,format=[a-z0-9]*\(,if=none,id=root,\)/\1/'
as_lv "$VMTUI" --print-script lvguest 2>&1 | same_machine | sed "$unsaid" \
    >"$WORK/a.sh" || true
as_lv env XDG_CONFIG_HOME="$H/c2" "$VMTUI" --print-script lvguest 2>&1 |
    same_machine | sed "$unsaid" >"$WORK/b.sh" || true
check "... prints the original's launch script" same_file "$WORK/a.sh" \
    "$WORK/b.sh"
# A hostile host's domain: its raw QEMU arguments are refused, listed.
# (without lvguest's disk, which would be refused as lvguest's)
virsh_lv dumpxml --inactive lvguest | sed -e '/<uuid>/d' \
    -e '/<disk /,/<\/disk>/d' -e '/<vmtui:disk /d' \
    -e 's|<name>lvguest</name>|<name>lvevil</name>|' \
    -e "s|</qemu:commandline>|<qemu:arg value='-incoming'/><qemu:arg \
value='exec:sh -c \"id > $H/pwned\"'/></qemu:commandline>|" >"$WORK/evil.xml"
check "a domain with raw QEMU arguments, on the host" virsh_lv define \
    "$WORK/evil.xml"
check "--import of it through --connect: refused" expect_exit 1 as_lv env \
    XDG_CONFIG_HOME="$H/c3" "$VMTUI" --import libvirt lvevil --connect "$URI"
check "... listing its raw arguments" grep -qx "vmtui: a raw QEMU argument, \
refused: exec:sh -c \"id > $H/pwned\"" "$WORK/err"
check "... and not the network vmtui wrote there" sh -c '! grep -q \
    "vmtui-net0" "$1"' sh "$WORK/err"
check "... nothing imported" test ! -e "$H/c3/vmtui/profiles/lvevil.conf"
virsh_lv undefine lvevil >/dev/null 2>&1 || true
virsh_lv destroy lvguest >/dev/null 2>&1 || true
virsh_lv undefine lvguest >/dev/null 2>&1 || true

# Into a directory pool: the image sent as it is, then booted from there.
mkdir -p "$H/pool" && chown "$LV:" "$H/pool"
check "a directory pool" virsh_lv pool-define-as vpool dir --target "$H/pool"
check "... started" virsh_lv pool-start vpool
check "--define --pool uploads" expect_exit 0 as_lv "$VMTUI" --define \
    lvguest --connect "$URI" --pool vpool
check "... the volume is the image, byte for byte" cmp \
    "$H/d/vmtui/lvguest/root.qcow2" "$H/pool/lvguest-root.qcow2"
virsh_lv dumpxml lvguest >"$WORK/dom.xml" 2>&1 || true
check "... the domain uses the volume" grep -q \
    "source file=./.*pool/lvguest-root.qcow2" "$WORK/dom.xml"
from=$(($(logsize) + 1))
virsh_lv start lvguest >/dev/null 2>&1 || true
check "... and boots from it" ready
virsh_lv destroy lvguest >/dev/null 2>&1 || true
virsh_lv undefine lvguest >/dev/null 2>&1 || true
check "a volume that is there is never replaced" expect_exit 1 as_lv "$VMTUI" \
    --define lvguest --connect "$URI" --pool vpool
check "... saying so" grep -q "pool volume lvguest-root.qcow2 exists already" \
    "$WORK/err"
check "... and defining nothing" test -z "$(virsh_lv list --all --name)"
check "an unknown pool" expect_exit 1 as_lv "$VMTUI" --define lvguest \
    --connect "$URI" --pool nosuch
check "... named" grep -q "no storage pool nosuch" "$WORK/err"

# accel unset: a local host's domain type is what vmtui's own launch would
# use (KVM only where the CPU can run it), a remote one's what its domain
# capabilities offer.
sed -e 's/lvguest/lvauto/' -e '/^accel = /d' -e '/^root-disk /d' \
    -e '/^forward /d' "$H/c/vmtui/profiles/lvguest.conf" \
    >"$H/c/vmtui/profiles/lvauto.conf"
chown "$LV:" "$H/c/vmtui/profiles/lvauto.conf"
offers=no
virsh_lv domcapabilities --virttype kvm >/dev/null 2>&1 && offers=yes
cpu=no
grep -qw 'vmx\|svm' /proc/cpuinfo && cpu=yes
want=qemu
[ "$offers$cpu" = yesyes ] && want=kvm
domtype() {
	virsh_lv dumpxml --inactive lvauto | grep -q "^<domain type='$1'"
}
check "accel unset, on this host (libvirt offers KVM: $offers, the CPU runs \
it: $cpu): --define" expect_exit 0 as_lv "$VMTUI" --define lvauto \
    --connect "$URI"
check "... a $want domain" domtype "$want"
check "... which starts" virsh_lv start lvauto
virsh_lv destroy lvauto >/dev/null 2>&1 || true
virsh_lv undefine lvauto >/dev/null 2>&1 || true
# a remote URI to the same daemon: libvirt's ext transport, through nc
printf '#!/bin/sh\nexec nc -U "%s"\n' "$H/run/libvirt/libvirt-sock" \
    >"$H/tunnel"
chmod 0755 "$H/tunnel"
REMOTE="qemu+ext://localhost/session?command=$H/tunnel"
want=qemu
[ "$offers" = yes ] && want=kvm
# a machine that boots a kernel of this host: another host would read its
# own file of that path, which --define does not upload
check "a kernel's machine to a remote host: refused" expect_exit 1 as_lv \
    "$VMTUI" --define lvauto --pool vpool --connect "$REMOTE"
check "... saying why" grep -q "lvauto boots a kernel of this host \
($H/vmlinux), which --define uploads to no host" "$WORK/err"
check "... nothing defined" test -z "$(virsh_lv list --all --name)"
printf 'name = "lvdisk"\nmemory = 256\nroot-disk { size = 32 }\n' \
    >"$H/c/vmtui/profiles/lvdisk.conf"
chown "$LV:" "$H/c/vmtui/profiles/lvdisk.conf"
check "accel unset, on a remote host (it offers KVM: $offers): --define" \
    expect_exit 0 as_lv "$VMTUI" --define lvdisk --pool vpool --connect \
    "$REMOTE"
domtype() {
	virsh_lv dumpxml --inactive lvdisk | grep -q "^<domain type='$1'"
}
check "... a $want domain" domtype "$want"
virsh_lv undefine lvdisk >/dev/null 2>&1 || true
virsh_lv vol-delete --pool vpool lvdisk-root.qcow2 >/dev/null 2>&1 || true

# A host's domain never has its paths taken as this host's: one naming a
# file that is LV's own here (its key) is refused from a remote host (the
# import would have made it the root disk, and --define uploaded it),
# listed from this host's own libvirt.
printf 'SECRET\n' >"$H/id_rsa"
chown "$LV:" "$H/id_rsa"
cat >"$WORK/gift.xml" <<END
<domain type='qemu'><name>gift</name><memory unit='MiB'>256</memory>
<os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>
<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/>
<source file='$H/id_rsa'/><target dev='vda' bus='virtio'/></disk>
<memballoon model='none'/></devices></domain>
END
chmod 0644 "$WORK/gift.xml"
check "a host's domain whose disk is a file of this host" virsh_lv define \
    "$WORK/gift.xml"
check "--import of it from a remote host: refused" expect_exit 2 as_lv env \
    XDG_CONFIG_HOME="$H/c4" "$VMTUI" --import libvirt gift --connect \
    "$REMOTE"
check "... saying why, and what to do" grep -q "<disk> $H/id_rsa: a volume \
of the libvirt host, not a file here: copy it here first (virsh \
vol-download)" "$WORK/err"
check "... nothing imported" test ! -e "$H/c4/vmtui/profiles/gift.conf"
check "--import of it from this host's own libvirt: its file listed" \
    expect_exit 1 as_lv env XDG_CONFIG_HOME="$H/c4" "$VMTUI" --import \
    libvirt gift --connect "$URI"
check "... as read and written" grep -qx "vmtui: a file of this host it \
would use: reads and writes $H/id_rsa (the root disk)" "$WORK/err"
check "... nothing imported" test ! -e "$H/c4/vmtui/profiles/gift.conf"
virsh_lv undefine gift >/dev/null 2>&1 || true

# What libvirt cannot express defines nothing and makes nothing.
check "a profile with vlans: refused" expect_exit 1 as_lv "$VMTUI" --define \
    lvlan --connect "$URI"
check "... naming vlans" grep -q "^vlans: " "$WORK/err"
check "... nothing defined" test -z "$(virsh_lv list --all --name)"
check "... no image made" test ! -e "$H/d/vmtui/lvlan/root.qcow2"
check "--connect to nothing" expect_exit 1 as_lv "$VMTUI" --define lvguest \
    --connect "qemu:///session?socket=$H/nothing"
check "--pool without --define" expect_exit 2 "$VMTUI" --list --pool x

# Nothing left behind.
virsh_lv vol-delete --pool vpool lvguest-root.qcow2 >/dev/null 2>&1 || true
virsh_lv pool-destroy vpool >/dev/null 2>&1 || true
virsh_lv pool-undefine vpool >/dev/null 2>&1 || true
check "no domain, no pool left" test -z \
    "$(virsh_lv list --all --name)$(virsh_lv pool-list --all --name)"
check "no QEMU left" sh -c '! pgrep -u "$1" -f qemu-system' sh "$LV"

finish
