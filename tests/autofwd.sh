#!/bin/sh
# auto-forward on the real test guest under QEMU, its guest agent a
# stand-in (tests/agent/standin, named by VMTUI_WATCH_AGENT: the tiny
# guest has no qemu-ga) that reports the listeners the test writes: the
# watcher --launch starts beside QEMU forwards a port the guest listens on
# (the guest's HTTP server answers through it) with no vmtui command, the
# next free host port when that one is taken (--list says so), and removes
# it when the guest stops listening; hostile reports (thousands of
# listeners, loopback ones, garbage, an agent that does not answer) change
# nothing outside the limits and never open a port off loopback; --list
# stays quick; the watcher ends with the machine. One boot. The real guest
# agent of a cloud image: tests/cloudfwd.sh.
. "$TOP_SRCDIR/tests/lib.sh"

real_qemu tmux
T="tmux -L vmtui-af-$$"
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 77; }

N=vmtui-af
A=$WORK/agent
mkdir -p "$A"
trap '$T kill-server 2>/dev/null || true
    "$VMTUI" --stop "$N" --force >/dev/null 2>&1 || true
    kill ${standin:-} ${blocker:-} 2>/dev/null
    rm -rf "$WORK"' EXIT

# listeners PORT...: the guest's /proc/net/tcp, each listening on 0.0.0.0
# (and one on the guest's loopback, 7777, which is no use from the host)
listeners() {
	python3 - "$@" >"$A/tcp.new" <<'END'
import sys
print("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
      "retrnsmt   uid  timeout inode")
ports = [(0, int(p)) for p in sys.argv[1:]] + [(0x0100007F, 7777)]
for i, (addr, port) in enumerate(ports):
    print("%4d: %08X:%04X 00000000:0000 0A 00000000:00000000 00:00000000 "
          "00000000     0        0 %d 1 0000000000000000 100 0 0 10 0"
          % (i, addr, port, 1000 + i))
END
	mv "$A/tcp.new" "$A/tcp"
}
: >"$A/tcp6"
# qemu_listens: the addresses and ports QEMU listens on (TCP), a line each
qemu_listens() {
	python3 - "$(cat "$R/qemu.pid")" <<'END'
import os, sys, socket, struct
pid = sys.argv[1]
inodes = set()
for fd in os.listdir("/proc/%s/fd" % pid):
    try:
        link = os.readlink("/proc/%s/fd/%s" % (pid, fd))
    except OSError:
        continue
    if link.startswith("socket:["):
        inodes.add(link[8:-1])
for name in ("tcp", "tcp6"):
    for line in open("/proc/%s/net/%s" % (pid, name)).readlines()[1:]:
        f = line.split()
        if f[3] != "0A" or f[9] not in inodes:
            continue
        addr, port = f[1].split(":")
        if len(addr) == 8:
            a = socket.inet_ntoa(struct.pack("<I", int(addr, 16)))
        else:
            a = "[v6 %s]" % addr
        print("%s:%d" % (a, int(port, 16)))
END
}
listed() {
	"$VMTUI" --list 2>/dev/null | grep -q "forwarded on their own: .*$1"
}
get() {
	timeout 5 busybox wget -q -O - "http://127.0.0.1:$1/" 2>/dev/null |
	    grep -qx "vmtui test guest"
}
answers_not() {
	! timeout 3 busybox wget -q -T 2 -O - "http://127.0.0.1:$1/" \
	    >/dev/null 2>&1
}

"$TOP_SRCDIR/tests/agent/standin" "$WORK/agent.sock" "$A" &
standin=$!
GP=$(free_port)
listeners
fixtures
cat >"$P/$N.conf" <<END
name = "$N"
memory = 256
auto-forward = true
boot {
  mode = "kernel"
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "quiet vmtui.net=1 vmtui.serve=$GP"
}
END
export VMTUI_WATCH_AGENT="$WORK/agent.sock"
# the machine's folders, as its identity names them
R=$(rundir "$N")
LOG=$(statedir "$N")/console.log
check "--launch --detach" expect_exit 0 "$VMTUI" --launch "$N" --detach
check "boots" passes_within 60 grep -aq VMTUI-GUEST-READY "$LOG"
check "its watcher runs beside it" pgrep -f "^vmtui --watch .*/$N\.conf$"

# 1. A port the guest listens on, forwarded with no vmtui command.
listeners "$GP"
check "the guest's port $GP is forwarded within 5 s" passes_within 5 listed \
    "127.0.0.1:$GP -> :$GP"
check "... the guest's server answers there" get "$GP"
check "... saved nowhere: the profile is as it was" sh -c \
    '! grep -q "^forward" "$1"' sh "$P/$N.conf"
sleep 3
check "... the guest's files opened once, then read again through their \
handles" test "$(wc -l <"$A/opened")" -eq 2

# 2. Its host port taken: the next free one, said in --list.
Q=$(free_port)
nc.openbsd -l 127.0.0.1 "$Q" </dev/null >/dev/null 2>&1 &
blocker=$!
sleep 0.3
listeners "$GP" "$Q"
check "a taken host port: the next free one" passes_within 5 listed \
    "($Q is taken here)"
"$VMTUI" --list >"$WORK/list"
check "... on loopback, another port" grep -Eq \
    "127\.0\.0\.1:[0-9]+ -> :$Q \($Q is taken here\)" "$WORK/list"
kill "$blocker" 2>/dev/null || true
blocker=

# 3. The guest stops listening: the forward goes.
listeners "$Q"
check "a port no longer listened on: its forward goes" passes_within 5 answers_not "$GP"
check "... --list no longer has it" passes_within 3 sh -c '! "$1" --list |
    grep -q ":$2 -> :$2"' sh "$VMTUI" "$GP"

# 4. Hostile: thousands of listeners, the guest's loopback, 22, ports
# below 1024: 64 forwards at most, every one on 127.0.0.1.
listeners 22 80 1023 $(seq 20000 25000)
check "thousands of listeners: 64 forwarded" passes_within 10 sh -c '
    [ "$("$1" --list | sed -n "s/.*forwarded on their own: //p" |
    tr "," "\n" | grep -c "127.0.0.1:")" -eq 64 ]' sh "$VMTUI"
qemu_listens >"$WORK/listens"
check "... QEMU listens on 64 ports" test "$(wc -l <"$WORK/listens")" -eq 64
check "... all of them on 127.0.0.1" sh -c '! grep -v "^127\.0\.0\.1:" "$1"' \
    sh "$WORK/listens"
check "... none for 22, 80, 1023 or the guest's loopback 7777" sh -c \
    '! "$1" --list | grep -Eq -- "-> :(22|80|1023|7777)[ ,]"' sh "$VMTUI"
check "... the first 64 of the guest's, in order" sh -c '"$1" --list |
    grep -q -- "-> :20063" && ! "$1" --list | grep -q -- "-> :20064"' sh \
    "$VMTUI"
# garbage: a /proc/net/tcp of random bytes, and an agent that lies
head -c 1500000 /dev/urandom >"$A/tcp"
echo garbage >"$A/mode"
sleep 4
qemu_listens >"$WORK/listens"
check "garbage: still 64 at most, on loopback" sh -c \
    '[ "$(wc -l <"$1")" -le 64 ] && ! grep -v "^127\.0\.0\.1:" "$1"' sh \
    "$WORK/listens"
# an agent that does not answer: backs off, changes nothing, --list quick
qemu_listens >"$WORK/listens"
echo silent >"$A/mode"
listeners "$GP"
sleep 4
qemu_listens >"$WORK/listens.silent"
check "a silent agent: nothing changes" same_file "$WORK/listens" \
    "$WORK/listens.silent"
start=$(date +%s%N)
"$VMTUI" --list >/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
echo "# --list beside a watcher: $ms ms"
check "--list stays quick beside the watcher (${ms} ms)" test "$ms" -lt 1000
# silent long enough for any back-off to reach its longest; once the agent
# answers again it is looked at within a few seconds, not half a minute
sleep 40
: >"$A/mode"
check "the agent back after 45 s: the guest's port again within 15 s" \
    passes_within 15 listed "127.0.0.1:$GP -> :$GP"
check "... and only it" passes_within 5 sh -c '[ "$("$1" --list |
    sed -n "s/.*forwarded on their own: //p" | tr "," "\n" | wc -l)" -eq 1 ]' \
    sh "$VMTUI"

# 5. The launch view says it all: what runs now (a forward added live),
# what is forwarded on their own, what waits for the next start; its key
# f adds and removes a forward. Wide, in its status column; narrow, in the
# title line the column folds into.
TMUX_SIZE="140 36"
start --attach "$N"
check "the view: the ports forwarded on their own" see \
    "127.0.0.1:$GP -> :$GP"
check "... under their heading" see "forwarded on their own:"
H=$(free_port)
keys C-] f
check "f asks for a forward" see "A forward from the host"
keys "$H:$GP" Enter
check "... added to the running machine, said" see "$H" 10
check "... the guest's server answers there" passes_within 10 get "$H"
check "... in the profile" grep -q "host-port = $H" "$P/$N.conf"
check "... the forwards in the pane are what runs now" see \
    "127.0.0.1:$H -> :$GP" 10
check "... and the one on its own for that guest port goes" passes_within 10 \
    sh -c '! "$1" --list | grep -q "forwarded on their own"' sh "$VMTUI"
$T resize-window -t t -x 100 -y 30
check "--set memory from elsewhere (100x30: the status folded)" \
    expect_exit 0 "$VMTUI" --set "$N" memory=320
check "... the title line says it waits for the next start" see \
    "next start: memory" 10
keys C-] f
keys -- "-$H" Enter
check "f with -HOSTPORT removes it" passes_within 10 answers_not "$H"
check "... from the profile too" sh -c '! grep -q "host-port = $1" "$2"' \
    sh "$H" "$P/$N.conf"
check "... and the guest's port is forwarded on its own again, said" see \
    "on their own: 127.0.0.1:$GP -> :$GP" 10
keys C-] d
$T kill-server 2>/dev/null || true

# 6. The watcher ends with the machine.
check "--stop" expect_exit 0 "$VMTUI" --stop "$N" --force
check "the watcher has ended" passes_within 10 sh -c '! pgrep -f "^vmtui --watch .*/$1\.conf$"' \
    sh "$N"
check "... its list gone" test ! -e "$R/auto-forwards"

finish
