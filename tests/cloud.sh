#!/bin/sh
# A cloud-init machine from the command line, with the fake QEMU: its seed
# written by --launch into its private folder (an ISO labelled cidata, its
# documents read back with PyYAML and Python's email parser, as
# cloud-init reads them), written again only when the section changed
# (with a new instance id), never through a folder that is not the
# user's alone; the host key made once and pinned; the section through
# --set, --unset and a round trip; vmtui --ssh's refusals, all exit 255.
# (tests/cloudboot.sh boots the real image.)
. "$TOP_SRCDIR/tests/lib.sh"

for t in python3 ssh-keygen blkid; do
	command -v "$t" >/dev/null || { echo "$t is not installed" >&2; exit 77; }
done
python3 -c 'import yaml' 2>/dev/null ||
    { echo "python3-yaml is not installed" >&2; exit 77; }

fixtures
C=$XDG_DATA_HOME/vmtui/c1/cloud-init
port=$(free_port)
cat >"$P/c1.conf" <<END
# a cloud image's machine
memory = 512
root-disk { size = 2048 }
forward { host-port = $port  guest-port = 22 }
cloud-init {
  user = "alice"
  password = "pa\\"ss: #1"   # a hostile one
  timezone = "Europe/Berlin"
  packages = {"htop", "curl=7.88.1-10"}
  commands = {"echo 'a: b' # not a comment", "touch /tmp/x"}
}
END

# --- the profile -------------------------------------------------------------
check "--check" expect_exit 0 "$VMTUI" --check c1
check "--print-script: the seed, read-only on virtio-scsi" sh -c \
    "'$VMTUI' --print-script c1 | grep -q 'seed.iso,if=none,id=cidata,format=raw,media=cdrom,readonly=on'"
check "--print-script writes no seed" test ! -e "$XDG_DATA_HOME"

# --- the seed, written by --launch -------------------------------------------
check "--launch (fake QEMU)" expect_exit 0 "$VMTUI" --launch c1 --no-tui
check "the machine's folder is private" sh -c \
    '[ "$(stat -c %a "$1")" = 700 ]' sh "$C"
check "the seed is an ISO 9660 volume labelled cidata" sh -c \
    'blkid -o export "$1" | grep -qx "LABEL=cidata" &&
    blkid -o export "$1" | grep -qx "TYPE=iso9660"' sh "$C/seed.iso"
check "QEMU got it" grep -q "file=$C/seed.iso,if=none,id=cidata" "$FAKE_LOG"
check "host key, documents: 0600" sh -c 'for f in ssh_host_ed25519_key \
    user-data meta-data known_hosts id_ed25519; do
	[ "$(stat -c %a "$1/$f")" = 600 ] || exit 1; done' sh "$C"
# an empty HOME: a key of the machine's own, the one the user logs in with
check "no ~/.ssh: the machine has a key of its own" test -f "$C/id_ed25519"

# PyYAML, as cloud-init, reads back every value as it was written
cat >"$WORK/read.py" <<'END'
import email, sys, yaml
d = sys.argv[1]
ud = open(d + "/user-data").read()
md = yaml.safe_load(open(d + "/meta-data"))
if ud.startswith("Content-Type: multipart/mixed"):
    parts = [p.get_payload() for p in email.message_from_string(ud).walk()
             if not p.is_multipart()]
    print("parts", len(parts))
    print("first", parts[0].splitlines()[0])
    ud = parts[-1]
c = yaml.safe_load(ud)
print("header", ud.splitlines()[0])
print("instance", md["instance-id"])
print("hostname", md["local-hostname"])
u = c.get("user", {})
for k in ("name", "lock_passwd", "plain_text_passwd"):
    print("user", k, repr(u.get(k)))
print("keys", u.get("ssh_authorized_keys"))
print("timezone", c.get("timezone"))
print("packages", c.get("packages"))
print("runcmd", c.get("runcmd"))
print("genkeytypes", c["ssh_genkeytypes"], c["ssh_deletekeys"])
print("private", c["ssh_keys"]["ed25519_private"] ==
      open(d + "/ssh_host_ed25519_key").read())
print("public", c["ssh_keys"]["ed25519_public"] ==
      open(d + "/ssh_host_ed25519_key.pub").read().strip())
END
read_seed() { python3 "$WORK/read.py" "$C" >"$WORK/seed" 2>&1; }
has() { grep -qxF -- "$1" "$WORK/seed" || { cat "$WORK/seed" >&2; return 1; }; }
check "the documents read as YAML" read_seed
check "... a cloud-config" has "header #cloud-config"
check "... the host name, the machine's" has "hostname c1"
check "... the user" has "user name 'alice'"
check "... a hostile password, byte for byte" has \
    "user plain_text_passwd 'pa\"ss: #1'"
check "... not locked" has "user lock_passwd False"
check "... the machine's own key" sh -c 'grep -qF "$(cut -d" " -f1,2 \
    "$1/id_ed25519.pub")" "$2"' sh "$C" "$WORK/seed"
check "... the time zone" has "timezone Europe/Berlin"
check "... the packages" has "packages ['htop', 'curl=7.88.1-10']"
check "... the commands, a '#' in one" has \
    "runcmd [\"echo 'a: b' # not a comment\", 'touch /tmp/x']"
check "... the host key vmtui made, and no other" has \
    "genkeytypes ['ed25519'] True"
check "... its private half" has "private True"
check "... its public half" has "public True"
check "known_hosts pins it under the machine's name" sh -c '
    [ "$(cat "$1/known_hosts")" = "c1 $(cut -d" " -f1,2 \
    "$1/ssh_host_ed25519_key.pub")" ]' sh "$C"
id1=$(sed -n 's/^instance //p' "$WORK/seed")
check "an instance id of the machine's" sh -c 'case $1 in vmtui-c1-?*) ;;
    *) exit 1 ;; esac' sh "$id1"
cp "$C/ssh_host_ed25519_key" "$WORK/hostkey"

# nothing changed: nothing written
touch -d @1 "$C/seed.iso"
check "launched again" expect_exit 0 "$VMTUI" --launch c1 --no-tui
check "... the seed is the same file" test "$(stat -c %Y "$C/seed.iso")" = 1
read_seed
check "... the same instance" has "instance $id1"
# the section changed: a new seed, a new instance, the same host key
check "--set cloud-init.timezone" expect_exit 0 "$VMTUI" --set c1 \
    cloud-init.timezone=UTC
check "... the comments stay" sh -c 'grep -q "# a cloud image" "$1" &&
    grep -q "# a hostile one" "$1"' sh "$P/c1.conf"
check "launched again" expect_exit 0 "$VMTUI" --launch c1 --no-tui
check "... a new seed" test "$(stat -c %Y "$C/seed.iso")" != 1
read_seed
check "... the new time zone" has "timezone UTC"
check "... a new instance" sh -c '! grep -qx "instance $1" "$2"' sh "$id1" \
    "$WORK/seed"
check "... the same host key" same_file "$WORK/hostkey" \
    "$C/ssh_host_ed25519_key"

# a cloud-config of one's own: vmtui's host key after it
printf '#cloud-config\nruncmd: ["mine"]\n--==vmtui-seed-0==\n' \
    >"$WORK/mine.yaml"
check "--set user-data beside packages: refused" expect_exit 2 "$VMTUI" \
    --set c1 cloud-init.user-data="$WORK/mine.yaml"
check "... saying why" grep -q "packages is not used with user-data" \
    "$WORK/err"
check "--unset the keys it replaces, --set user-data" expect_exit 0 \
    "$VMTUI" --unset c1 cloud-init.password cloud-init.timezone \
    cloud-init.packages cloud-init.commands
check "... " expect_exit 0 "$VMTUI" --set c1 \
    cloud-init.user-data="$WORK/mine.yaml"
check "launched with it" expect_exit 0 "$VMTUI" --launch c1 --no-tui
check "the seed is two MIME parts" read_seed
check "... the file first" has "parts 2"
check "... as it was" has "first #cloud-config"
check "... then the host key" has "private True"
check "... and nothing else of vmtui's" has "user name None"

# --- the section in the profile ----------------------------------------------
check "--unset cloud-init takes the section out" expect_exit 0 "$VMTUI" \
    --unset c1 cloud-init
check "... its lines gone, the rest kept" sh -c '! grep -q "cloud-init" "$1" &&
    grep -q "# a cloud image" "$1" && grep -q "host-port" "$1"' sh "$P/c1.conf"
check "... no seed on the command line" sh -c \
    "! '$VMTUI' --print-script c1 | grep -q cidata"
check "a cloud-init key brings it back" expect_exit 0 "$VMTUI" --set c1 \
    cloud-init.user=bob
check "... one section" test "$(grep -c '^cloud-init {' "$P/c1.conf")" = 1
check "... it checks" expect_exit 0 "$VMTUI" --check c1

# --- never through a folder that is not the user's alone ---------------------
chmod 0755 "$C"
check "a folder open to others: --launch refused" expect_exit 1 "$VMTUI" \
    --launch c1 --no-tui
check "... saying why" grep -q "not a private folder of yours" "$WORK/err"
rm -rf "$C"
mkdir "$WORK/elsewhere"
ln -s "$WORK/elsewhere" "$C"
check "a symlink in its place: refused" expect_exit 1 "$VMTUI" --launch c1 \
    --no-tui
check "... nothing written there" test -z "$(ls -A "$WORK/elsewhere")"
rm -f "$C"

# --- vmtui --ssh: every refusal is 255 ----------------------------------------
check "--ssh of a name that is not there: 255" expect_exit 255 "$VMTUI" \
    --ssh nothere -- true
check "... the name said" grep -q 'no profile named "nothere"' "$WORK/err"
check "--ssh before a seed: 255" expect_exit 255 "$VMTUI" --ssh c1 -- true
check "... saying how to start it" grep -q "vmtui --launch c1 --detach" \
    "$WORK/err"
"$VMTUI" --launch c1 --no-tui >/dev/null 2>&1
check "--ssh of a machine not running: 255" expect_exit 255 "$VMTUI" --ssh \
    c1 -- true
check "... saying so" grep -q "c1 is not running" "$WORK/err"
printf 'memory = 256\nroot-disk {}\n' >"$P/plain.conf"
check "--ssh without a cloud-init section: 255" expect_exit 255 "$VMTUI" \
    --ssh plain
check "... saying why" grep -q "plain has no cloud-init section" "$WORK/err"
printf 'root-disk {}\ncloud-init {}\n' >"$P/nofwd.conf"
check "--ssh without a forward to port 22: 255" expect_exit 255 "$VMTUI" \
    --ssh nofwd
check "... saying so" grep -q "no forward to the guest's port 22" "$WORK/err"
check "--timeout goes with --ssh" expect_exit 255 "$VMTUI" --ssh c1 \
    --timeout 1 -- true
check "--timeout must be seconds" expect_exit 2 "$VMTUI" --ssh c1 \
    --timeout x
check "--help names --ssh and its exit status" sh -c "'$VMTUI' --help |
    grep -q 'vmtui --ssh PROFILE' && '$VMTUI' --help | grep -q '255 when ssh'"

# --- a machine on a cloud image: what stands on what, shares said ----------
export VMTUI_CATALOG_DIR="$TOP_SRCDIR/catalog"
IMG=$HOME/.cache/vmtui/downloads/debian-12-cloud/0123456789abcdef/i.qcow2
(umask 077 && mkdir -p "${IMG%/*}" "$WORK/data")
: >"$IMG"
cat >"$P/on.conf" <<END
root-disk { backing = "$IMG" }
share "data" { source = "$WORK/data"  target = "/mnt/data" }
forward { host-port = $port  guest-port = 22 }
cloud-init {}
END
check "--check of a share on a kernel without 9p: ok" expect_exit 0 \
    "$VMTUI" --check on
check "... but said, at the share's line" grep -q \
    "on.conf:2: warning: share \"data\": on's image (debian-12-cloud) has a kernel without 9p" \
    "$WORK/err"
check "... offering the image that has it, or ssh" grep -q \
    "debian-12-generic (its standard kernel has 9p) mounts shares, or copy files over ssh" \
    "$WORK/err"
check "--list says what it stands on" expect_exit 0 "$VMTUI" --list
check "... the image" grep -qF "stands on $IMG" "$WORK/out"
check "--print-script makes the overlay on it, grows it" sh -c \
    "'$VMTUI' --print-script on | grep -qF \"create_overlay \\\"\\\$VMTUI_DISK_IMAGE\\\" '$IMG' qcow2\" &&
    '$VMTUI' --print-script on | grep -q 'grow_image \"\$VMTUI_DISK_IMAGE\" 1024'"
check "the seed mounts the share" sh -c "'$VMTUI' --write-script on -o \
    '$WORK/run-on' >/dev/null && grep -q '9p2000.L' \
    '$XDG_DATA_HOME/vmtui/on/cloud-init/user-data'"
rm "$IMG"
check "an image that is not there: refused" expect_exit 2 "$VMTUI" --check on
check "... saying which" grep -qF "backing image $IMG" "$WORK/err"
printf 'root-disk {\n  format = "raw"\n  backing = "%s"\n}\n' "$IMG" \
    >"$P/raw.conf"
: >"$IMG"
check "a raw disk on a backing image: refused" expect_exit 2 "$VMTUI" \
    --check raw
check "... at format's line" grep -q "raw.conf:2: root-disk: a disk that \
stands on a backing image is a qcow2 overlay" "$WORK/err"

# --- Ubuntu's layout: SHA256SUMS signed by SHA256SUMS.gpg ---------------------
# A key of the test's own signs it (Debian 12 has no ubuntu-keyring); the
# real qemu-img makes the overlay on the tiny image.
REAL_PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
if command -v gpg >/dev/null && command -v gpgv >/dev/null &&
    PATH=$REAL_PATH command -v qemu-img >/dev/null; then
	U=$WORK/ubuntu/releases/24.04/release
	I=ubuntu-24.04-server-cloudimg-amd64.img
	mkdir -p "$U" "$WORK/gnupg" "$WORK/cat"
	chmod 700 "$WORK/gnupg"
	PATH=$REAL_PATH qemu-img create -q -f qcow2 "$U/$I" 64M
	(cd "$U" && sha256sum --binary "$I") >"$U/SHA256SUMS"
	export GNUPGHOME="$WORK/gnupg"
	gpg --batch --quiet --passphrase '' --quick-gen-key \
	    "vmtui test <t@example.org>" ed25519 sign never 2>/dev/null
	gpg --batch --quiet --export >"$WORK/test-keyring.gpg"
	gpg --batch --quiet --armor --detach-sign -o "$U/SHA256SUMS.gpg" \
	    "$U/SHA256SUMS"
	sed "s|/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg|$WORK/test-keyring.gpg|" \
	    "$TOP_SRCDIR/catalog/cloud.conf" >"$WORK/cat/cloud.conf"
	. "$TOP_SRCDIR/tests/mirror/serve.sh"
	trap 'stop_server; rm -rf "$WORK"' EXIT
	serve "$WORK/ubuntu"
	export VMTUI_CATALOG_DIR="$WORK/cat" VMTUI_MIRROR_UBUNTU_CLOUD="$URL"
	check "Ubuntu: its SHA256SUMS signed, the keyring there: checked" \
	    expect_exit 0 env PATH="$REAL_PATH" "$VMTUI" --install \
	    ubuntu-24.04-cloud u1 --no-launch
	check "... said so" grep -q "SHA256SUMS.gpg's signature with" "$WORK/err"
	check "... the machine stands on the image" grep -q \
	    "backing = .*/ubuntu-24.04-cloud/.*/$I" "$P/u1.conf"
	echo "# changed" >>"$U/SHA256SUMS"
	check "a checksum file the signature does not cover: refused" \
	    expect_exit 1 env PATH="$REAL_PATH" "$VMTUI" --install \
	    ubuntu-24.04-cloud u2 --no-launch
	check "... by gpgv" grep -q "SHA256SUMS: its signature does not check" \
	    "$WORK/err"
	check "... nothing saved" test ! -e "$P/u2.conf"
	sed -i '$d' "$U/SHA256SUMS"
	check "without the keyring: the list says what it needs" sh -c \
	    "VMTUI_CATALOG_DIR='$TOP_SRCDIR/catalog' '$VMTUI' --install --list |
	    grep -q '^ubuntu-24.04-cloud .*needs ubuntu-keyring (not installed)'"
	check "... and the install is refused, saying what to install" \
	    expect_exit 1 env VMTUI_CATALOG_DIR="$TOP_SRCDIR/catalog" \
	    "$VMTUI" --install ubuntu-24.04-cloud u3 --no-launch
	check "... (ubuntu-keyring)" grep -q "apt-get install ubuntu-keyring" \
	    "$WORK/err"
	check "... nothing saved" test ! -e "$P/u3.conf"
	stop_server
fi

finish
