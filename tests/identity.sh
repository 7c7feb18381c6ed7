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
	[ -n "${OTHER:-}" ] && userdel "$OTHER" 2>/dev/null
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

finish
