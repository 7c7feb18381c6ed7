#!/bin/sh
# The real cloud image (tests/cloud/build: Debian 12 shaped as Debian's
# genericcloud image, real cloud-init, real sshd), booted through the
# firmware from a qcow2 overlay made here, by a user with an empty HOME:
# vmtui --launch --detach, then vmtui --ssh waits for it and logs in as the
# seed's user with the machine's own key, the host key vmtui made pinned
# (and another one refused), the remote command's exit status passed on;
# cloud-init took the seed without a complaint; --stop ends it. One boot:
# about a minute under TCG on an idle machine.
. "$TOP_SRCDIR/tests/lib.sh"

PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
for t in qemu-system-x86_64 qemu-img ssh ssh-keygen python3; do
	command -v "$t" >/dev/null || { echo "$t is not installed" >&2; exit 77; }
done
IMG=$("$TOP_SRCDIR/tests/cloud/build") || exit 1

fixtures
trap '"$VMTUI" --stop c1 --force >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
qemu-img create -q -f qcow2 -b "$IMG" -F qcow2 "$WORK/c1.qcow2"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$P/c1.conf" <<END
memory = 1024
root-disk { image = "$WORK/c1.qcow2" }
forward { host-port = $port  guest-port = 22 }
cloud-init {}
END
C=$XDG_DATA_HOME/vmtui/c1/cloud-init
LOG=$XDG_STATE_HOME/vmtui/c1/console.log

check "--launch c1 --detach" expect_exit 0 "$VMTUI" --launch c1 --detach
start=$(date +%s)
# a deadline for a loaded machine; the wait ends when sshd answers
check "--ssh c1 -- hostname: c1" expect_exit 0 "$VMTUI" --ssh c1 \
    --timeout 900 -- hostname
check "... printed c1" grep -qx c1 "$WORK/out"
check "... it said what it waited for" grep -q \
    "waiting for c1 to answer ssh on 127.0.0.1:$port" "$WORK/err"
echo "# boot to ssh: $(($(date +%s) - start)) s after --detach returned"
check "the host key is pinned under the user's folders" sh -c \
    '[ "$(cut -d" " -f2,3 "$1/known_hosts")" = "$(cut -d" " -f1,2 \
    "$1/ssh_host_ed25519_key.pub")" ]' sh "$C"
check "the guest has that key" expect_exit 0 "$VMTUI" --ssh c1 -- \
    sudo -n cat /etc/ssh/ssh_host_ed25519_key.pub
check "... the same" sh -c '[ "$(cut -d" " -f1,2 "$1")" = "$(cut -d" " \
    -f1,2 "$2/ssh_host_ed25519_key.pub")" ]' sh "$WORK/out" "$C"
check "the user is the seed's, with sudo" expect_exit 0 "$VMTUI" --ssh c1 \
    -- 'id -un; sudo -n id -u'
check "... vm (the tests run as root), root by sudo" sh -c \
    '[ "$(cat "$1")" = "$(printf "vm\n0")" ]' sh "$WORK/out"
check "the remote command's exit status" expect_exit 3 "$VMTUI" --ssh c1 \
    -- exit 3
check "cloud-init took the seed" expect_exit 0 "$VMTUI" --ssh c1 -- \
    cloud-init status --wait
check "... done" grep -q "status: done" "$WORK/out"
check "... no complaint on the console" sh -c \
    '! grep -aq "Invalid cloud-config\|Traceback" "$1"' sh "$LOG"

# another host key at that address: refused, never trusted
cp "$C/known_hosts" "$WORK/known_hosts"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/other"
echo "c1 $(cut -d' ' -f1,2 "$WORK/other.pub")" >"$C/known_hosts"
check "a guest with another host key: refused, 255" expect_exit 255 \
    "$VMTUI" --ssh c1 -- true
check "... by ssh's strict check" grep -q "verification failed" "$WORK/err"
cp "$WORK/known_hosts" "$C/known_hosts"

check "--stop c1 ends it" expect_exit 0 "$VMTUI" --stop c1 --timeout 120
check "... it is stopped" expect_exit 255 "$VMTUI" --ssh c1 -- true
check "... so --ssh says" grep -q "c1 is not running" "$WORK/err"

finish
