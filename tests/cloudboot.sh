#!/bin/sh
# The real cloud image (tests/cloud/build: Debian 12 shaped as Debian's
# genericcloud image, real cloud-init, real sshd), served by the local
# mirror in Debian's layout with its SHA512SUMS, from an empty HOME:
# vmtui --install debian-12-cloud verifies and saves (a corrupted image is
# refused, no profile left), a second machine downloads nothing and
# stands on the same image with a thin disk; --set root-disk.size=30G,
# --launch --detach waits until the console says sshd has started,
# vmtui --ssh logs in as the seed's user with the machine's own key, the
# host key vmtui made pinned (and another one refused), the root file
# system grown to 30G, the remote command's exit status passed on;
# cloud-init took the seed without a complaint; --stop ends it. Then a
# larger size grows the disk again at the next boot. Two boots: about a
# minute each under TCG on an idle machine, several under load.
. "$TOP_SRCDIR/tests/lib.sh"

PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
for t in qemu-system-x86_64 qemu-img ssh ssh-keygen python3; do
	command -v "$t" >/dev/null || { echo "$t is not installed" >&2; exit 77; }
done
"$TOP_SRCDIR/tests/cloud/build" >/dev/null || exit 1
ROOT=$("$TOP_SRCDIR/tests/cloud/build" --mirror)
export VMTUI_CATALOG_DIR="$TOP_SRCDIR/catalog"
IMAGE=/bookworm/latest/debian-12-genericcloud-amd64.qcow2
DL=$HOME/.cache/vmtui/downloads/debian-12-cloud
. "$TOP_SRCDIR/tests/mirror/serve.sh"
trap '"$VMTUI" --stop c1 --force >/dev/null 2>&1 || true; stop_server
[ -z "${T:-}" ] || $T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
err_has() { grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; return 1; }; }
kib() { du -k "$1" | cut -f1; }

# --- the install --------------------------------------------------------------
serve "$ROOT" --corrupt "$IMAGE"
export VMTUI_MIRROR_DEBIAN_CLOUD=$URL
check "a corrupted image is refused" expect_exit 1 "$VMTUI" --install \
    debian-12-cloud c0 --no-launch
check "... with its checksum" err_has "its SHA-512 is"
check "... against SHA512SUMS" err_has "SHA512SUMS says"
check "... no profile is left" test ! -e "$P/c0.conf"
check "... no image either, whole or part" sh -c \
    '! find "$1" -name "*.qcow2" -o -name "*.qcow2.part" | grep -q .' sh "$DL"

serve "$ROOT"
export VMTUI_MIRROR_DEBIAN_CLOUD=$URL
check "--install debian-12-cloud c1 --no-launch" expect_exit 0 "$VMTUI" \
    --install debian-12-cloud c1 --no-launch
check "... checked against SHA512SUMS, the mirror's word alone" err_has \
    "checksum only (from the mirror, over plain HTTP): each file's hash as SHA512SUMS lists it"
check "... saved, standing on the image" grep -q "standing on $DL/" "$WORK/out"
IMG=$(sed -n 's/^  backing = "\(.*\)"$/\1/p' "$P/c1.conf")
check "... kept read-only in the downloads" sh -c \
    '[ "$(stat -c %a "$1")" = 444 ] && cmp -s "$1" "$2"' sh "$IMG" "$ROOT$IMAGE"
check "... with a cloud-init section and a forward to port 22" sh -c \
    'grep -q "^cloud-init {" "$1" && grep -q "guest-port = 22" "$1"' sh \
    "$P/c1.conf"
check "... its root disk an overlay on the image" sh -c \
    'qemu-img info "$1" | grep -q "^backing file: $2"' sh \
    "$XDG_DATA_HOME/vmtui/c1/root.qcow2" "$IMG"
t0=$(date +%s%N)
check "a second machine from the same entry" expect_exit 0 "$VMTUI" \
    --install debian-12-cloud c2 --no-launch
t1=$(date +%s%N)
echo "# the second machine made in $(((t1 - t0) / 1000000)) ms"
check "... downloads no image again" test "$(grep -c "GET $IMAGE " \
    "$WORK/http.log")" -eq 2
check "... stands on the same image" grep -qF "backing = \"$IMG\"" "$P/c2.conf"
check "... its disk thin ($(kib "$XDG_DATA_HOME/vmtui/c2/root.qcow2") KiB)" \
    test "$(kib "$XDG_DATA_HOME/vmtui/c2/root.qcow2")" -lt 1024
check "--list says what each stands on" expect_exit 0 "$VMTUI" --list
check "... c2 too" test "$(grep -c "stands on $IMG" "$WORK/out")" -eq 2

# The wizard's ready Linux machine, by its keys: n, the name, End (the
# last choice), the system proposed, then the summary (saved here; Save
# and launch, its first choice, boots it to a shell in the pane).
if command -v tmux >/dev/null; then
	T="tmux -L vmtui-cloudboot-$$"
	ENVS="VMTUI_CATALOG_DIR='$VMTUI_CATALOG_DIR' VMTUI_MIRROR_DEBIAN_CLOUD='$URL'"
	start
	see "No machines yet" >/dev/null || see "Enter edit" >/dev/null
	keys n
	see "Name of the new machine" >/dev/null
	keys C-u w 1 Enter
	see "What should it boot?" >/dev/null
	keys End Enter
	check "wizard: the cloud images" see "debian-12-cloud"
	keys Enter
	check "wizard: Debian 12 proposed" see \
	    "Boots:   a ready Debian 12 (bookworm), cloud image"
	check "... the summary says how it is checked" see \
	    "Checked: checksum only (from the mirror, over plain HTTP)"
	check "... and that its kernel mounts no shares" see "has no 9p"
	check "... and the launch first" see "Save and launch it"
	keys Down Down Enter
	check "wizard: saved, downloading nothing" see "saved $P/w1.conf" 60
	check "... standing on the image" grep -qF "backing = \"$IMG\"" \
	    "$P/w1.conf"
	check "... its disk made, thin" test "$(kib \
	    "$XDG_DATA_HOME/vmtui/w1/root.qcow2")" -lt 1024
	check "... the image downloaded once still" test "$(grep -c \
	    "GET $IMAGE " "$WORK/http.log")" -eq 2
	check "the list's details say what it stands on" see "standing on"
	$T kill-server 2>/dev/null || true
fi

# --- the first boot -------------------------------------------------------------
port=$(free_port)
check "--set c1 root-disk.size=30G" expect_exit 0 "$VMTUI" --set c1 \
    root-disk.size=30G "forward[0].host-port=$port"
C=$XDG_DATA_HOME/vmtui/c1/cloud-init
LOG=$XDG_STATE_HOME/vmtui/c1/console.log
start=$(date +%s)
# a deadline for a loaded machine; the wait ends when the console says so
check "--launch c1 --detach waits until sshd has started" expect_exit 0 \
    "$VMTUI" --launch c1 --detach --timeout 900
echo "# launch to ready: $(($(date +%s) - start)) s"
check "... it said what it waited for" err_has \
    "waiting for c1 to answer ssh on 127.0.0.1:$port"
check "... and said it was ready" err_has "c1 is ready after"
# which told it first, the console's line or sshd's answer to a knock
# (once a second), is a race under load; the line must be there
grep -q "its console said sshd has started" "$WORK/err" &&
    echo "# the console told it" || echo "# sshd's answer told it"
check "... the console says when sshd has started" grep -aq \
    "Started .*ssh.service.* - OpenBSD Secure Shell server" "$LOG"
check "--ssh c1 -- hostname: c1" expect_exit 0 "$VMTUI" --ssh c1 \
    --timeout 900 -- hostname
check "... printed c1" grep -qx c1 "$WORK/out"
check "the root grown to about 30G" expect_exit 0 "$VMTUI" --ssh c1 -- \
    df -BG --output=size /
check "... $(tail -n 1 "$WORK/out")" sh -c \
    'n=$(tail -n 1 "$1" | tr -dc 0-9); [ "$n" -ge 28 ] && [ "$n" -le 30 ]' \
    sh "$WORK/out"
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
    '! grep -aq "Invalid cloud-config\|Traceback\|WARNING\]: Failed" "$1"' \
    sh "$LOG"
check "the console has logged the user in (a shell in the pane)" grep -aq \
    "login: vm (automatic login)" "$LOG"

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

# --- a later size change: the disk grows again, so does the root ---------------
check "--set c1 root-disk.size=32G" expect_exit 0 "$VMTUI" --set c1 \
    root-disk.size=32G
check "--launch c1 --detach again" expect_exit 0 "$VMTUI" --launch c1 \
    --detach --timeout 900
check "... the script grew the disk" sh -c \
    'qemu-img info -U "$1" | grep -q "^virtual size: 32 GiB"' sh \
    "$XDG_DATA_HOME/vmtui/c1/root.qcow2"
check "the root grown again, to about 32G" expect_exit 0 "$VMTUI" --ssh c1 \
    --timeout 900 -- df -BG --output=size /
check "... $(tail -n 1 "$WORK/out")" sh -c \
    'n=$(tail -n 1 "$1" | tr -dc 0-9); [ "$n" -ge 30 ] && [ "$n" -le 32 ]' \
    sh "$WORK/out"
check "--stop c1 ends it" expect_exit 0 "$VMTUI" --stop c1 --timeout 120
check "the image it stood on is untouched" cmp -s "$IMG" "$ROOT$IMAGE"

finish
