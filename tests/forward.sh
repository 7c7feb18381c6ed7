#!/bin/sh
# vmtui --forward, and the rows --set adds and --unset removes, on a
# machine that does not run (tests/live.sh changes a running one): each
# form saved with the round-trip save (comments stay), the refusals (bad
# words, a port given twice, a host port in use, a removal that names no
# row or more than one), exit 2 for what is not valid, 1 for the rest.
. "$TOP_SRCDIR/tests/lib.sh"

fixtures
F=$P/m.conf
cat >"$F" <<'END'
name = "m"
# kept: a comment
forward { host-port = 2222  guest-port = 22 }
forward { proto = "udp"  host-port = 5353  guest-port = 53 }
boot {
  mode = "kernel"
  kernel = "/etc/hostname"
}
END
cp "$F" "$WORK/first.conf"
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 77; }

H=$(free_port)
check "--forward HOST:GUEST" expect_exit 0 "$VMTUI" --forward m "$H:80"
check "... says it waits for the start" grep -qx \
    "m: saved; it is not running: the change applies when it starts" \
    "$WORK/out"
check "... saved, the comment kept" sh -c 'grep -q "^# kept: a comment" "$1" &&
    "$2" --print-profile m | grep -q "host-port = $3"' sh "$F" "$VMTUI" "$H"
check "--forward udp ADDR:HOST:GUEST" expect_exit 0 "$VMTUI" --forward m \
    udp 127.0.0.2:5354:54
check "... as written" sh -c '"$1" --print-profile m | grep -A4 "proto = \"udp\"" |
    grep -q "host-address = \"127.0.0.2\""' sh "$VMTUI"
check "a host port forwarded already: exit 2" expect_exit 2 "$VMTUI" \
    --forward m "$H:81"
check "... said at its line" grep -q "m.conf: host port tcp/$H is already \
forwarded" "$WORK/err"
for bad in 80 x:80 0:80 80:70000 999.1.1.1:80:80 :80:80 "sctp 80:80" \
    "tcp udp 80:80"; do
	# shellcheck disable=SC2086 # the words apart
	check "--forward m $bad: exit 2" expect_exit 2 "$VMTUI" --forward m $bad
done
nc.openbsd -l 127.0.0.1 "$((H + 1))" </dev/null >/dev/null 2>&1 &
blocker=$!
sleep 0.3
cp "$F" "$WORK/before.conf"
check "a host port in use: exit 1" expect_exit 1 "$VMTUI" --forward m \
    "$((H + 1)):80"
check "... said" grep -q "127.0.0.1:$((H + 1)): in use on this host" \
    "$WORK/err"
check "... nothing changed" same_file "$WORK/before.conf" "$F"
kill "$blocker" 2>/dev/null || true

check "--remove a port no forward has: exit 1" expect_exit 1 "$VMTUI" \
    --forward m --remove 9
check "... said" grep -q "m forwards no host port 9" "$WORK/err"
"$VMTUI" --forward m udp 2222:23 >/dev/null
check "--remove of a port two forwards have: exit 1" expect_exit 1 \
    "$VMTUI" --forward m --remove 2222
check "... asks which" grep -q "say which: tcp:2222 or udp:2222" "$WORK/err"
check "--remove udp:2222" expect_exit 0 "$VMTUI" --forward m --remove \
    udp:2222
check "--remove 127.0.0.2:5354" expect_exit 0 "$VMTUI" --forward m --remove \
    127.0.0.2:5354
check "--remove $H" expect_exit 0 "$VMTUI" --forward m --remove "$H"
check "--remove a bad spec: exit 2" expect_exit 2 "$VMTUI" --forward m \
    --remove tcp:x
check "--remove takes one word" expect_exit 2 "$VMTUI" --forward m \
    --remove 2222 22
check "--remove goes with --forward only" expect_exit 2 "$VMTUI" --list \
    --remove

# --set of a new disk adds it; --unset of rows removes them
check "--set disk.NEW.size adds the disk" expect_exit 0 "$VMTUI" --set m \
    disk.logs.size=1G
check "... a row of its own" sh -c '"$1" --print-profile m | grep -A1 \
    "^disk \"logs\"" | grep -q "size = 1024"' sh "$VMTUI"
check "--set of a bad title: refused" expect_exit 2 "$VMTUI" --set m \
    "disk.a b.size=1G"
"$VMTUI" --forward m "$H:80" >/dev/null
check "--unset disk.logs forward[2]" expect_exit 0 "$VMTUI" --unset m \
    disk.logs "forward[2]"
# (but for a blank line the patcher leaves where a row at the end went)
check "... the file is back as it was" diff -B "$WORK/first.conf" "$F"
check "--unset forward[9]: no such row" expect_exit 2 "$VMTUI" --unset m \
    "forward[9]"

finish
