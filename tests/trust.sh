#!/bin/sh
# What vmtui trusts lies in folders nobody else can change (attack-dl F1):
# from HOME or the XDG base down to the file, every folder the user's or
# root's and writable by nobody else, as OpenSSH's StrictModes. Root with
# a HOME of another user's (sudo -E) is refused, saying why and what to
# do; a profiles folder, a vmtui.conf, a catalog or a cache that another
# user can change is not read; a launch checks again the files it boots.
. "$TOP_SRCDIR/tests/lib.sh"

second_user trust || exit 77
err_has() { grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; return 1; }; }
chmod 0711 "$WORK"

# A profile, and a kernel and initrd in the cache as an install leaves them.
fixtures
DL=$HOME/.cache/vmtui/downloads/debian-12
mkdir -p "$DL"
chmod 0700 "$HOME/.cache/vmtui" "$HOME/.cache/vmtui/downloads" "$DL"
: >"$DL/linux"
: >"$DL/initrd.gz"
chmod 0444 "$DL/linux" "$DL/initrd.gz"
printf 'name = "k"\nboot { mode = "kernel" kernel = "%s" initrd = "%s" }\n' \
    "$DL/linux" "$DL/initrd.gz" >"$P/k.conf"
check "all private: the profile checks" expect_exit 0 "$VMTUI" --check k
check "... and launches" expect_exit 0 "$VMTUI" --launch k --no-tui

# 1. root on a HOME that another user owns (sudo -E): refused
H2=$WORK/alice
mkdir -p "$H2"
chown "$ouid" "$H2"
check "root with another user's HOME: refused" expect_exit 2 env -u XDG_CONFIG_HOME \
    -u XDG_CACHE_HOME HOME="$H2" "$VMTUI" --check k
check "... saying why" err_has "vmtui runs as root, and $H2 belongs to"
check "... and what to do" err_has "sudo -H"
check "... an install too, before any download" expect_exit 1 env \
    -u XDG_CONFIG_HOME -u XDG_CACHE_HOME HOME="$H2" \
    VMTUI_CATALOG_DIR="$TOP_SRCDIR/catalog" \
    VMTUI_MIRROR_DEBIAN=http://127.0.0.1:9/debian "$VMTUI" --install \
    debian-12 x --no-launch
check "... saying why" err_has "vmtui runs as root"

# 2. the cache renamed aside and planted (F1): the launch refuses
mv "$HOME/.cache/vmtui" "$HOME/.cache/vmtui.old"
mkdir -p "$DL"
cp "$HOME/.cache/vmtui.old/downloads/debian-12/linux" "$DL/"
cp "$HOME/.cache/vmtui.old/downloads/debian-12/initrd.gz" "$DL/"
chown -R "$ouid" "$HOME/.cache/vmtui"
rm -f "$WORK/qemu.argv"
check "a planted cache: the launch is refused" expect_exit 1 "$VMTUI" \
    --launch k --no-tui
check "... naming what another user owns" err_has \
    "$DL/linux belongs to $OTHER"
check "... QEMU never started" test ! -e "$WORK/qemu.argv"
rm -rf "$HOME/.cache/vmtui"
mv "$HOME/.cache/vmtui.old" "$HOME/.cache/vmtui"

# 3. a profiles folder others can write: its profiles are not loaded
chmod 0777 "$P"
check "a profiles folder open to others: refused" expect_exit 2 "$VMTUI" \
    --check k
check "... saying what to do" err_has "chmod go-w $P"
chmod 0700 "$P"

# 4. vmtui.conf and a catalog others can change are not read
mkdir -p "$XDG_CONFIG_HOME/vmtui/catalog"
printf 'mirror "debian" { url = "http://127.0.0.1:9/evil" }\n' \
    >"$XDG_CONFIG_HOME/vmtui/vmtui.conf"
chmod 0666 "$XDG_CONFIG_HOME/vmtui/vmtui.conf"
"$VMTUI" --install --list >"$WORK/out" 2>"$WORK/err" || true
check "a vmtui.conf others can change is not read" err_has \
    "vmtui.conf is not read"
chmod 0600 "$XDG_CONFIG_HOME/vmtui/vmtui.conf"
cp "$TOP_SRCDIR/catalog/alpine.conf" "$XDG_CONFIG_HOME/vmtui/catalog/mine.conf"
chown "$ouid" "$XDG_CONFIG_HOME/vmtui/catalog/mine.conf"
"$VMTUI" --install --list >"$WORK/out" 2>"$WORK/err" || true
check "a catalog file of another user's is not read" err_has \
    "mine.conf belongs to"
finish
