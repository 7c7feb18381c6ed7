#!/bin/sh
# Installing an operating system from the catalog, offline: a local HTTP
# server (tests/mirror/httpd.py) serves a Debian mirror tree filled from
# Debian's own debian-installer-12-netboot-amd64 package, and
# VMTUI_MIRROR_DEBIAN points the catalog at it. The CLI downloads,
# verifies and saves; a damaged file, a transfer cut short, a server gone
# mid-download, a 404, a checksum file without the entry and Ctrl-C each
# say what happened, leave nothing that looks complete, and a retry goes
# on from where it stopped. Then, through tmux from an empty HOME, the
# wizard downloads (the progress bar seen), boots the real installer and
# its "Select a language" dialog appears in the pane; and an installer
# machine that wrote its disk is offered the switch to its disk.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 77; }
MIRROR=$("$TOP_SRCDIR/tests/mirror/build") || exit 1
# The shipped catalog, the Debian entries checking the test mirror's
# InRelease with its test key instead of Debian's archive keyring (and a
# copy whose keyring is not installed: checksum only).
mkdir "$WORK/catalog" "$WORK/catalog-nokey"
cp "$TOP_SRCDIR"/catalog/*.conf "$WORK/catalog/"
cp "$TOP_SRCDIR"/catalog/*.conf "$WORK/catalog-nokey/"
sed -i "s|/usr/share/keyrings/debian-archive-keyring.gpg|$MIRROR/test-keyring.gpg|" \
    "$WORK/catalog/debian.conf"
sed -i "s|/usr/share/keyrings/debian-archive-keyring.gpg|/nonexistent/keyring.gpg|" \
    "$WORK/catalog-nokey/debian.conf"
export VMTUI_CATALOG_DIR="$WORK/catalog"
IMAGES=debian/dists/bookworm/main/installer-amd64/current/images
LINUX=/$IMAGES/netboot/debian-installer/amd64/linux
INITRD=/$IMAGES/netboot/debian-installer/amd64/initrd.gz
DL=$HOME/.cache/vmtui/downloads/debian-12
T="tmux -L vmtui-osinstall-$$"
. "$TOP_SRCDIR/tests/mirror/serve.sh"
trap '$T kill-server 2>/dev/null || true; [ -z "$SRV" ] || kill "$SRV" 2>/dev/null; rm -rf "$WORK"' EXIT

err_has() { grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; return 1; }; }
no_file() { [ ! -e "$1" ]; }
size_is() { [ "$(stat -c %s "$1" 2>/dev/null)" = "$2" ]; }

# --- the catalog --------------------------------------------------------------
check "--install --list lists the catalog" expect_exit 0 "$VMTUI" --install --list
check "... Debian 12 netboot, its size" grep -q \
    '^debian-12  *x86_64  *netboot  *48 MiB  Debian 12 (bookworm)' "$WORK/out"
check "... Fedora, Alpine and the arm64 entries" sh -c 'grep -q "^fedora-41 " "$1" &&
    grep -q "^alpine-3.20 " "$1" && grep -q "^debian-12-arm64  *aarch64" "$1"' \
    sh "$WORK/out"
check "an unknown entry is refused" expect_exit 2 "$VMTUI" --install nosuch
check "... saying where the list is" err_has 'no catalog entry named "nosuch"'
check "--install takes ENTRY [NAME] only" expect_exit 2 "$VMTUI" --install a b c
check "--no-launch goes with --install" expect_exit 2 "$VMTUI" --list --no-launch
check "a bad machine name is refused" expect_exit 2 "$VMTUI" --install debian-12 'a b'
check "... before anything is downloaded" no_file "$HOME/.cache"

# Broken catalog files: FILE:LINE, exit 2, the good entries still listed.
for f in "$DATA"/catalog-invalid/*.conf; do
	n=${f##*/}
	n=${n%.conf}
	mkdir -p "$WORK/cat-$n"
	cp "$TOP_SRCDIR"/catalog/*.conf "$f" "$WORK/cat-$n/"
	VMTUI_CATALOG_DIR=$WORK/cat-$n expect_exit 2 "$VMTUI" --install --list ||
	    true
	sed "s|@DIR@/|$WORK/cat-$n/|" "${f%.conf}.msg" >"$WORK/want"
	check "catalog $n: $(head -n 1 "$WORK/want" | cut -c1-60)" \
	    grep -qF -- "$(head -n 1 "$WORK/want")" "$WORK/err"
	check "... the shipped entries still listed" grep -q '^debian-12 ' \
	    "$WORK/out"
done

# --- downloads that go wrong --------------------------------------------------
serve "$MIRROR"
VMTUI_MIRROR_DEBIAN=$URL/gone expect_exit 1 "$VMTUI" --install debian-12 --no-launch ||
    fail "a 404 fails"
check "a 404 says so" err_has "HTTP 404"
check "... nothing saved" no_file "$P/debian-12.conf"
check "... nothing downloaded" sh -c '[ -z "$(ls -A "$1")" ]' sh "$DL"
check "the downloads folder is private" sh -c \
    '[ "$(stat -c %a "$1")" = 700 ] && [ "$(stat -c %a "$1/..")" = 700 ]' sh "$DL"

# A checksum file without the initrd.
mkdir -p "$WORK/m2/$IMAGES"
cp -r "$MIRROR/$IMAGES/netboot" "$WORK/m2/$IMAGES/"
grep -v initrd "$MIRROR/$IMAGES/SHA256SUMS" >"$WORK/m2/$IMAGES/SHA256SUMS"
cp "$MIRROR/debian/dists/bookworm/InRelease" "$WORK/m2/debian/dists/bookworm/"
serve "$WORK/m2"
check "a checksum file that the signed InRelease does not list fails" \
    expect_exit 1 "$VMTUI" --install debian-12 --no-launch
check "... saying so" err_has "SHA256SUMS is not the file the signed"
check "... before any download" no_file "$DL/linux.part"
# The same without a keyring, taken as checksum only: the entry is missing.
VMTUI_CATALOG_DIR=$WORK/catalog-nokey
mkdir -p "$XDG_CONFIG_HOME/vmtui"
printf 'mirror "debian" { checksum-only = true }\n' \
    >"$XDG_CONFIG_HOME/vmtui/vmtui.conf"
check "a checksum file without the entry fails" expect_exit 1 "$VMTUI" \
    --install debian-12 --no-launch
rm "$XDG_CONFIG_HOME/vmtui/vmtui.conf"
check "... naming the file it does not list" err_has \
    "SHA256SUMS does not list netboot/debian-installer/amd64/initrd.gz"
check "... no initrd downloaded" no_file "$DL/initrd.gz.part"
check "... nothing saved" no_file "$P/debian-12.conf"
VMTUI_CATALOG_DIR=$WORK/catalog

# An InRelease whose signed text was changed.
mkdir -p "$WORK/m3/debian/dists/bookworm"
cp -r "$MIRROR/debian/dists/bookworm/main" "$WORK/m3/debian/dists/bookworm/"
sed 's/^Suite: oldstable$/Suite: stable/' "$MIRROR/debian/dists/bookworm/InRelease" \
    >"$WORK/m3/debian/dists/bookworm/InRelease"
: >"$WORK/http.log"
serve "$WORK/m3"
check "an InRelease with a bad signature fails" expect_exit 1 "$VMTUI" \
    --install debian-12 --no-launch
check "... saying whose signature does not check" err_has \
    "InRelease: its signature does not check with $MIRROR/test-keyring.gpg"
check "... nothing downloaded after it" sh -c '! grep -q "/netboot/" "$1"' sh \
    "$WORK/http.log"

# One byte changed in the kernel on the way.
rm -rf "$DL"
serve "$MIRROR" --corrupt "$LINUX"
check "a damaged download fails" expect_exit 1 "$VMTUI" --install debian-12 \
    --no-launch
check "... saying the SHA-256 differs and it was deleted" err_has \
    "the download is damaged and was deleted"
check "... no kernel left, whole or in part" sh -c \
    '[ ! -e "$1/linux" ] && [ ! -e "$1/linux.part" ]' sh "$DL"

# The initrd cut short after 5000000 bytes: kept as a part, not as a file.
serve "$MIRROR" --truncate "$INITRD:5000000"
check "a transfer cut short fails" expect_exit 1 "$VMTUI" --install debian-12 \
    --no-launch
check "... saying how far it got" err_has "the transfer stopped after 4.8 MiB of 38.9 MiB"
check "... the kernel verified and kept" test -f "$DL/linux"
check "... the initrd only as a part" sh -c \
    '[ ! -e "$1/initrd.gz" ] && [ "$(stat -c %s "$1/initrd.gz.part")" = 5000000 ]' \
    sh "$DL"
check "... nothing saved" no_file "$P/debian-12.conf"

# The server goes away mid-download (its process killed).
: >"$WORK/http.log"
serve "$MIRROR" --stall "$INITRD:9000000"
"$VMTUI" --install debian-12 --no-launch >"$WORK/out" 2>"$WORK/err" &
vm=$!
i=0
while ! size_is "$DL/initrd.gz.part" 9000000 && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "... a retry resumed from 5000000 bytes" grep -q \
    "GET $INITRD bytes=5000000- 206" "$WORK/http.log"
check "... the kernel was not fetched again" sh -c '! grep -q "GET $2 " "$1"' \
    sh "$WORK/http.log" "$LINUX"
stop_server
set +e
wait "$vm"
rc=$?
set -e
check "a server gone mid-download fails" test "$rc" = 1
check "... saying the transfer stopped" err_has "the transfer stopped after 8.6 MiB"
check "... the part kept" test -f "$DL/initrd.gz.part"

# Ctrl-C while it downloads slowly.
serve "$MIRROR" --rate 2000000
"$VMTUI" --install debian-12 --no-launch >"$WORK/out" 2>"$WORK/err" &
vm=$!
sleep 1.5
kill -INT "$vm"
set +e
wait "$vm"
rc=$?
set -e
check "Ctrl-C cancels" test "$rc" = 130
check "... saying so" err_has "cancelled; what arrived is kept"
check "... nothing saved" no_file "$P/debian-12.conf"

# At last a whole run: resumes, verifies, saves.
: >"$WORK/http.log"
serve "$MIRROR"
check "the retry succeeds" expect_exit 0 "$VMTUI" --install debian-12 inst --no-launch
check "... going on from the part" grep -q "GET $INITRD bytes=[0-9]*- 206" \
    "$WORK/http.log"
check "... the InRelease's signature checked" err_has \
    "and $VMTUI_MIRROR_DEBIAN/dists/bookworm/InRelease's signature with $MIRROR/test-keyring.gpg"
check "... the files verified under their names" sh -c \
    '[ -f "$1/linux" ] && [ -f "$1/initrd.gz" ] && [ ! -e "$1/initrd.gz.part" ]' \
    sh "$DL"
check "... the same bytes as Debian's" sh -c 'cmp -s "$1/initrd.gz" "$2" &&
    cmp -s "$1/linux" "$3"' sh "$DL" "$MIRROR$INITRD" "$MIRROR$LINUX"
check "... a profile that checks" expect_exit 0 "$VMTUI" --check inst
check "... booting the installer, without reboots" sh -c \
    '"$1" --print-script inst | grep -q -- "-no-reboot"' sh "$VMTUI"
check "... on the serial console" sh -c \
    '"$1" --print-script inst | grep -q "console=ttyS0"' sh "$VMTUI"
check "... marked as an installer" grep -q "installer = true" "$P/inst.conf"
check "a second install of the name is refused" expect_exit 2 "$VMTUI" \
    --install debian-12 inst --no-launch
: >"$WORK/http.log"
check "a second entry's install downloads only the checksum file" \
    expect_exit 0 "$VMTUI" --install debian-12 inst2 --no-launch
check "... and the InRelease (the files are there and verified)" sh -c \
    '[ "$(grep -c . "$1")" = 2 ]' sh "$WORK/http.log"
# An entry its distribution signs, without its keyring (as on a host that
# is not Debian): refused, saying what to install; never a quiet
# downgrade to the mirror's word (attack-dl F4).
VMTUI_CATALOG_DIR=$WORK/catalog-nokey
: >"$WORK/http.log"
check "without the keyring: refused" expect_exit 1 "$VMTUI" --install \
    debian-12 inst4 --no-launch
check "... saying what to install" err_has \
    "apt-get install debian-archive-keyring"
check "... and the plainly named way round it" err_has "checksum-only = true"
check "... nothing downloaded" sh -c '[ ! -s "$1" ]' sh "$WORK/http.log"
check "... nothing saved" no_file "$P/inst4.conf"
check "... the list says it needs the keyring" sh -c '"$1" --install --list |
    grep -q "^debian-12 .*needs debian-archive-keyring (not installed)"' \
    sh "$VMTUI"
# taken as checksum only when vmtui.conf says so for the mirror
mkdir -p "$XDG_CONFIG_HOME/vmtui"
printf 'mirror "debian" { checksum-only = true }\n' \
    >"$XDG_CONFIG_HOME/vmtui/vmtui.conf"
check "checksum-only = true: installed" expect_exit 0 "$VMTUI" --install \
    debian-12 inst4 --no-launch
check "... it says checksum only, from the mirror" err_has \
    "checksum only (from the mirror, over plain HTTP)"
check "... never \"verified\"" sh -c '! grep -q verified "$1"' sh "$WORK/err"
check "... the list says so" sh -c '"$1" --install --list | grep -q \
    "^debian-12 .*checksum only (from the mirror, over plain HTTP)"' sh "$VMTUI"
rm "$XDG_CONFIG_HOME/vmtui/vmtui.conf"
VMTUI_CATALOG_DIR=$WORK/catalog

# Alpine signs no file with a key a Debian package ships: its ISO is taken
# on the mirror's .sha256 alone, and said so, never "verified".
AM=$WORK/am/alpine/v3.20/releases/x86_64
mkdir -p "$AM"
printf 'not alpine: anything the mirror wants\n' \
    >"$AM/alpine-virt-3.20.3-x86_64.iso"
(cd "$AM" && sha256sum alpine-virt-3.20.3-x86_64.iso \
    >alpine-virt-3.20.3-x86_64.iso.sha256)
serve "$WORK/am"
check "Alpine from a mirror: installed" expect_exit 0 env \
    VMTUI_MIRROR_ALPINE="$URL/alpine" "$VMTUI" --install alpine-3.20 al \
    --no-launch
check "... checksum only, from the mirror" err_has \
    "checksum only (from the mirror, over plain HTTP)"
check "... never \"verified\"" sh -c '! grep -q verified "$1"' sh "$WORK/err"
check "... the list says checksum only over HTTPS" sh -c '"$1" --install --list |
    grep -q "^alpine-3.20 .*checksum only (from the mirror, over HTTPS)"' \
    sh "$VMTUI"
serve "$MIRROR"

# A planted symlink for the entry's folder is not followed.
rm -rf "$DL"
mkdir -p "$WORK/elsewhere"
ln -s "$WORK/elsewhere" "$DL"
check "a symlink for the downloads folder is refused" expect_exit 1 "$VMTUI" \
    --install debian-12 inst3 --no-launch
check "... saying why" err_has "is not a folder of yours"
check "... nothing written through it" sh -c '[ -z "$(ls -A "$1")" ]' sh \
    "$WORK/elsewhere"
rm -f "$DL"
# ... nor a folder of another user's.
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$DL"
	chown nobody "$DL"
	check "another user's downloads folder is refused" expect_exit 1 \
	    "$VMTUI" --install debian-12 inst3 --no-launch
	check "... saying why" err_has "$DL belongs to nobody"
	check "... nothing written into it" sh -c '[ -z "$(ls -A "$1")" ]' sh \
	    "$DL"
	rm -rf "$DL"
fi

# --- the wizard, the real installer in the pane -------------------------------
real_qemu tmux

# new_user NAME: a new user's empty HOME and no XDG folders at all (the
# CLI runs above made them for the first user): the wizard makes them.
new_user() {
	HOME=$WORK/$1/home XDG_CONFIG_HOME=$WORK/$1/config
	XDG_DATA_HOME=$WORK/$1/data XDG_STATE_HOME=$WORK/$1/state
	export HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME
	mkdir -p "$HOME"
	P=$XDG_CONFIG_HOME/vmtui/profiles
	DL=$HOME/.cache/vmtui/downloads/debian-12
}

# Esc while the wizard downloads: back at the summary, nothing saved.
serve "$MIRROR" --rate 1000000
ENVS="VMTUI_CATALOG_DIR='$VMTUI_CATALOG_DIR' VMTUI_MIRROR_DEBIAN='$VMTUI_MIRROR_DEBIAN'"
new_user esc
start
see "n new" >/dev/null
keys n
see "Name of the new machine" >/dev/null
keys C-u
$T send-keys -t t -l esc
keys Enter Enter
see "Debian 12 (bookworm)" >/dev/null
keys Down Enter Enter Enter Enter Enter
see "Save this machine?" >/dev/null
keys Enter
check "the wizard's download shows its progress" see "Esc cancels" 10
keys Escape
check "... Esc cancels it" see "cancelled; what arrived is kept" 10
check "... back at the summary" see "Save this machine?"
check "... nothing saved" no_file "$P/esc.conf"
check "... the part kept for the next try" sh -c \
    'ls "$1" | grep -q "\.part$"' sh "$DL"
$T kill-server 2>/dev/null || true
serve "$MIRROR" --rate 20000000
ENVS="VMTUI_CATALOG_DIR='$VMTUI_CATALOG_DIR' VMTUI_MIRROR_DEBIAN='$VMTUI_MIRROR_DEBIAN'"
for size in "100 30" "80 24"; do
	S=$(echo "$size" | tr ' ' x)
	new_user "w$S"
	TMUX_SIZE=$size
	start
	see "n new" >/dev/null
	# n, the name, "Install an operating system", Debian 12, memory,
	# cores, disk, the SSH forward, "Save and launch it": 10 keys
	keys n
	see "Name of the new machine" >/dev/null
	keys C-u
	$T send-keys -t t -l "d$S"
	keys Enter
	see "What should it boot?" >/dev/null
	check "$S: installing an OS comes first" see "Install an operating system"
	keys Enter
	check "$S: the catalog, with sizes" see "Debian 12 (bookworm) (48 MiB)"
	keys Down Enter
	check "$S: memory from the entry" see "suggests 1024 MiB"
	keys Enter Enter
	check "$S: the disk from the entry" see "20480"
	keys Enter Enter
	check "$S: the summary says what it fetches" see "Fetches: 48 MiB from http://127.0.0.1"
	check "$S: ... and that it is signed" see "Checked: signed by the distribution"
	keys Enter
	check "$S: the download shows its progress" see "Downloading Debian 12 (bookworm)" 10
	check "$S: ... bytes and rate" see "MiB/s"
	check "$S: the installer starts in the pane" see "d$S: running" 60
	# the pane is narrower than the installer's 80 columns at 80x24
	check "$S: the installer's first dialog" see "[!!] Select a lan" 120
	check "$S: its menu" see "English"
	keys C-] q
	see "Force d$S to quit" >/dev/null || true
	keys y
	see "stopped" 20 >/dev/null || true
	keys Escape
	$T kill-server 2>/dev/null || true
	check "$S: the wizard's machine marks the installer" grep -q \
	    "installer = true" "$P/d$S.conf"
	check "$S: ... and boots it from the downloads" grep -q "$DL/linux" \
	    "$P/d$S.conf"
	check "$S: ... the folders it made private" test \
	    "$(stat -c %a "$P")" = 700
done
stop_server

# --- after the install: the disk ----------------------------------------------
cat >"$P/fake-inst.conf" <<EOF
version = 1
name = "fake-inst"
memory = 256
root-disk { size = 64 }
boot {
  mode = "kernel"
  kernel = "$GUEST/vmlinux"
  initrd = "$GUEST/initrd.gz"
  append = "quiet vmtui.write=vda:INSTALLED vmtui.poweroff=1"
  installer = true
}
EOF
TMUX_SIZE="100 30"
start --launch fake-inst
check "an installer that wrote its disk is offered the disk" \
    see "the installer has finished" 60
check "... b in the key bar" see "b boot the installed system"
keys b
check "... b starts it again, from its disk (the guest has no boot loader)" \
    see "No bootable device" 30
check "... saved: mode disk" grep -q 'mode = "disk"' "$P/fake-inst.conf"
check "... installer off" grep -q 'installer = false' "$P/fake-inst.conf"
check "... the installer's kernel kept in the file" grep -q "kernel = \"$GUEST/vmlinux\"" \
    "$P/fake-inst.conf"
check "... it checks" expect_exit 0 "$VMTUI" --check fake-inst
keys C-] q
see "Force fake-inst to quit" >/dev/null || true
keys y
$T kill-server 2>/dev/null || true
"$VMTUI" --stop fake-inst --force >/dev/null 2>&1 || true

# --- the demo guest, from an installed vmtui -----------------------------------
# An empty cache: the wizard builds the guest with the installed script.
D=$WORK/dest
make -s -C "$TOP_BUILDDIR" install DESTDIR="$D" >"$WORK/make.log" 2>&1 ||
    { cat "$WORK/make.log"; exit 1; }
prefix=$(sed -n 's/^prefix = //p' "$TOP_BUILDDIR/Makefile")
R=$D$prefix
rm -rf "$HOME/.cache/vmtui/guest"
session "env LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' HOME='$HOME' PATH='$PATH' \
VMTUI_GUEST_DIR='$R/share/vmtui/guest' '$R/bin/vmtui'; sleep 60"
see "n new" >/dev/null
keys n
see "Name of the new machine" >/dev/null
keys C-u
$T send-keys -t t -l demo1
keys Enter
see "What should it boot?" >/dev/null
keys Down Down Down Down Enter
check "the installed wizard builds the demo guest" \
    see "Building the demo guest" 5
check "... and goes on once it is built" see "Memory (this host" 180
check "... into the cache" test -f "$HOME/.cache/vmtui/guest/current/vmlinux"
keys Enter Enter Down Enter
see "Save this machine?" >/dev/null
keys Down Down Enter
check "... a machine that boots it" grep -q \
    "kernel = \"$HOME/.cache/vmtui/guest/current/vmlinux\"" "$P/demo1.conf"
check "... and checks" expect_exit 0 "$VMTUI" --check demo1
$T kill-server 2>/dev/null || true

finish
