#!/bin/sh
# A machine's identity: its data, state and runtime folders come from its
# profile (its name and real path) in one place. A profile elsewhere that
# takes a machine's name gets folders of its own; two HOMEs of one user
# with a machine of the same name never meet in the runtime folder; a
# running machine is listed wherever its profile is; a machine that an
# earlier vmtui started (its runtime folder named after it alone) stays
# reachable; a display on TCP asks for a password that only its owner can
# read, and another user gets security type None refused.
#
# The machines are real QEMU processes that do nothing: qemu-idle keeps
# vmtui's sockets, pidfile and display of the argv on "-machine none",
# so that no guest needs to boot. Skips (77) only without QEMU.
. "$TOP_SRCDIR/tests/lib.sh"

PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
for tool in qemu-system-x86_64 qemu-img; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$tool is not installed" >&2
		exit 77
	fi
done
# every machine this test started, by the pid in its pidfile
cleanup() {
	for f in "$XDG_RUNTIME_DIR"/vmtui/*/qemu.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	for f in /tmp/vmtui-"${vuid:-x}"*/vmtui/*/qemu.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	[ -n "${OTHER:-}" ] && user_gone "$OTHER"
	[ -n "${VICTIM:-}" ] && user_gone "$VICTIM"
	[ -n "${vuid:-}" ] && rm -rf /tmp/vmtui-"$vuid" /tmp/vmtui-"$vuid"-*
	rm -rf "$WORK"
}
trap cleanup EXIT

fixtures
mkdir -p "$WORK/bin" "$WORK/x"
: >"$WORK/vmlinuz"
cat >"$WORK/bin/qemu-idle" <<'END'
#!/bin/sh
# vmtui's QEMU argv kept to its sockets, pidfile, secrets and display, on a
# machine that does nothing.
n=$#
while [ "$n" -gt 0 ]; do
	a=$1
	shift
	n=$((n - 1))
	case $a in
	-chardev | -mon | -pidfile | -object | -display | -spice)
		set -- "$@" "$a" "$1"
		shift
		n=$((n - 1))
		;;
	esac
done
exec qemu-system-x86_64 -machine none -nodefaults "$@"
END
chmod 0755 "$WORK/bin/qemu-idle"

# profile FILE [KEYS]: a machine on qemu-idle, named after its file.
profile() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<END
memory = 64
accel = "tcg"
guest-agent = false
${2:-}
boot {
  kernel = "$WORK/vmlinuz"
}
qemu {
  binary = "$WORK/bin/qemu-idle"
}
END
}

# image PROFILE: the root disk its launch script makes.
image() {
	"$VMTUI" --print-script "$1" |
	    sed -n "s/^VMTUI_DISK_IMAGE=\${VMTUI_DISK_IMAGE:-'\(.*\)'}\$/\1/p"
}
# listed WORD NAME [ENV...]: --list's line of NAME says WORD.
listed() {
	_w=$1 _n=$2
	shift 2
	"$@" "$VMTUI" --list 2>&1 | grep "^$_n " | grep -q "$_w"
}
# gone PIDFILE: the process is gone within 3 s (a zombie nobody reaps is
# gone too).
gone() {
	_pid=$(cat "$1") _n=0
	while [ "$_n" -lt 30 ]; do
		! kill -0 "$_pid" 2>/dev/null && return 0
		[ "$(sed 's/.*) \(.\).*/\1/' "/proc/$_pid/stat" 2>/dev/null)" = \
		    Z ] && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}
# unreached PROFILE: --stop of it finds nothing running.
unreached() {
	! "$VMTUI" --stop "$1" --force >/dev/null 2>&1
}

# --- a profile elsewhere takes the name of a machine -----------------------
profile "$P/t1.conf" 'root-disk { size = 16 }'
cp "$P/t1.conf" "$WORK/x/t1.conf"
check "t1 launches" expect_exit 0 "$VMTUI" --launch t1 --detach
check "t1 stops" expect_exit 0 "$VMTUI" --stop t1 --force
check "t1 takes a snapshot" expect_exit 0 "$VMTUI" --snapshot t1 take s1
check "t1's disk is in its data folder, as before" test \
    "$(image t1)" = "$XDG_DATA_HOME/vmtui/t1/root.qcow2"
check "a profile named by its path is the same machine" test \
    "$(rundir t1)" = "$(rundir "$P/t1.conf")"
check "t1 lists its snapshot" sh -c '"$1" --snapshot t1 list | grep -q "^s1 "' \
    sh "$VMTUI"
check "a profile elsewhere named t1 does not see t1's snapshots" sh -c \
    '! "$1" --snapshot "$2" list 2>&1 | grep -q "^s1 "' sh "$VMTUI" \
    "$WORK/x/t1.conf"
check "... its disk is not t1's" test "$(image "$WORK/x/t1.conf")" != \
    "$(image t1)"
check "... nor is its runtime folder" test "$(rundir "$WORK/x/t1.conf")" != \
    "$(rundir t1)"
check "... its data folder is vmtui's all the same" sh -c \
    'case $1 in "$2"/vmtui/t1@*/root.qcow2) ;; *) exit 1;; esac' sh \
    "$(image "$WORK/x/t1.conf")" "$XDG_DATA_HOME"
check "t1 launches again" expect_exit 0 "$VMTUI" --launch t1 --detach
check "the profile elsewhere does not stop t1" unreached "$WORK/x/t1.conf"
check "the profile elsewhere launches beside t1" expect_exit 0 "$VMTUI" \
    --launch "$WORK/x/t1.conf" --detach
check "... the hint names it by its path" grep -qF \
    "\"vmtui --stop $WORK/x/t1.conf\"" "$WORK/out"
check "... never by t1, another machine" sh -c '! grep -q "stop t1\"" "$1"' \
    sh "$WORK/out"
check "... and stops by its path" expect_exit 0 "$VMTUI" --stop \
    "$WORK/x/t1.conf" --force
check "... t1 still runs" listed running t1
check "the runtime folder records the profile it was started from" test \
    "$(cat "$(rundir t1)/profile")" = "$P/t1.conf"
check "t1 stops" expect_exit 0 "$VMTUI" --stop t1 --force

# An earlier vmtui kept the disks of a profile elsewhere in DATA/NAME: they
# are never used now (another profile of the name could have made them),
# and the launch says where they are.
profile "$WORK/x/solo.conf" 'root-disk { size = 16 }'
mkdir -p "$XDG_DATA_HOME/vmtui/solo"
qemu-img create -q -f qcow2 "$XDG_DATA_HOME/vmtui/solo/root.qcow2" 16M
check "a profile elsewhere with an earlier vmtui's disks launches" \
    expect_exit 0 "$VMTUI" --launch "$WORK/x/solo.conf" --detach
check "... saying where they are, and where its own are" grep -q \
    "solo keeps its disks in $XDG_DATA_HOME/vmtui/solo@[0-9a-f]*, not in \
$XDG_DATA_HOME/vmtui/solo as before" "$WORK/err"
check "... and not using them" test "$(image "$WORK/x/solo.conf")" != \
    "$XDG_DATA_HOME/vmtui/solo/root.qcow2"
check "solo stops" expect_exit 0 "$VMTUI" --stop "$WORK/x/solo.conf" --force

# --- two HOMEs of one user, one runtime folder -----------------------------
H2=$WORK/h2
home2() {
	env HOME="$H2" XDG_CONFIG_HOME="$H2/config" XDG_DATA_HOME="$H2/data" \
	    XDG_STATE_HOME="$H2/state" "$@"
}
profile "$P/web.conf"
profile "$H2/config/vmtui/profiles/web.conf"
check "two HOMEs' machines named web: two runtime folders" test \
    "$(rundir web)" != "$(rundir web home2)"
check "... also without XDG_RUNTIME_DIR" sh -c '
    a=$(env -u XDG_RUNTIME_DIR "$1" --print-script web | grep "^rundir=")
    b=$(env -u XDG_RUNTIME_DIR HOME="$2" XDG_CONFIG_HOME="$2/config" \
        "$1" --print-script web | grep "^rundir=")
    [ -n "$a" ] && [ "$a" != "$b" ]' sh "$VMTUI" "$H2"
check "the first HOME's web launches" expect_exit 0 "$VMTUI" --launch web \
    --detach
check "... the second HOME's web is stopped" listed stopped web home2
check "... and launches beside it" expect_exit 0 home2 "$VMTUI" --launch web \
    --detach
check "the second HOME's web stops" expect_exit 0 home2 "$VMTUI" --stop web \
    --force
check "... the first HOME's runs on" listed running web
check "the first HOME's web stops" expect_exit 0 "$VMTUI" --stop web --force

# --- a running machine is listed wherever its profile is --------------------
H3=$WORK/h3
home3() {
	env HOME="$H3" XDG_CONFIG_HOME="$H3/config" XDG_DATA_HOME="$H3/data" \
	    XDG_STATE_HOME="$H3/state" "$@"
}
mkdir -p "$H3"
profile "$WORK/x/demo.conf"
check "a machine whose profile is elsewhere launches" expect_exit 0 home3 \
    "$VMTUI" --launch "$WORK/x/demo.conf" --detach
home3 "$VMTUI" --list >"$WORK/list3" 2>&1 || true
check "--list lists it, with no profiles folder at all" grep -q \
    "^demo .*running" "$WORK/list3"
check "... saying where its profile is" grep -qF "$WORK/x/demo.conf" \
    "$WORK/list3"
if command -v tmux >/dev/null; then
	T="tmux -L vmtui-ident-$$ -f /dev/null"
	for size in "100 30" "80 24"; do
		TMUX_SIZE=$size
		(XDG_CONFIG_HOME=$H3/config XDG_DATA_HOME=$H3/data
		    XDG_STATE_HOME=$H3/state HOME=$H3 && start)
		check "the list ($size) shows it" see "demo"
		check "... running" see "running"
		check "... and no \"No machines yet\"" sh -c \
		    '! $1 capture-pane -p -t t | grep -q "No machines yet"' sh "$T"
		keys c
		check "... a copy of it is refused: its profile is elsewhere" \
		    see "not in the profiles folder"
		keys q
	done
	# the open list follows it: stopped, it goes; started, it comes
	(XDG_CONFIG_HOME=$H3/config XDG_DATA_HOME=$H3/data
	    XDG_STATE_HOME=$H3/state HOME=$H3 && start)
	see "demo" >/dev/null
	check "it stops" expect_exit 0 home3 "$VMTUI" --stop \
	    "$WORK/x/demo.conf" --force
	check "... and the open list says so" see "No machines yet"
	check "it starts again" expect_exit 0 home3 "$VMTUI" --launch \
	    "$WORK/x/demo.conf" --detach
	check "... and the open list shows it" see "running"
	keys q
	check "it stops" expect_exit 0 home3 "$VMTUI" --stop \
	    "$WORK/x/demo.conf" --force
	$T kill-server 2>/dev/null || true
else
	echo "tmux is not installed: the list screen is not looked at" >&2
	check "it stops" expect_exit 0 home3 "$VMTUI" --stop \
	    "$WORK/x/demo.conf" --force
fi

# --- machines an earlier vmtui started stay reachable -----------------------
# The folders as vmtui had them: the runtime folder named after the machine
# alone, console.log in the state folder; QEMU started there by hand.
old_launch() {
	_r=$XDG_RUNTIME_DIR/vmtui/$1 _s=$XDG_STATE_HOME/vmtui/$1
	mkdir -p -m 0700 "$_r" "$_s"
	qemu-system-x86_64 -machine none -nodefaults -display none \
	    -chardev "socket,id=console,path=$_r/console.sock,server=on,wait=off,logfile=$_s/console.log,logappend=on" \
	    -chardev "socket,id=qmp,path=$_r/qmp.sock,server=on,wait=off" \
	    -mon chardev=qmp,mode=control \
	    -chardev "socket,id=qmp-view,path=$_r/qmp-view.sock,server=on,wait=off" \
	    -mon chardev=qmp-view,mode=control \
	    -pidfile "$_r/qemu.pid" -daemonize >/dev/null
	cp "$_r/qemu.pid" "$WORK/$1.qpid"
}
profile "$P/old.conf"
old_launch old
check "an earlier vmtui's machine: --list says it runs" listed running old
cp "$P/old.conf" "$WORK/x/old.conf"
check "... the profile elsewhere of its name does not reach it" unreached \
    "$WORK/x/old.conf"
check "... --stop reaches it" expect_exit 0 "$VMTUI" --stop old --force
check "... and it has gone" gone "$WORK/old.qpid"
profile "$WORK/x/olddemo.conf"
old_launch olddemo
check "an earlier vmtui's machine of a profile elsewhere is listed" listed \
    running olddemo
check "... its profile reaches it" expect_exit 0 "$VMTUI" --stop \
    "$WORK/x/olddemo.conf" --force
check "... and it has gone" gone "$WORK/olddemo.qpid"

# --- a display on TCP, loopback too, asks for a password --------------------
profile "$P/gfx.conf" 'graphics = true
display = "vnc"
display-address = "127.0.0.1"'
check "a VNC display on loopback launches" expect_exit 0 "$VMTUI" --launch \
    gfx --detach
"$VMTUI" --list >"$WORK/list" 2>&1
sed -n "/^gfx /{n;s/^ *vnc: \([0-9.]*\):\([0-9]*\) .*/\2/p;}" "$WORK/list" \
    >"$WORK/gfx.port"
port=$(cat "$WORK/gfx.port")
pass=$(rundir gfx)/vnc.password
check "--list says where it is" grep -Eq "^59[0-9][0-9]$" "$WORK/gfx.port"
check "... and where its password is" grep -qF "the password is in $pass" \
    "$WORK/list"
check "the password is the user's alone (0600, 8 characters)" sh -c \
    'test "$(stat -c %a:%u "$1")" = "600:$(id -u)" &&
    test "$(wc -c <"$1")" -eq 8' sh "$pass"
check "the server asks for a VNC password, nothing else" sh -c \
    '"$1" -t "127.0.0.1:$2" | grep -qx 2' sh "$TOP_BUILDDIR/tests/rfb" "$port"
check "QEMU's command line does not hold the password" sh -c \
    '! tr "\0" "\n" </proc/"$(cat "$1")"/cmdline | grep -qF "$(cat "$2")"' \
    sh "$(rundir gfx)/qemu.pid" "$pass"
if [ "$(id -u)" -eq 0 ] && command -v useradd >/dev/null; then
	OTHER=vmtui-ident-$$
	useradd -M -d /nonexistent -s /usr/sbin/nologin "$OTHER"
	ouid=$(id -u "$OTHER")
	as_other() {
		setpriv --reuid="$ouid" --regid="$ouid" --clear-groups "$@"
	}
	refused() {
		as_other "$TOP_BUILDDIR/tests/rfb" -n "127.0.0.1:$port" |
		    grep -q "^none refused"
	}
	chmod 0711 "$WORK"
	check "another user gets security type None refused" refused
	check "... and cannot read the password" expect_exit 1 as_other cat \
	    "$pass"
else
	echo "not root: the second user's view of the display is skipped" >&2
fi
check "gfx stops" expect_exit 0 "$VMTUI" --stop gfx --force

# --- an image that stands on a file the profile does not name --------------
# (a qcow2 handed over whose backing file, or data file, is one of yours)
printf 'PRIVATE KEY\n' >"$WORK/secret.key"
truncate -s 1M "$WORK/secret.key"
cp "$WORK/secret.key" "$WORK/secret2.key"
qemu-img create -q -f qcow2 -u -b "$WORK/secret.key" -F raw \
    "$WORK/gift.qcow2" 1M
mkdir -p "$WORK/g"
profile "$WORK/g/gift.conf" "root-disk {
  image = \"$WORK/gift.qcow2\"
  format = \"qcow2\"
  readonly = true
}"
check "--check of an image that stands on a file not named is refused" \
    expect_exit 1 "$VMTUI" --check "$WORK/g/gift.conf"
check "... FILE:LINE, the file it stands on, what to do" grep -q \
    "gift.conf:5: .*gift.qcow2 stands on $WORK/secret.key .*qemu-img convert" \
    "$WORK/err"
check "the launch is refused too" expect_exit 1 "$VMTUI" --launch \
    "$WORK/g/gift.conf" --detach
check "... before QEMU opened anything" unreached "$WORK/g/gift.conf"
qemu-img create -q -f qcow2 -o data_file="$WORK/secret2.key",data_file_raw=on \
    "$WORK/df.qcow2" 1M
profile "$WORK/g/df.conf" "root-disk {
  image = \"$WORK/df.qcow2\"
  readonly = true
}"
check "an image with a data file is refused" expect_exit 1 "$VMTUI" --check \
    "$WORK/g/df.conf"
check "... naming it" grep -q "df.conf:5: .*secret2.key (a data-file)" \
    "$WORK/err"
# the image the profile names as root-disk.backing is taken, and stands on
# nothing
qemu-img create -q -f qcow2 "$WORK/base.qcow2" 16M
qemu-img create -q -f qcow2 -b "$WORK/base.qcow2" -F qcow2 \
    "$WORK/g/ov.qcow2"
profile "$WORK/g/ov.conf" "root-disk {
  image = \"$WORK/g/ov.qcow2\"
  backing = \"$WORK/base.qcow2\"
}"
check "an overlay on the image root-disk.backing names is taken" \
    expect_exit 0 "$VMTUI" --check "$WORK/g/ov.conf"
qemu-img create -q -f qcow2 -u -b "$WORK/secret.key" -F raw \
    "$WORK/base2.qcow2" 16M
qemu-img create -q -f qcow2 -u -b "$WORK/base2.qcow2" -F qcow2 \
    "$WORK/g/ov2.qcow2" 16M
profile "$WORK/g/ov2.conf" "root-disk {
  image = \"$WORK/g/ov2.qcow2\"
  backing = \"$WORK/base2.qcow2\"
}"
check "... but not when that one stands on another file" expect_exit 1 \
    "$VMTUI" --check "$WORK/g/ov2.conf"
# ... nor when the profile calls that one raw but the overlay's header says
# qcow2 (QEMU reads the backing file as the header says)
profile "$WORK/g/ov3.conf" "root-disk {
  image = \"$WORK/g/ov2.qcow2\"
  backing = \"$WORK/base2.qcow2\"
  backing-format = \"raw\"
}"
check "... nor when the profile says raw and the overlay's header qcow2" \
    expect_exit 1 "$VMTUI" --check "$WORK/g/ov3.conf"
check "... naming the file two levels down" grep -q "secret.key" "$WORK/err"
# an overlay that names no format for what it stands on (qemu-img no longer
# makes one: its backing-format header extension cut out): QEMU would guess
qemu-img create -q -f qcow2 -b "$WORK/base.qcow2" -F qcow2 "$WORK/g/ovn.qcow2"
off=$(od -A n -t u4 --endian=big -j 100 -N 4 "$WORK/g/ovn.qcow2" | tr -d ' ')
[ "$(od -A n -t x1 -j "$off" -N 4 "$WORK/g/ovn.qcow2")" = " e2 79 2a ca" ]
printf '\0\0\0\0' | dd of="$WORK/g/ovn.qcow2" bs=1 seek="$off" conv=notrunc \
    status=none
profile "$WORK/g/ovn.conf" "root-disk {
  image = \"$WORK/g/ovn.qcow2\"
  backing = \"$WORK/base.qcow2\"
}"
check "an overlay that names no format for its backing file is refused" \
    expect_exit 1 "$VMTUI" --check "$WORK/g/ovn.conf"
# a root image without root-disk.format: QEMU is told what the check read
# (raw unless its bytes say qcow2), never left to guess a format that names
# other files (a VMDK descriptor's extent, a QED's backing file)
qemu-img create -q -f qed -b "$WORK/secret.key" -F raw "$WORK/gift.qed" 1M
profile "$WORK/g/qed.conf" "root-disk { image = \"$WORK/gift.qed\" }"
"$VMTUI" --print-script "$WORK/g/qed.conf" >"$WORK/qed.sh"
check "a root image with no format is opened as raw, not probed" grep -q \
    "format=raw,if=none,id=root," "$WORK/qed.sh"
profile "$WORK/g/q2.conf" "root-disk { image = \"$WORK/g/ov.qcow2\"
  backing = \"$WORK/base.qcow2\" }"
"$VMTUI" --print-script "$WORK/g/q2.conf" >"$WORK/q2.sh"
check "... a qcow2 one as qcow2" grep -q "format=qcow2,if=none,id=root," \
    "$WORK/q2.sh"
# a CD-ROM image is raw: a qcow2 "ISO" standing on a file of the user's
# never gives the guest that file
qemu-img create -q -f qcow2 -u -b "$WORK/secret.key" -F raw \
    "$WORK/gift.iso" 1M
cat >"$WORK/g/iso.conf" <<END
memory = 64
root-disk { size = 16 }
boot {
  mode = "cdrom"
  cdrom = "$WORK/gift.iso"
}
END
"$VMTUI" --print-script "$WORK/g/iso.conf" >"$WORK/iso.sh"
check "a CD-ROM image is opened as raw" grep -q \
    "gift.iso,format=raw,if=none,id=cdrom," "$WORK/iso.sh"

# --- a display on a socket asks for a password as well --------------------
# (whoever forwards it with ssh -L opens it to every user of the other end)
profile "$P/sock.conf" 'graphics = true
display = "vnc"'
check "a VNC display on a socket launches" expect_exit 0 "$VMTUI" --launch \
    sock --detach
"$VMTUI" --list >"$WORK/list" 2>&1
check "--list says where its password is" grep -qF \
    "the password is in $(rundir sock)/vnc.password" "$WORK/list"
check "... before advising ssh -L" grep -q "password is in.*ssh -L" \
    "$WORK/list"
check "the server on the socket asks for a VNC password, nothing else" sh -c \
    '"$1" -t "$2" | grep -qx 2' sh "$TOP_BUILDDIR/tests/rfb" \
    "$(rundir sock)/vnc.sock"
check "sock stops" expect_exit 0 "$VMTUI" --stop sock --force

# --- another user takes /tmp/vmtui-UID, then removes it --------------------
# Without XDG_RUNTIME_DIR the runtime base is /tmp/vmtui-UID when it is the
# user's; when another user took it first, a private folder of the user's
# own, chosen once and kept: removing the other user's folder later moves
# neither the running machines nor the locks.
if [ "$(id -u)" -eq 0 ] && command -v useradd >/dev/null; then
	VICTIM=vmtui-victim-$$
	useradd -M -d /nonexistent -s /usr/sbin/nologin "$VICTIM"
	vuid=$(id -u "$VICTIM")
	chmod 0711 "$WORK"
	chmod 0755 "$WORK/bin"
	chmod 0644 "$WORK/vmlinuz"
	VH=$WORK/vh
	profile "$VH/.config/vmtui/profiles/t1.conf"
	# a HOME of 44 characters and a name of 20: the fallback must keep
	# QEMU's socket paths within 107 bytes
	LH=$WORK/$(printf '%0*d' $((44 - ${#WORK} - 1)) 0)
	profile "$LH/.config/vmtui/profiles/longmachinename-abcd.conf"
	chown -R "$vuid:$vuid" "$VH" "$LH"
	V() {
		setpriv --reuid="$vuid" --regid="$vuid" --clear-groups env \
		    -u XDG_RUNTIME_DIR -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
		    -u XDG_STATE_HOME -u XDG_CACHE_HOME HOME="$VH" \
		    PATH="$PATH" "$@"
	}
	rm -rf "/tmp/vmtui-$vuid" /tmp/vmtui-"$vuid"-*
	mkdir -m 0777 "/tmp/vmtui-$vuid"
	chmod 0777 "/tmp/vmtui-$vuid"
	check "a taken /tmp/vmtui-UID: t1 launches all the same" expect_exit 0 \
	    V "$VMTUI" --launch t1 --detach
	check "... says where it keeps its runtime files" grep -q \
	    "keeps its runtime files in /tmp/vmtui-$vuid-" "$WORK/err"
	check "... never that XDG_RUNTIME_DIR names a folder" sh -c \
	    '! grep -q "XDG_RUNTIME_DIR names" "$1"' sh "$WORK/err"
	check "... and is listed running" listed running t1 V
	rm -rf "/tmp/vmtui-$vuid"
	check "the other user removes the folder: t1 is still listed running" \
	    listed running t1 V
	attach_finds() {
		V timeout 3 "$VMTUI" --attach t1 --no-tui </dev/null \
		    >"$WORK/attach.out" 2>&1
		! grep -q "not running" "$WORK/attach.out"
	}
	check "... attach finds it" attach_finds
	check "... a new launch is refused" expect_exit 1 V "$VMTUI" --launch t1 \
	    --detach
	check "... as running" grep -q "already running" "$WORK/err"
	check "... and --stop stops it" expect_exit 0 V "$VMTUI" --stop t1 \
	    --force
	check "... and a new launch goes to the same folder" expect_exit 0 \
	    V "$VMTUI" --launch t1 --detach
	check "... not into the freed /tmp/vmtui-UID" test ! -e \
	    "/tmp/vmtui-$vuid/vmtui"
	check "t1 stops" expect_exit 0 V "$VMTUI" --stop t1 --force
	# the locks never split: an editor's lock taken before the other user
	# removes the folder still holds after
	rm -rf "/tmp/vmtui-$vuid"
	mkdir -m 0777 "/tmp/vmtui-$vuid"
	V "$VMTUI" --set t1 description=first >/dev/null 2>&1
	LF=$(ls /tmp/vmtui-"$vuid"-*/vmtui/locks/save-*.lock 2>/dev/null |
	    head -n 1)
	check "the profile's lock is in the chosen folder" test -n "$LF"
	V flock "${LF:-/nonexistent}" sh -c 'echo $$ >"$1"; exec sleep 30' sh \
	    "$VH/holder" &
	sleep 0.5
	rmdir "/tmp/vmtui-$vuid"
	check "... and still holds when the other user's folder is gone" \
	    expect_exit 1 V "$VMTUI" --set t1 description=second
	kill "$(cat "$VH/holder")" 2>/dev/null
	wait
	rm -rf "/tmp/vmtui-$vuid" /tmp/vmtui-"$vuid"-*
	mkdir -m 0777 "/tmp/vmtui-$vuid"
	check "a HOME of 44 characters: a name of 20 launches" expect_exit 0 \
	    V env HOME="$LH" "$VMTUI" --launch longmachinename-abcd --detach
	check "... and stops" expect_exit 0 V env HOME="$LH" "$VMTUI" --stop \
	    longmachinename-abcd --force
	rm -rf "/tmp/vmtui-$vuid" /tmp/vmtui-"$vuid"-* \
	    "$VH/.cache/vmtui/runtime-base"
	# a script written while /tmp/vmtui-UID was the user's works out its
	# runtime folder when it runs, as vmtui does
	check "a script is written while /tmp/vmtui-UID is the user's" \
	    expect_exit 0 V "$VMTUI" --write-script t1 -o "$VH/run-t1"
	rm -rf "/tmp/vmtui-$vuid"
	mkdir -m 0777 "/tmp/vmtui-$vuid"
	V mkdir -m 0700 "$VH/xdg"
	# script ENV...: the script in the background, then running by --list
	script_runs() {
		V env "$@" VMTUI_BACKGROUND=1 sh "$VH/run-t1" </dev/null \
		    >/dev/null 2>"$WORK/script.err" &
		_i=0
		while [ "$_i" -lt 50 ]; do
			listed running t1 V env "$@" && return 0
			sleep 0.1
			_i=$((_i + 1))
		done
		cat "$WORK/script.err" >&2
		return 1
	}
	check "... runs in XDG_RUNTIME_DIR once another user took it" \
	    script_runs XDG_RUNTIME_DIR="$VH/xdg"
	check "... and stops" expect_exit 0 V env XDG_RUNTIME_DIR="$VH/xdg" \
	    "$VMTUI" --stop t1 --force
	check "... runs without it too, in a private folder of the user's" \
	    script_runs HOME="$VH"
	check "... which vmtui finds" expect_exit 0 V "$VMTUI" --stop t1 --force
	check "... and the same folder as vmtui chose" test -d \
	    "$(head -n 1 "$VH/.cache/vmtui/runtime-base")/vmtui"
	wait
	rm -rf "/tmp/vmtui-$vuid" /tmp/vmtui-"$vuid"-*
else
	echo "not root: the taken /tmp/vmtui-UID is skipped" >&2
fi

finish
