#!/bin/sh
# A full disk under the downloads (issue 25 item 13, attack-dl F2): the
# cache on a 60 MiB tmpfs, the mirror's initrd.gz an endless reply with
# no length, below the cap (twice the entry's 48 MiB). The write that
# fills the disk removes vmtui's own part of the entry at once and says
# what it removed and how much room the download needs; a later honest
# install then succeeds on the same small disk. Also a junk part left by
# an earlier vmtui: the next install that meets a full disk removes it.
# Root only (mount); skipped (77) where a tmpfs cannot be mounted.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 77; }
command -v gpgv >/dev/null || { echo "gpgv is not installed" >&2; exit 77; }
SMALL=$WORK/small
mkdir -m 0700 "$SMALL"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=60m,mode=0700 tmpfs "$SMALL" 2>/dev/null; then
	echo "cannot mount a tmpfs here: skipped" >&2
	exit 77
fi
MIRROR=$("$TOP_SRCDIR/tests/mirror/build") || { umount "$SMALL"; exit 1; }
. "$TOP_SRCDIR/tests/mirror/serve.sh"
trap '[ -z "$SRV" ] || kill "$SRV" 2>/dev/null; umount "$SMALL" 2>/dev/null; rm -rf "$WORK"' EXIT
IMAGES=debian/dists/bookworm/main/installer-amd64/current/images
INITRD=/$IMAGES/netboot/debian-installer/amd64/initrd.gz
export XDG_CACHE_HOME=$SMALL
DL=$SMALL/vmtui/downloads/debian-12
mkdir "$WORK/catalog"
cp "$TOP_SRCDIR"/catalog/*.conf "$WORK/catalog/"
sed -i "s|/usr/share/keyrings/debian-archive-keyring.gpg|$MIRROR/test-keyring.gpg|" \
    "$WORK/catalog/debian.conf"
export VMTUI_CATALOG_DIR="$WORK/catalog"

err_has() { grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; return 1; }; }
no_part() { [ -z "$(find "$DL" -name '*.part' 2>/dev/null)" ]; }
# used KiB of the small disk
used() { df -k --output=used "$SMALL" | tail -n 1 | tr -d ' '; }

serve "$MIRROR" --endless "$INITRD"
check "an endless reply that fills the disk fails" expect_exit 1 \
    "$VMTUI" --install debian-12 t1 --no-launch
tail -n 1 "$WORK/err" >&2  # the message, in the log
check "... says the disk is full" err_has "is full"
check "... and what vmtui removed" err_has "removed its partial download"
check "... and how much room the download needs" err_has "needs about 48 MiB"
check "... no part is left" no_part
check "... the disk is not left full (under 20 MiB used)" \
    sh -c '[ "$(df -k --output=used "$1" | tail -n 1 | tr -d " ")" -lt 20480 ]' sh "$SMALL"
check "... nothing saved" sh -c '[ ! -e "$1/t1.conf" ]' sh "$P"

serve "$MIRROR"
check "a later honest install succeeds on the same disk" expect_exit 0 \
    "$VMTUI" --install debian-12 t2 --no-launch
check "... the initrd in place" test -s "$DL/initrd.gz"

# A junk part an earlier vmtui left (as F2 found it): 40 MiB of zeros,
# the installed files gone; the disk cannot hold it and the download.
rm -f "$DL/initrd.gz" "$DL/linux"
head -c $((40 << 20)) /dev/zero >"$DL/initrd.gz.part"
serve "$MIRROR" --endless "$INITRD"
check "a junk part left before: the full disk removes it too" expect_exit 1 \
    "$VMTUI" --install debian-12 t3 --no-launch
check "... no part is left" no_part
serve "$MIRROR"
check "... and the next honest install succeeds" expect_exit 0 \
    "$VMTUI" --install debian-12 t4 --no-launch
finish
