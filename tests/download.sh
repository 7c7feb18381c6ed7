#!/bin/sh
# Downloads from a hostile, slow or missing mirror, on the command line
# (no QEMU): the test mirror of tests/osinstall.sh (tests/mirror/build),
# served by tests/mirror/httpd.py with faults, its Release files signed by
# its own test key (tests/mirror/release). What each part shows:
# - vmtui.conf's keyring for a mirror is used, and one that is missing
#   stops the install;
# - a server that is not there, or lacks a file, says what failed;
# - Ctrl-C acts within a second, also while a small file downloads and
#   before any header; a transfer slower than the stated average stops as
#   stalled, and a small file has a whole deadline;
# - a file longer than it can be is refused and not kept, a part that
#   cannot be right is removed;
# - a signed Release of another suite, dated in the future, expired, or
#   older than one taken before is refused;
# - two installs of one entry at once: one downloads, the other waits and
#   uses the verified file; never a profile on unverified bytes;
# - a FIFO where a file is read (vmtui.conf, a catalog file, an import)
#   is refused at once.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 77; }
command -v gpgv >/dev/null || { echo "gpgv is not installed" >&2; exit 77; }
MIRROR=$("$TOP_SRCDIR/tests/mirror/build") || exit 1
. "$TOP_SRCDIR/tests/mirror/serve.sh"
trap '[ -z "$SRV" ] || kill "$SRV" 2>/dev/null; rm -rf "$WORK"' EXIT
IMAGES=debian/dists/bookworm/main/installer-amd64/current/images
SUMS=/$IMAGES/SHA256SUMS
INRELEASE=/debian/dists/bookworm/InRelease
LINUX=/$IMAGES/netboot/debian-installer/amd64/linux
INITRD=/$IMAGES/netboot/debian-installer/amd64/initrd.gz
DL=$HOME/.cache/vmtui/downloads/debian-12
CONF=$XDG_CONFIG_HOME/vmtui/vmtui.conf
# The shipped catalog (debian-12: 48 MiB) with the test key for Debian's
# (as tests/osinstall.sh has it), and one whose debian-12 says 20 MiB: no
# file of it can be more than twice that. The first part below uses the
# catalog as shipped, and vmtui.conf for the key.
mkdir "$WORK/catalog" "$WORK/small"
cp "$TOP_SRCDIR"/catalog/*.conf "$WORK/catalog/"
sed -i "s|/usr/share/keyrings/debian-archive-keyring.gpg|$MIRROR/test-keyring.gpg|" \
    "$WORK/catalog/debian.conf"
sed '/^os "debian-12"/,/^}/s/size = 48/size = 20/' \
    "$WORK/catalog/debian.conf" >"$WORK/small/debian.conf"

err_has() { grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; return 1; }; }
err_lacks() { ! grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; return 1; }; }
no_file() { [ ! -e "$1" ]; }
fresh() { rm -rf "$HOME/.cache" "$XDG_STATE_HOME" "$P"; }

# bg ARGS...: vmtui ARGS in the background, out and err in $WORK; $BG.
bg() {
	"$VMTUI" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null &
	BG=$!
}
# ended SECONDS: $BG ends within SECONDS (its status in $RC), or it is
# killed and this fails.
ended() {
	RC=
	_i=0
	while kill -0 "$BG" 2>/dev/null && [ "$_i" -lt "$(($1 * 10))" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if kill -0 "$BG" 2>/dev/null; then
		kill -9 "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
		echo "still running after $1 s" >&2
		return 1
	fi
	set +e
	wait "$BG"
	RC=$?
	set -e
}
# fails_within SECONDS TEXT: $BG ends within SECONDS, status 1, saying TEXT.
fails_within() {
	ended "$1" && { [ "$RC" = 1 ] || { echo "exit $RC" >&2; false; }; } &&
	    err_has "$2"
}
# interrupted SECONDS: SIGINT to $BG; it ends within SECONDS, status 130.
interrupted() {
	kill -INT "$BG"
	ended "$1" || return 1
	[ "$RC" = 130 ] || { echo "exit $RC" >&2; return 1; }
}
# grows FILE: wait (up to 10 s) until FILE is there and not empty.
grows() {
	_i=0
	while [ ! -s "$1" ] && [ "$_i" -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$1" ]
}

# --- vmtui.conf: the mirror's keyring -------------------------------------------
export VMTUI_CATALOG_DIR="$TOP_SRCDIR/catalog"
serve "$MIRROR"
mkdir -p "${CONF%/*}"
printf 'mirror "debian" {\n  keyring = "%s"\n}\n' "$MIRROR/test-keyring.gpg" \
    >"$CONF"
check "vmtui.conf's keyring for the mirror checks its InRelease" \
    expect_exit 0 "$VMTUI" --install debian-12 --no-launch
check "... and is named as the one that did" err_has \
    "$URL/debian/dists/bookworm/InRelease's signature with $MIRROR/test-keyring.gpg"
fresh
: >"$WORK/http.log"
printf 'mirror "debian" { keyring = "%s" }\n' "$WORK/none.gpg" >"$CONF"
check "a keyring vmtui.conf gives that is not there stops the install" \
    expect_exit 1 "$VMTUI" --install debian-12 --no-launch
check "... saying which" err_has "$WORK/none.gpg (the keyring vmtui.conf gives mirror \"debian\")"
check "... nothing downloaded" sh -c '! grep -q " 200$" "$1"' sh "$WORK/http.log"
rm "$CONF"
export VMTUI_CATALOG_DIR="$WORK/catalog"
fresh

# --- a server that is not there, a file that is not there ------------------------
serve "$MIRROR"
VMTUI_MIRROR_DEBIAN=http://nosuch.invalid/debian expect_exit 1 "$VMTUI" \
    --install debian-12 --no-launch || fail "an unknown host fails"
check "an unknown host: what failed" err_has \
    "cannot reach the server: Could not resolve host: nosuch.invalid"
check "... not that the catalog is out of date" err_lacks "out of date"
stop_server
VMTUI_MIRROR_DEBIAN=$URL/debian expect_exit 1 "$VMTUI" --install debian-12 \
    --no-launch || fail "a server that is gone fails"
check "a server that is gone: what failed" err_has "cannot reach the server: "
check "... the connection refused" err_has "onnection refused"
check "... not that the catalog is out of date" err_lacks "out of date"
mkdir -p "$WORK/partial/debian/dists/bookworm" "$WORK/partial/$IMAGES"
cp "$MIRROR$INRELEASE" "$WORK/partial$INRELEASE"
cp "$MIRROR$SUMS" "$WORK/partial$SUMS"
serve "$WORK/partial"
check "a mirror without the files fails" expect_exit 1 "$VMTUI" --install \
    debian-12 --no-launch
check "... saying this mirror does not have it" err_has \
    "HTTP 404 (not found): this mirror does not have it (another mirror may"
# a page where the checksum file should be (a captive portal, a proxy)
printf '<html><body>Sign in to the network</body></html>\n' \
    >"$WORK/partial/page"
mkdir "$WORK/nokey"
sed -e '/signed-by/d' -e '/keyring =/d' "$TOP_SRCDIR/catalog/debian.conf" \
    >"$WORK/nokey/debian.conf"
cp "$WORK/partial/page" "$WORK/partial$SUMS"
VMTUI_CATALOG_DIR=$WORK/nokey expect_exit 1 "$VMTUI" --install debian-12 \
    --no-launch || fail "a page for the checksum file fails"
check "a page for the checksum file: not a checksum file" err_has \
    "$URL$SUMS is not a checksum file (no line of it lists a SHA-256)"
check "... not that the catalog is out of date" err_lacks "out of date"
fresh

# --- Ctrl-C, stalls and deadlines ----------------------------------------------
serve "$MIRROR" --hang "$INRELEASE"
bg --install debian-12 --no-launch
sleep 1
check "Ctrl-C while the InRelease's headers never come: out within 2 s" \
    interrupted 2
check "... saying it was cancelled" err_has "InRelease: cancelled"
serve "$MIRROR" --trickle "$SUMS:2"
bg --install debian-12 --no-launch
sleep 1.5
check "Ctrl-C while the checksum file trickles in: out within 2 s" \
    interrupted 2
check "... saying it was cancelled" err_has "SHA256SUMS: cancelled"
fresh
serve "$MIRROR" --trickle "$INITRD:1000"
VMTUI_DOWNLOAD_LIMITS=4096:2:60 bg --install debian-12 --no-launch
check "a file at 1000 bytes a second (4 KiB/s over 2 s stated): stalled" \
    fails_within 8 \
    "(stalled: slower than 4.0 KiB/s over 2 s); what arrived is kept"
check "... the part kept for the next try" test -s "$DL/initrd.gz.part"
fresh
serve "$MIRROR" --trickle "$INRELEASE:100"
VMTUI_DOWNLOAD_LIMITS=1:30:2 bg --install debian-12 --no-launch
check "an InRelease that takes longer than a small file's deadline: stops" \
    fails_within 6 "InRelease: not all here after 2 s"
fresh

# --- longer than it can be -------------------------------------------------------
serve "$MIRROR" --pad "$SUMS:100000"
check "a checksum file longer than the signed InRelease says fails" \
    expect_exit 1 "$VMTUI" --install debian-12 --no-launch
check "... saying so" err_has \
    "$URL$SUMS is longer than the $(stat -c %s "$MIRROR$SUMS") bytes the signed"
fresh
serve "$MIRROR" --endless "$INITRD"
# (a file size limit keeps an endless download from filling the disk)
(ulimit -f 204800 && VMTUI_CATALOG_DIR=$WORK/small exec "$VMTUI" \
    --install debian-12 --no-launch) >"$WORK/out" 2>"$WORK/err" </dev/null &
BG=$!
check "an endless initrd (its entry: 20 MiB): longer than it can be" \
    fails_within 30 "initrd.gz: longer than it can be (more than 41943040 bytes)"
check "... and not kept" no_file "$DL/initrd.gz.part"
serve "$MIRROR"
mkdir -p "$DL"
truncate -s 50M "$DL/initrd.gz.part"
check "a part longer than the file can be is removed: the install goes on" \
    expect_exit 0 env VMTUI_CATALOG_DIR="$WORK/small" "$VMTUI" \
    --install debian-12 --no-launch
check "... the initrd whole" cmp -s "$DL/initrd.gz" "$MIRROR$INITRD"
fresh

# a part or a lock planted as a symlink is not followed
mkdir -p "$DL"
: >"$WORK/target"
ln -s "$WORK/target" "$DL/linux.part"
check "a symlink for a part is refused" expect_exit 1 "$VMTUI" --install \
    debian-12 --no-launch
check "... nothing written through it" test ! -s "$WORK/target"
rm "$DL/linux.part"
ln -s "$WORK/target" "$DL/.linux.lock"
check "a symlink for a lock is refused" expect_exit 1 "$VMTUI" --install \
    debian-12 --no-launch
check "... nothing written through it" test ! -s "$WORK/target"
fresh

# --- Release files: another suite, dates -------------------------------------------
# A copy of the mirror whose InRelease the tests replace while one server
# keeps serving it: the url stays, as a mirror's does.
mkdir -p "$WORK/m/debian/dists/bookworm"
cp -r "$MIRROR/debian/dists/bookworm/main" "$WORK/m/debian/dists/bookworm/"
serve "$WORK/m"
now=$(date +%s)
release() { "$TOP_SRCDIR/tests/mirror/release" "$MIRROR" "$@" >"$WORK/m$INRELEASE"; }
refused() {
	: >"$WORK/http.log"
	expect_exit 1 "$VMTUI" --install debian-12 --no-launch &&
	    err_has "$1" && err_has "nothing was downloaded" &&
	    ! grep -q "/netboot/" "$WORK/http.log"
}
release Codename=buster
check "a signed Release of another suite is refused" \
    refused "InRelease is the Release of buster, not bookworm"
release "Date=@$((now + 2 * 86400))"
check "a signed Release dated in the future is refused" refused "in the future"
release "Valid-Until=@$((now - 3600))"
check "a signed Release past its Valid-Until is refused" refused "expired on"
release Date=
check "a signed Release without a Date is refused" refused "has no Date"
release "Date=@$((now - 86400))" "Valid-Until=@$((now + 86400))"
check "a signed Release of yesterday, valid until tomorrow, is taken" \
    expect_exit 0 "$VMTUI" --install debian-12 a --no-launch
check "... its Date remembered for the url" grep -q \
    "^$((now - 86400)) $URL/debian/dists/bookworm/InRelease\$" \
    "$XDG_STATE_HOME/vmtui/.release-dates"
release Date=@946684800
check "then one of 2000 from the same mirror is refused" \
    refused "older than the one of $(LC_ALL=C date -u -d "@$((now - 86400))" \
    '+%Y-%m-%d %H:%M') UTC that vmtui took from there before"
release
check "and one of now is taken" expect_exit 0 "$VMTUI" --install debian-12 b \
    --no-launch
fresh

# --- two installs of one entry at once ----------------------------------------------
# The second starts while the first downloads the initrd (the issue's
# "--install debian-12 ra & sleep 1.95; --install debian-12 rb"): one
# downloads, the other waits for it and checks what it finds.
: >"$WORK/http.log"
serve "$MIRROR" --rate 4000000
"$VMTUI" --install debian-12 ra --no-launch >"$WORK/out.a" 2>"$WORK/err.a" &
A=$!
grows "$DL/initrd.gz.part" || true
sleep 0.5
"$VMTUI" --install debian-12 rb --no-launch >"$WORK/out.b" 2>"$WORK/err.b" &
B=$!
set +e
wait "$A"
ra=$?
wait "$B"
rb=$?
set -e
cat "$WORK/err.a" "$WORK/err.b" >"$WORK/err"
# a saved machine boots verified bytes: the mirror's own
verified() {
	[ ! -e "$P/$1.conf" ] || {
		k=$(sed -n 's/^ *kernel = "\(.*\)"$/\1/p' "$P/$1.conf")
		i=$(sed -n 's/^ *initrd = "\(.*\)"$/\1/p' "$P/$1.conf")
		cmp -s "$k" "$MIRROR$LINUX" && cmp -s "$i" "$MIRROR$INITRD"
	}
}
check "two installs at once: both end verified or refused" sh -c \
    '{ [ "$1" = 0 ] || [ "$1" = 1 ]; } && { [ "$2" = 0 ] || [ "$2" = 1 ]; }' \
    sh "$ra" "$rb"
check "... each saved machine on the signed bytes" verified ra
check "... (the second's too)" verified rb
check "... both saved (the second used the first's verified file)" sh -c \
    '[ "$1" = 0 ] && [ "$2" = 0 ]' sh "$ra" "$rb"
check "... the initrd downloaded once" test \
    "$(grep -c "GET $INITRD " "$WORK/http.log")" = 1
check "... no part left" sh -c '[ -z "$(ls "$1" | grep "\.part$")" ]' sh "$DL"
stop_server
fresh

# --- FIFOs where files are read ------------------------------------------------------
mkfifo "$CONF"
bg --install --list
check "vmtui.conf a FIFO: no hang" ended 5
check "... saying what it is" err_has "$CONF: not a plain file (a FIFO)"
rm -f "$CONF"
mkfifo "$WORK/catalog/fifo.conf"
bg --install --list
check "a FIFO in the catalog folder: no hang" ended 5
check "... saying what it is" err_has "fifo.conf: not a plain file (a FIFO)"
check "... the other entries listed" grep -q '^debian-12 ' "$WORK/out"
rm -f "$WORK/catalog/fifo.conf"
if "$VMTUI" --help 2>&1 | grep -q -- '--import'; then
	mkfifo "$WORK/dom.xml"
	bg --import libvirt "$WORK/dom.xml"
	check "--import libvirt of a FIFO: no hang" ended 5
	check "... saying what it is" err_has "not a plain file (a FIFO)"
fi

finish
