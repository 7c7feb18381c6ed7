#!/bin/sh
# A running machine changed without a restart, on the real test guest
# under QEMU: vmtui --forward adds a forward (the guest's HTTP server
# answers through it) and removes it (it answers no more); a host port in
# use is refused with nothing changed; --set of a new disk attaches it
# (the guest sees it in /sys/block) and --unset takes it away (gone, its
# image kept); memory changed says "applies at the next start" in --list;
# all the while the same QEMU (its pid). One boot. Skips (77) only
# without QEMU.
. "$TOP_SRCDIR/tests/lib.sh"

real_qemu

N=vmtui-live
trap '"$VMTUI" --stop "$N" --force >/dev/null 2>&1 || true
    [ -n "${blocker:-}" ] && kill "$blocker" 2>/dev/null
    rm -rf "$WORK"' EXIT

# A free port on 127.0.0.1, as the kernel gives one.
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 77; }

fixtures
cat >"$P/$N.conf" <<END
name = "$N"
memory = 256
# the forwards come and go below
boot {
  mode = "kernel"
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "quiet vmtui.net=1 vmtui.serve=8080"
}
END

# wait_for TEXT [SECONDS]: TEXT in the console log since $from.
from=1
wait_for() {
	_n=0
	while [ "$_n" -lt "$((${2:-30} * 10))" ]; do
		tail -c +"$from" "$LOG" 2>/dev/null | grep -aq -- "$1" && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	echo "no \"$1\" in the log after ${2:-30} s" >&2
	return 1
}
# guest COMMAND: typed into the guest's shell on its console.
guest() {
	from=$(($(wc -c <"$LOG") + 1))
	printf '%s\n' "$1" | timeout 5 nc.openbsd -N -U "$R/console.sock" \
	    >/dev/null
}
# get PORT: the guest's page through 127.0.0.1:PORT.
get() {
	timeout 5 busybox wget -q -O - "http://127.0.0.1:$1/" 2>/dev/null |
	    grep -qx "vmtui test guest"
}
same_qemu() {
	[ "$(cat "$R/qemu.pid")" = "$pid" ]
}

# the machine's folders, as its identity names them
R=$(rundir "$N")
LOG=$(statedir "$N")/console.log
check "--launch --detach" expect_exit 0 "$VMTUI" --launch "$N" --detach
check "boots" wait_for VMTUI-GUEST-READY 60
pid=$(cat "$R/qemu.pid")
check "what it started with is kept in its runtime folder" grep -q \
    "memory = 256" "$R/current.conf"

# 1. A forward added and removed while it runs.
H1=$(free_port)
check "no forward yet: nothing answers on $H1" sh -c "! $(command -v busybox) \
    wget -q -T 2 -O - http://127.0.0.1:$H1/ >/dev/null 2>&1"
check "--forward NAME HOST:8080" expect_exit 0 "$VMTUI" --forward "$N" \
    "$H1:8080"
check "... says it is on the running machine" grep -qx \
    "$N: forward 127.0.0.1:$H1 -> :8080 added" "$WORK/out"
check "... the guest's server answers there" get "$H1"
check "... saved in the profile, its comment kept" sh -c \
    'grep -q "host-port = $2" "$1" && grep -q "^# the forwards" "$1"' sh \
    "$P/$N.conf" "$H1"
check "... the same QEMU" same_qemu
check "--list says nothing waits" sh -c '! "$1" --list | grep -q "next start"' \
    sh "$VMTUI"
check "--forward NAME --remove HOST" expect_exit 0 "$VMTUI" --forward "$N" \
    --remove "$H1"
check "... says so" grep -qx "$N: forward 127.0.0.1:$H1 -> :8080 removed" \
    "$WORK/out"
check "... nothing answers there now" sh -c "! $(command -v busybox) \
    wget -q -T 2 -O - http://127.0.0.1:$H1/ >/dev/null 2>&1"
check "... gone from the profile" sh -c '! grep -q "host-port" "$1"' sh \
    "$P/$N.conf"
check "... the same QEMU" same_qemu

# 2. A host port in use: refused before anything changes.
H2=$(free_port)
nc.openbsd -l 127.0.0.1 "$H2" </dev/null >/dev/null 2>&1 &
blocker=$!
sleep 0.3
cp "$P/$N.conf" "$WORK/before.conf"
check "a host port in use: refused" expect_exit 1 "$VMTUI" --forward "$N" \
    "$H2:8080"
check "... saying so" grep -q "127.0.0.1:$H2: in use on this host; nothing \
was changed" "$WORK/err"
check "... the profile as it was" same_file "$WORK/before.conf" "$P/$N.conf"
kill "$blocker" 2>/dev/null || true
blocker=
# --set and --unset of forward rows do the same as --forward
H3=$(free_port)
"$VMTUI" --forward "$N" "$H3:8080" >/dev/null
check "--set forward[0].host-port moves it at once" expect_exit 0 "$VMTUI" \
    --set "$N" "forward[0].host-port=$H1"
check "... the new port answers" get "$H1"
check "... the old one not" sh -c "! $(command -v busybox) \
    wget -q -T 2 -O - http://127.0.0.1:$H3/ >/dev/null 2>&1"
check "--unset forward[0] removes it" expect_exit 0 "$VMTUI" --unset "$N" \
    "forward[0]"
check "... gone" sh -c "! $(command -v busybox) \
    wget -q -T 2 -O - http://127.0.0.1:$H1/ >/dev/null 2>&1"

# 3. What cannot change live is said.
check "--set memory=512 on the running machine" expect_exit 0 "$VMTUI" \
    --set "$N" memory=512
check "... applies at the next start" grep -qx \
    "$N: applies at the next start: memory" "$WORK/out"
check "--list marks it" sh -c '"$1" --list | grep -q \
    "applies at the next start: memory"' sh "$VMTUI"
check "... the same QEMU" same_qemu

# 4. A disk attached while it runs, then taken away.
guest 'echo VMTUI-BLOCK0 "[$(ls /sys/block)]"'
check "no disk before" wait_for "VMTUI-BLOCK0 \[\]" 10
check "--set disk.extra.size=64M adds and attaches it" expect_exit 0 \
    "$VMTUI" --set "$N" disk.extra.size=64M
check "... says so" grep -qx "$N: disk \"extra\" attached" "$WORK/out"
check "... its image made" test -f "$XDG_DATA_HOME/vmtui/$N/extra.qcow2"
sleep 2
guest 'echo VMTUI-BLOCK1 "[$(ls /sys/block)] $(cat /sys/block/vda/size)"'
check "... the guest has it in /sys/block, 64 MiB" wait_for \
    "VMTUI-BLOCK1 \[vda\] 131072" 10
check "... the same QEMU" same_qemu
check "--unset disk.extra takes it away" expect_exit 0 "$VMTUI" --unset \
    "$N" disk.extra
check "... once the guest let go" grep -qx \
    "$N: disk \"extra\" taken away (its image is kept)" "$WORK/out"
guest 'echo VMTUI-BLOCK2 "[$(ls /sys/block)]"'
check "... gone from the guest" wait_for "VMTUI-BLOCK2 \[\]" 10
check "... its image kept" test -f "$XDG_DATA_HOME/vmtui/$N/extra.qcow2"
check "... the same QEMU" same_qemu
check "attached again, the kept image" expect_exit 0 "$VMTUI" --set "$N" \
    disk.extra.size=64M
check "... attached" grep -qx "$N: disk \"extra\" attached" "$WORK/out"
check "--list: only memory waits" sh -c '"$1" --list | grep -q \
    "applies at the next start: memory$"' sh "$VMTUI"

check "--stop" expect_exit 0 "$VMTUI" --stop "$N" --timeout 5
check "... its runtime copy goes with it" test ! -e "$R/current.conf"

finish
