#!/bin/sh
# auto-forward with a real guest agent: the real cloud image
# (tests/cloud/build: Debian 12, cloud-init, qemu-guest-agent), a machine
# with a cloud-init section, so auto-forward is on by default. A server
# started in the guest on port 8765 answers on 127.0.0.1 within 5 s
# without any vmtui command (on 8765 itself when the host has it free,
# else the next free port, said in --list); stopping it removes the
# forward; a guest port whose host port is taken here gets the next free
# one, shown in --list; the watcher ends with the machine. One boot (a minute or more under TCG).
# tests/autofwd.sh does the hostile cases with a stand-in agent.
. "$TOP_SRCDIR/tests/lib.sh"

PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
for t in qemu-system-x86_64 qemu-img ssh ssh-keygen python3 nc.openbsd; do
	command -v "$t" >/dev/null || { echo "$t is not installed" >&2; exit 77; }
done
IMG=$("$TOP_SRCDIR/tests/cloud/build") || exit 1

fixtures
trap '"$VMTUI" --stop cf --force >/dev/null 2>&1 || true
    [ -z "${blocker:-}" ] || kill "$blocker" 2>/dev/null || true
    rm -rf "$WORK"' EXIT
# hostport GUESTPORT: the host port --list says the guest's port has
hostport() {
	"$VMTUI" --list 2>/dev/null | sed -n \
	    "s/.*forwarded on their own: //p" | tr ',' '\n' |
	    sed -n "s/^ *127\.0\.0\.1:\([0-9]*\) -> :$1\( .*\)*$/\1/p"
}
answers_not() {
	! serves "$1"
}
listed() {
	[ -n "$(hostport "$1")" ]
}
# serves PORT: the guest's http.server answers on 127.0.0.1:PORT
serves() {
	timeout 5 busybox wget -q -O - "http://127.0.0.1:$1/" 2>/dev/null |
	    grep -q "Directory listing"
}

# guest_serve PORT NAME: python's http.server on PORT in the guest, its pid
# in /tmp/NAME there; back once the guest's kernel has it listening, so
# that the time to the forward is vmtui's alone
guest_serve() {
	"$VMTUI" --ssh cf -- "nohup python3 -m http.server $1 </dev/null \
	    >/dev/null 2>&1 & echo \$! >/tmp/$2; h=\$(printf %04X $1); n=0
	    until grep -q \":\$h [0-9A-F:]* 0A \" /proc/net/tcp /proc/net/tcp6
	    do n=\$((n + 1)); [ \$n -lt 600 ] || exit 1; sleep 0.2; done"
}

qemu-img create -q -f qcow2 -b "$IMG" -F qcow2 "$WORK/cf.qcow2"
ssh=$(free_port)
cat >"$P/cf.conf" <<END
memory = 1024
root-disk {
  image = "$WORK/cf.qcow2"
  backing = "$IMG"
}
forward { host-port = $ssh  guest-port = 22 }
cloud-init {}
END

check "--launch cf --detach" expect_exit 0 "$VMTUI" --launch cf --detach
check "its watcher runs beside it" passes_within 10 pgrep -f "^vmtui --watch .*/cf\.conf$"
start=$(date +%s)
check "--ssh: the guest is up" expect_exit 0 "$VMTUI" --ssh cf \
    --timeout 900 -- true
echo "# boot to ssh: $(($(date +%s) - start)) s"
check "... its guest agent runs" expect_exit 0 "$VMTUI" --ssh cf -- \
    systemctl is-active qemu-guest-agent

# 1. a server on 8765 in the guest, no vmtui command after it
check "a server on 8765 in the guest" guest_serve 8765 s1
check "... forwarded within 5 s" passes_within 5 listed 8765
h=$(hostport 8765)
echo "# 8765 is forwarded from host port $h"
check "... from 8765, or the next free port when the host has 8765 taken" \
    sh -c '[ "$1" = 8765 ] || "$2" --list | grep -q "(8765 is taken here)"' \
    sh "$h" "$VMTUI"
check "... it answers there" passes_within 5 serves "$h"
check "... the profile is as it was" sh -c '! grep -q 8765 "$1"' sh \
    "$P/cf.conf"

# 2. a guest port whose host port is taken here: the next free one
Q=$(free_port)
nc.openbsd -l 127.0.0.1 "$Q" </dev/null >/dev/null 2>&1 &
blocker=$!
sleep 0.3
check "a server on $Q in the guest, $Q taken on the host" guest_serve "$Q" s2
check "... forwarded from another port" passes_within 5 listed "$Q"
check "... --list says why" sh -c '"$1" --list | grep -q "($2 is taken here)"' \
    sh "$VMTUI" "$Q"
h2=$(hostport "$Q")
check "... it answers there ($h2)" passes_within 5 serves "$h2"
kill "$blocker" 2>/dev/null || true
blocker=

# 3. the server stops: its forward goes
check "the first server stops" expect_exit 0 "$VMTUI" --ssh cf -- \
    'kill $(cat /tmp/s1)'
check "... its forward goes within 5 s" passes_within 5 sh -c '! "$1" --list |
    grep -q -- "-> :8765"' sh "$VMTUI"
check "... nothing answers there" answers_not "$h"
check "... the other stays" listed "$Q"

check "--stop" expect_exit 0 "$VMTUI" --stop cf --timeout 120
check "the watcher has ended" passes_within 10 sh -c '! pgrep -f "^vmtui --watch .*/cf\.conf$"'

finish
