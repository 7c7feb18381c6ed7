#!/bin/sh
# End-to-end: vmtui --launch --no-tui boots the real test guest under QEMU
# (TCG here) and every feature is seen from inside and outside: the serial
# console and its log, a 9p share at an odd path, forwards both ways,
# restrict-network, extra disks on every interface, UEFI, --stop both ways,
# and the pre-flight refusals. Skips (77) only without QEMU; CI installs it.
. "$TOP_SRCDIR/tests/lib.sh"

real_qemu

# ports free now, the kernel's pick: the test never counts on a fixed one
read -r HTTP_PORT FWD_PORT <<END
$(free_ports 2)
END
mkdir -p "$WORK/www" "$WORK/share, it is"
echo "hello from the host" >"$WORK/www/index.html"
busybox httpd -f -p "127.0.0.1:$HTTP_PORT" -h "$WORK/www" &
httpd=$!
trap 'kill $httpd 2>/dev/null || true
    pkill -f "guest=vmtui-e2e.*$WORK/" 2>/dev/null || true
    rm -rf "$WORK"' EXIT

fixtures
LOG=$XDG_STATE_HOME/vmtui

# profile NAME EXTRA-KEYS APPEND: a profile booting the test guest.
profile() {
	cat >"$P/$1.conf" <<END
name = "$1"
memory = 256
$2
boot {
  mode = "kernel"
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "quiet $3"
}
END
}

# launch NAME: start it in the background, its output in $WORK/NAME.out.
launch() {
	"$VMTUI" --launch "$1" --no-tui </dev/null >"$WORK/$1.out" 2>&1 &
	echo $! >"$WORK/$1.pid"
}

# wait_for NAME TEXT [SECONDS]: TEXT appears in NAME's console log.
wait_for() {
	_n=0
	while [ "$_n" -lt "$((${3:-20} * 10))" ]; do
		grep -aq -- "$2" "$LOG/$1/console.log" 2>/dev/null && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	echo "no \"$2\" from $1 after ${3:-20} s; it said:" >&2
	tail -n 20 "$WORK/$1.out" >&2
	return 1
}

# finished NAME [SECONDS]: vmtui --launch has exited; its status in $rc.
finished() {
	_n=0
	_pid=$(cat "$WORK/$1.pid")
	while kill -0 "$_pid" 2>/dev/null && [ "$_n" -lt "$((${2:-20} * 10))" ]
	do
		sleep 0.1
		_n=$((_n + 1))
	done
	kill -0 "$_pid" 2>/dev/null && return 1
	wait "$_pid"
	rc=$?
	return 0
}

# nothing_runs NAME: no QEMU of this run (its sockets are in $WORK) is left.
nothing_runs() {
	! pgrep -f "guest=$1 .*$WORK/" >/dev/null
}

started=$(date +%s)

# 1. The marker, a share, forwards both ways, a disk, the power button.
profile vmtui-e2e-a "disk \"extra\" { size = 64 }
share \"data\" { source = \"$WORK/share, it is\" }
forward { host-port = $FWD_PORT  guest-port = 8080 }
forward { from = \"guest\"  guest-address = \"10.0.2.100\"  guest-port = 80
  host-port = $HTTP_PORT }" \
    "vmtui.net=1 vmtui.serve=8080 vmtui.mount=data vmtui.disks=1 \
vmtui.acpid=1 vmtui.fetch=http://10.0.2.100/,http://10.0.2.2:$HTTP_PORT/"
launch vmtui-e2e-a
check "a: the guest's marker on the serial console" \
    wait_for vmtui-e2e-a VMTUI-GUEST-READY
check "a: the guest wrote into the share (a space and a comma in its path)" \
    grep -qx "written by the guest" "$WORK/share, it is/from-guest"
check "a: host -> guest forward answers" sh -c \
    'timeout 5 busybox wget -q -O - "http://127.0.0.1:$1/" | grep -qx "vmtui test guest"' \
    sh "$FWD_PORT"
check "a: guest -> host forward reaches the host's server" grep -aq \
    "VMTUI-FETCH-OK http://10.0.2.100/: hello from the host" \
    "$LOG/vmtui-e2e-a/console.log"
check "a: without restrict-network the guest reaches the host" grep -aq \
    "VMTUI-FETCH-OK http://10.0.2.2:$HTTP_PORT/: hello" \
    "$LOG/vmtui-e2e-a/console.log"
check "a: the extra disk is 64 MiB on virtio" grep -aq "VMTUI-DISK vda 131072" \
    "$LOG/vmtui-e2e-a/console.log"
check "a: --list says it runs" sh -c '"$1" --list | grep -Eq \
    "^vmtui-e2e-a .*running \\(pid [0-9]+\\)"' sh "$VMTUI"
check "a: a second launch is refused" expect_exit 1 "$VMTUI" --launch \
    vmtui-e2e-a --no-tui
check "a: ... saying it runs" grep -q "vmtui-e2e-a is already running" \
    "$WORK/err"
check "a: --stop (the guest powers off on the button)" expect_exit 0 \
    "$VMTUI" --stop vmtui-e2e-a --timeout 20
check "a: --stop did not need to quit it" sh -c '! grep -q "quitting" "$1"' \
    sh "$WORK/out"
check "a: --launch has ended" finished vmtui-e2e-a
check "a: with QEMU's exit status 0" test "$rc" -eq 0
check "a: the console log holds the boot" grep -aq "VMTUI-POWER-BUTTON" \
    "$LOG/vmtui-e2e-a/console.log"
check "a: nothing left running" nothing_runs vmtui-e2e-a
check "a: --list says stopped" sh -c '"$1" --list | grep -Eq \
    "^vmtui-e2e-a .* stopped"' sh "$VMTUI"

# 2. restrict-network: nothing outside but the forwards.
profile vmtui-e2e-b "restrict-network = true
forward { host-port = $FWD_PORT  guest-port = 8080 }
forward { from = \"guest\"  guest-address = \"10.0.2.100\"  guest-port = 80
  host-port = $HTTP_PORT }" \
    "vmtui.net=1 vmtui.serve=8080 \
vmtui.fetch=http://10.0.2.2:$HTTP_PORT/,http://10.0.2.100/"
launch vmtui-e2e-b
check "b: boots" wait_for vmtui-e2e-b VMTUI-GUEST-READY
check "b: restrict-network keeps the guest from the host" grep -aq \
    "VMTUI-FETCH-FAIL http://10.0.2.2:$HTTP_PORT/" "$LOG/vmtui-e2e-b/console.log"
check "b: ... but the guest -> host forward works" grep -aq \
    "VMTUI-FETCH-OK http://10.0.2.100/: hello from the host" \
    "$LOG/vmtui-e2e-b/console.log"
check "b: ... and so does the host -> guest one" sh -c \
    'timeout 5 busybox wget -q -O - "http://127.0.0.1:$1/" | grep -qx "vmtui test guest"' \
    sh "$FWD_PORT"
# no acpid in this guest: the button does nothing, --stop quits it; while
# it waits, QMP is free: --list is answered (QEMU serves one client of a
# QMP socket at a time)
"$VMTUI" --stop vmtui-e2e-b --timeout 4 >"$WORK/stop.out" 2>&1 &
stopper=$!
sleep 1.5
check "b: --list while --stop waits for the guest: it runs, said at once" \
    sh -c 'timeout 3 "$1" --list >"$2" &&
    grep -Eq "^vmtui-e2e-b .*running \(pid [0-9]+\)$" "$2"' sh "$VMTUI" \
    "$WORK/list"
check "b: --stop quits a guest that ignores the button" wait "$stopper"
check "b: ... after the timeout" grep -q "still running after 4 s; quitting" \
    "$WORK/stop.out"
check "b: --launch has ended" finished vmtui-e2e-b
check "b: nothing left running" nothing_runs vmtui-e2e-b

# 3. Displays: four machines at once (the virtio VGA at a size, the USB
# tablet), two on sockets (display = "vnc", and the default, auto, on a
# host with no desktop) and two on TCP (loopback, and every interface, each
# with a password); each answers as a VNC server where --list says, and the
# serial console stays the guest's console. Four boots under TCG at once
# take a while on a small host: 60 s each.
unset DISPLAY WAYLAND_DISPLAY
for g in gfx1:vnc: gfx2:auto: gfx3:vnc:127.0.0.1 gfx4:vnc:0.0.0.0; do
	name=vmtui-e2e-${g%%:*} how=${g#*:}
	cat >"$P/$name.conf" <<END
name = "$name"
memory = 256
graphics = true
display = "${how%:*}"
display-address = "${how#*:}"
vga = "virtio"
resolution = "1024x768"
boot {
  mode = "kernel"
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "quiet vmtui.acpid=1"
  consoles = {"tty0", "ttyS0,115200n8"}
}
END
	launch "$name"
done
for g in gfx1 gfx2; do
	sock=$(rundir "vmtui-e2e-$g")/vnc.sock
	check "$g: boots with its display" wait_for "vmtui-e2e-$g" \
	    VMTUI-GUEST-READY 60
	check "$g: a VNC server answers on its socket" sh -c \
	    '"$1" "$2" | grep -qx "RFB 003.008"' sh "$TOP_BUILDDIR/tests/rfb" \
	    "$sock"
	check "$g: --list says where the display is, and its password" sh -c \
	    '"$1" --list | grep -qF "vnc: $2 (a VNC viewer asks for a \
password; the password is in ${2%/*}/vnc.password; from another machine: \
ssh -L 5901:$2 HOST"' sh "$VMTUI" "$sock"
	check "$g: ... and asks for it" sh -c '"$1" -t "$2" | grep -qx 2' sh \
	    "$TOP_BUILDDIR/tests/rfb" "$sock"
done
# On TCP: each at a port of its own from 5900, where --list says; only
# with a VNC password, the one in the runtime folder.
for g in gfx3 gfx4; do
	check "$g: boots with its display" wait_for "vmtui-e2e-$g" \
	    VMTUI-GUEST-READY 60
	"$VMTUI" --list >"$WORK/list" 2>&1
	sed -n "/^vmtui-e2e-$g /{n;s/^ *vnc: \([0-9.]*\):\([0-9]*\) .*/\1 \2/p;}" \
	    "$WORK/list" >"$WORK/$g.where"
	check "$g: --list says the address and port" grep -Eq \
	    "^[0-9.]+ 59[0-9][0-9]$" "$WORK/$g.where"
	read -r addr port <"$WORK/$g.where" || true
	[ "$addr" = 0.0.0.0 ] && addr=127.0.0.1
	check "$g: a VNC server answers there" sh -c \
	    '"$1" "$2" | grep -qx "RFB 003.008"' sh "$TOP_BUILDDIR/tests/rfb" \
	    "$addr:${port:-0}"
done
check "gfx3, gfx4: two ports, not one" sh -c \
    '[ "$(cut -d" " -f2 "$1")" != "$(cut -d" " -f2 "$2")" ]' sh \
    "$WORK/gfx3.where" "$WORK/gfx4.where"
check "gfx3: on loopback too, a VNC password only" sh -c \
    '"$1" -t "127.0.0.1:$(cut -d" " -f2 "$2")" | grep -qx 2' sh \
    "$TOP_BUILDDIR/tests/rfb" "$WORK/gfx3.where"
check "gfx4: off loopback, a VNC password only" sh -c \
    '"$1" -t "127.0.0.1:$(cut -d" " -f2 "$2")" | grep -qx 2' sh \
    "$TOP_BUILDDIR/tests/rfb" "$WORK/gfx4.where"
check "gfx4: the password is in the runtime folder, the user's alone" \
    sh -c 'test "$(stat -c %a "$1")" = 600 && test "$(wc -c <"$1")" -eq 8' \
    sh "$(rundir vmtui-e2e-gfx4)/vnc.password"
check "gfx4: --list says where the password is" grep -q \
    "the password is in $(rundir vmtui-e2e-gfx4)/vnc.password" \
    "$WORK/list"
# The seed's pointer and the size asked for reach QEMU: QMP's qtree.
qmp_hmp() {
	(printf '{"execute": "qmp_capabilities"}\n{"execute": '
	    printf '"human-monitor-command", "arguments": {"command-line": '
	    printf '"%s"}}\n' "$2"; sleep 1) | timeout 5 nc.openbsd -N -U \
	    "$(rundir "$1")/qmp.sock" || true
}
qmp_hmp vmtui-e2e-gfx1 "info qtree" >"$WORK/qtree"
check "gfx1: a usb-tablet on x86" grep -q 'dev: usb-tablet' "$WORK/qtree"
check "gfx1: the virtio VGA at 1024x768" sh -c 'grep -A12 "dev: virtio-vga" \
    "$1" | grep -q "xres = 1024" && grep -A12 "dev: virtio-vga" "$1" |
    grep -q "yres = 768"' sh "$WORK/qtree"
for g in gfx1 gfx2 gfx3 gfx4; do
	check "$g: --stop" expect_exit 0 "$VMTUI" --stop "vmtui-e2e-$g" \
	    --timeout 20
	check "$g: --launch has ended" finished "vmtui-e2e-$g"
	check "$g: nothing left running" nothing_runs "vmtui-e2e-$g"
done

# 3b. SPICE on TCP: with 5930 taken, two machines at ports of their own
# after it, where --list says; a SPICE server answers (its link reply,
# "REDQ"); off loopback only with a ticket, in the runtime folder.
nc.openbsd -l 127.0.0.1 5930 </dev/null >/dev/null 2>&1 &
blocker=$!
for g in gfx5:127.0.0.1 gfx6:0.0.0.0; do
	name=vmtui-e2e-${g%%:*}
	cat >"$P/$name.conf" <<END
name = "$name"
memory = 128
graphics = true
display = "spice"
display-address = "${g#*:}"
boot {
  mode = "kernel"
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "quiet"
}
END
	check "${g%%:*}: starts" expect_exit 0 "$VMTUI" --launch "$name" --detach
done
"$VMTUI" --list >"$WORK/list" 2>&1
for g in gfx5 gfx6; do
	sed -n "/^vmtui-e2e-$g /{n;s/^ *spice: \([0-9.]*\):\([0-9]*\) .*/\1 \2/p;}" \
	    "$WORK/list" >"$WORK/$g.where"
	check "$g: --list says the address and a port after 5930" grep -Eq \
	    "^[0-9.]+ 59(3[1-9]|[4-9][0-9])$" "$WORK/$g.where"
	read -r addr port <"$WORK/$g.where" || true
	check "$g: a SPICE server answers there" sh -c 'printf "REDQ\002\000\000\000\
\002\000\000\000\022\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000\000\000\
\022\000\000\000" | timeout 3 nc.openbsd -w 2 127.0.0.1 "$1" | head -c 4 |
	    grep -qx REDQ' sh "${port:-0}"
done
kill "$blocker" 2>/dev/null || true
check "gfx5, gfx6: two ports, not one" sh -c \
    '[ "$(cut -d" " -f2 "$1")" != "$(cut -d" " -f2 "$2")" ]' sh \
    "$WORK/gfx5.where" "$WORK/gfx6.where"
check "gfx5: on loopback, says how to reach it" grep -q \
    "then remote-viewer spice://localhost:" "$WORK/list"
check "gfx6: off loopback, a ticket in the runtime folder" sh -c \
    'test "$(stat -c %a "$1")" = 600 && test "$(wc -c <"$1")" -eq 8' \
    sh "$(rundir vmtui-e2e-gfx6)/spice.password"
check "gfx6: --list says so" grep -q "remote-viewer asks for a password; \
the password is in $(rundir vmtui-e2e-gfx6)/spice.password" \
    "$WORK/list"
for g in gfx5 gfx6; do
	check "$g: --stop --force" expect_exit 0 "$VMTUI" --stop \
	    "vmtui-e2e-$g" --force
	check "$g: nothing left running" nothing_runs "vmtui-e2e-$g"
done

# 4. Drive options reach the guest: a raw disk made with its serial, cache
# mode and discard; a read-only disk that is there already (never made).
D=$XDG_DATA_HOME/vmtui/vmtui-e2e-drv
mkdir -p "$D"
qemu-img create -q -f qcow2 "$D/ro.qcow2" 8M
profile vmtui-e2e-drv "disk \"fast\" { size = 32  format = \"raw\"
  cache = \"writethrough\"  discard = true  serial = \"vmtui-sn1\" }
disk \"ro\" { size = 8  readonly = true }" "vmtui.disks=1 vmtui.poweroff=1"
launch vmtui-e2e-drv
check "drv: boots" wait_for vmtui-e2e-drv VMTUI-GUEST-READY
check "drv: the raw disk, with its serial, writable" grep -aq \
    "VMTUI-DISK vda 65536 ro=0 serial=vmtui-sn1" \
    "$LOG/vmtui-e2e-drv/console.log"
check "drv: the read-only disk is read-only in the guest" grep -aq \
    "VMTUI-DISK vdb 16384 ro=1" "$LOG/vmtui-e2e-drv/console.log"
check "drv: the guest powers off and --launch ends" finished vmtui-e2e-drv
check "drv: the raw image was made raw" sh -c \
    'qemu-img info "$1/fast.img" | grep -q "file format: raw"' sh "$D"
check "drv: the read-only image was not touched" sh -c \
    'qemu-img info "$1/ro.qcow2" | grep -q "virtual size: 8 MiB"' sh "$D"

# 5. An extra disk on every other interface, with the right size.
for ifc in scsi:sda ide:sda nvme:nvme0n1; do
	i=${ifc%:*} dev=${ifc#*:}
	profile "vmtui-e2e-$i" "disk-interface = \"$i\"
disk \"extra\" { size = 96 }" "vmtui.disks=1 vmtui.poweroff=1"
	launch "vmtui-e2e-$i"
	check "$i: boots" wait_for "vmtui-e2e-$i" VMTUI-GUEST-READY
	check "$i: the disk is $dev of 96 MiB" grep -aq "VMTUI-DISK $dev 196608" \
	    "$LOG/vmtui-e2e-$i/console.log"
	check "$i: the guest powers off and --launch ends" finished \
	    "vmtui-e2e-$i"
	check "$i: nothing left running" nothing_runs "vmtui-e2e-$i"
done

# 5b. Virtual LANs: two guests on vlan 1 (beside the user network, so on
# eth1) reach each other; a third, on vlan 2 in the same subnet, reaches
# neither. Each NIC has the MAC the script gives it.
profile vmtui-e2e-lan1 "vlans = {1}" "vmtui.addr=eth1:192.168.1.1/24 \
vmtui.ping=192.168.1.2"
profile vmtui-e2e-lan2 "vlans = {1}" "vmtui.addr=eth1:192.168.1.2/24 \
vmtui.ping=192.168.1.1"
profile vmtui-e2e-lan3 "vlans = {2}" "vmtui.addr=eth1:192.168.1.3/24 \
vmtui.ping=192.168.1.1,192.168.1.2 vmtui.pingtries=5"
for g in lan1 lan2; do
	launch "vmtui-e2e-$g"
done
for g in lan1 lan2; do
	check "$g: boots on vlan 1" wait_for "vmtui-e2e-$g" VMTUI-ADDR 60
	"$VMTUI" --print-script "vmtui-e2e-$g" >"$WORK/$g.sh"
	mac=$(sed -n 's/.*netdev=vlan1,mac=\([0-9a-f:]*\).*/\1/p' "$WORK/$g.sh")
	check "$g: the guest's eth1 has the script's MAC ($mac)" grep -aq \
	    "VMTUI-ADDR eth1 $mac" "$LOG/vmtui-e2e-$g/console.log"
	echo "$mac" >>"$WORK/macs"
done
check "lan1: reaches lan2 on vlan 1" wait_for vmtui-e2e-lan1 \
    "VMTUI-PING-OK 192.168.1.2" 60
check "lan2: reaches lan1 on vlan 1" wait_for vmtui-e2e-lan2 \
    "VMTUI-PING-OK 192.168.1.1" 60
check "lan1 and lan2 have MACs of their own" test \
    "$(sort -u "$WORK/macs" | grep -c .)" = 2
launch vmtui-e2e-lan3
for a in 192.168.1.1 192.168.1.2; do
	check "lan3: on vlan 2, does not reach $a" wait_for vmtui-e2e-lan3 \
	    "VMTUI-PING-FAIL $a" 90
done
check "lan3: reached nothing" sh -c '! grep -aq VMTUI-PING-OK "$1"' sh \
    "$LOG/vmtui-e2e-lan3/console.log"
# Another user's machine on vlan 1 is on a LAN of its own.
if [ "$(id -u)" -eq 0 ] && command -v useradd >/dev/null; then
	OTHER=vmtui-lan-$$
	useradd -M -d /nonexistent -s /usr/sbin/nologin "$OTHER"
	OH=$WORK/lan4home
	mkdir -p "$OH/c/vmtui/profiles"
	cp "$GUEST/vmlinux" "$GUEST/initrd.gz" "$OH/"
	ours=$GUEST GUEST=$OH
	profile vmtui-e2e-lan4 "vlans = {1}" \
	    "vmtui.addr=eth1:192.168.1.4/24 vmtui.ping=192.168.1.1,192.168.1.2 \
vmtui.pingtries=5 vmtui.poweroff=1"
	GUEST=$ours
	mv "$P/vmtui-e2e-lan4.conf" "$OH/c/vmtui/profiles/"
	chmod 0711 "$WORK"
	chown -R "$OTHER:" "$OH"
	setpriv --reuid="$OTHER" --regid="$(id -g "$OTHER")" --clear-groups \
	    env -u XDG_RUNTIME_DIR HOME="$OH" XDG_CONFIG_HOME="$OH/c" \
	    XDG_DATA_HOME="$OH/d" XDG_STATE_HOME="$OH/s" PATH="$PATH" \
	    timeout 120 "$VMTUI" --launch vmtui-e2e-lan4 --no-tui </dev/null \
	    >"$WORK/lan4.out" 2>&1
	for a in 192.168.1.1 192.168.1.2; do
		check "another user's machine on vlan 1 does not reach $a" \
		    grep -aq "VMTUI-PING-FAIL $a" "$OH/s/vmtui/vmtui-e2e-lan4/console.log"
	done
	check "... and it was on vlan 1 (eth1 up)" grep -aq "VMTUI-ADDR eth1" \
	    "$OH/s/vmtui/vmtui-e2e-lan4/console.log"
	_ouid=$(id -u "$OTHER")
	user_gone "$OTHER"
	rm -rf "/tmp/vmtui-$_ouid"
fi
for g in lan1 lan2 lan3; do
	check "$g: --stop" expect_exit 0 "$VMTUI" --stop "vmtui-e2e-$g" \
	    --timeout 2
	check "$g: --launch has ended" finished "vmtui-e2e-$g"
	check "$g: nothing left running" nothing_runs "vmtui-e2e-$g"
done

# 5c. Snapshots. Offline: write "one" on the disk, take a snapshot, write
# "two", revert, boot: "one" is back. Online (memory too): write, take,
# write again, revert the running machine, and the guest reads the first
# text; a cold boot after it too.
snaplog=$LOG/vmtui-e2e-snap/console.log
# snapboot APPEND TEXT: a boot that powers off; TEXT is in its log (a log a
# boot: the last one's is console.log.1)
snapfrom=1
snapboot() {
	profile vmtui-e2e-snap "disk \"data\" { size = 16 }" "$1 vmtui.poweroff=1"
	launch vmtui-e2e-snap
	finished vmtui-e2e-snap 60 && tail -c +"$snapfrom" "$snaplog" |
	    grep -aq "$2"
}
# snapwait TEXT: TEXT is in the log since $snapfrom, within 30 s
snapwait() {
	_n=0
	while [ "$_n" -lt 300 ]; do
		tail -c +"$snapfrom" "$snaplog" | grep -aq -- "$1" && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	echo "no \"$1\" in the log after 30 s" >&2
	return 1
}
# the console of a machine in the background takes keys on its socket
console() {
	printf '%s\n' "$1" | timeout 5 nc.openbsd -N -U \
	    "$(rundir vmtui-e2e-snap)/console.sock" >/dev/null
}
check "snap: the guest writes one" snapboot vmtui.write=vda:one \
    "VMTUI-WROTE vda"
check "snap: take, offline" expect_exit 0 "$VMTUI" --snapshot vmtui-e2e-snap \
    take first
check "... says so" grep -q 'took snapshot "first" (disks; the machine is off)' \
    "$WORK/out"
check "snap: the guest writes two" snapboot vmtui.write=vda:two \
    "VMTUI-WROTE vda"
check "snap: the list has it" expect_exit 0 "$VMTUI" --snapshot vmtui-e2e-snap
check "... with what it holds" grep -q "^first .* disks$" "$WORK/out"
check "snap: revert asks, and without a terminal needs --force" expect_exit 1 \
    "$VMTUI" --snapshot vmtui-e2e-snap revert first
check "snap: revert --force" expect_exit 0 "$VMTUI" --snapshot \
    vmtui-e2e-snap revert first --force
check "snap: after the revert the guest reads one" snapboot vmtui.read=vda \
    "VMTUI-READ vda: one"
profile vmtui-e2e-snap "disk \"data\" { size = 16 }" ""
check "snap: in the background" expect_exit 0 "$VMTUI" --launch \
    vmtui-e2e-snap --detach
check "snap: boots" snapwait VMTUI-GUEST-READY
sleep 1
console 'echo online-one >/dev/vda; sync; echo VMTUI-W"1"'
check "snap: the guest wrote online-one" snapwait VMTUI-W1
check "snap: take, online" expect_exit 0 "$VMTUI" --snapshot vmtui-e2e-snap \
    take second
check "... with the memory" grep -q \
    'took snapshot "second" (disks and memory)' "$WORK/out"
check "snap: the list says so" sh -c '"$1" --snapshot vmtui-e2e-snap |
    grep -q "^second .* disks and memory$"' sh "$VMTUI"
console 'echo online-two >/dev/vda; sync; echo VMTUI-W"2"'
check "snap: the guest wrote online-two" snapwait VMTUI-W2
check "snap: revert the running machine" expect_exit 0 "$VMTUI" --snapshot \
    vmtui-e2e-snap revert second --force
console 'echo 3 >/proc/sys/vm/drop_caches; echo VMTUI-R"EAD-$(head -n 1 /dev/vda)"'
check "snap: the running guest reads online-one again" snapwait \
    VMTUI-READ-online-one
check "snap: delete, online" expect_exit 0 "$VMTUI" --snapshot \
    vmtui-e2e-snap delete first --force
check "snap: --stop" expect_exit 0 "$VMTUI" --stop vmtui-e2e-snap --timeout 2
check "snap: a cold boot reads online-one" snapboot vmtui.read=vda \
    "VMTUI-READ vda: online-one"
check "snap: second is left, first is gone" sh -c \
    'out=$("$1" --snapshot vmtui-e2e-snap) && echo "$out" | grep -q "^second " &&
    ! echo "$out" | grep -q "^first "' sh "$VMTUI"
check "snap: nothing left running" nothing_runs vmtui-e2e-snap

# 6. UEFI with Debian's OVMF reaches the firmware on the serial console.
cat >"$P/vmtui-e2e-uefi.conf" <<END
name = "vmtui-e2e-uefi"
memory = 256
boot {
  mode = "uefi"
}
END
launch vmtui-e2e-uefi
check "uefi: the firmware's boot manager on serial" \
    wait_for vmtui-e2e-uefi BdsDxe 30
check "uefi: --stop --force" expect_exit 0 "$VMTUI" --stop vmtui-e2e-uefi \
    --force
check "uefi: --launch has ended" finished vmtui-e2e-uefi
check "uefi: the variables were copied" test -s \
    "$XDG_DATA_HOME/vmtui/vmtui-e2e-uefi/efi-vars.fd"

# 7. Refusals: nothing starts.
profile vmtui-e2e-busy "forward { host-port = $HTTP_PORT  guest-port = 22 }" ""
check "busy: a host port in use" expect_exit 1 "$VMTUI" --launch \
    vmtui-e2e-busy --no-tui
check "busy: names the forward and the fix" grep -q \
    "forward tcp 127.0.0.1:$HTTP_PORT -> :22 (line 3): the host port is already in use" \
    "$WORK/err"
check "busy: nothing runs" nothing_runs vmtui-e2e-busy
sed 's|kernel = ".*"|kernel = "/nonexistent/vmlinux"|' "$P/vmtui-e2e-a.conf" \
    >"$P/vmtui-e2e-nokernel.conf"
check "nokernel: a missing kernel" expect_exit 2 "$VMTUI" --launch \
    vmtui-e2e-nokernel --no-tui
check "nokernel: says which" grep -q \
    "kernel /nonexistent/vmlinux: No such file or directory" "$WORK/err"
check "nokernel: nothing runs" nothing_runs vmtui-e2e-nokernel
check "--stop of a machine that is not running" expect_exit 1 "$VMTUI" \
    --stop vmtui-e2e-busy

# 8. On a terminal: Ctrl-C and Ctrl-a reach the guest, Ctrl-] p presses the
# power button, and vmtui exits with QEMU's status.
if command -v tmux >/dev/null 2>&1; then
	T="tmux -L vmtui-e2e-$$"
	profile vmtui-e2e-tty "" "vmtui.acpid=1"
	$T new-session -d -s e -x 120 -y 40 "env XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' PATH='$PATH' '$VMTUI' --launch \
vmtui-e2e-tty --no-tui; echo \$? >'$WORK/tty.exit'; sleep 30"
	check "tty: boots on a terminal" wait_for vmtui-e2e-tty \
	    VMTUI-GUEST-READY
	sleep 1
	$T send-keys -t e "sleep 100; echo NOT-INTERRUPTED" Enter
	sleep 1
	$T send-keys -t e C-c
	sleep 0.5
	$T send-keys -t e "echo CTRL-C-REACHED-THE-GUEST" Enter
	check "tty: Ctrl-C reaches the guest" wait_for vmtui-e2e-tty \
	    "^CTRL-C-REACHED-THE-GUEST" 10
	$T send-keys -t e "cat -v" Enter
	sleep 0.5
	$T send-keys -t e C-a Enter
	check "tty: Ctrl-a reaches the guest (no QEMU mux on it)" \
	    wait_for vmtui-e2e-tty "^\^A" 10
	$T send-keys -t e C-c
	$T send-keys -t e C-] p
	_n=0
	while [ ! -s "$WORK/tty.exit" ] && [ "$_n" -lt 300 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	check "tty: Ctrl-] p powers it off, and vmtui exits 0" grep -qx 0 \
	    "$WORK/tty.exit"
	check "tty: nothing left running" nothing_runs vmtui-e2e-tty
	$T kill-server 2>/dev/null || true
elif [ -n "${CI:-}" ]; then
	fail "CI must install tmux for the terminal test"
fi

echo "e2e: $(($(date +%s) - started)) s"
finish
