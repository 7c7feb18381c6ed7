#!/bin/sh
# make install puts the program, the man pages and the data files under the
# prefix, and the installed program runs.
. "$TOP_SRCDIR/tests/lib.sh"

: "${TOP_BUILDDIR:?run through make check}"
D=$WORK/dest
make -s -C "$TOP_BUILDDIR" install DESTDIR="$D" >"$WORK/make.log" 2>&1 ||
    { cat "$WORK/make.log"; exit 1; }
prefix=$(sed -n 's/^prefix = //p' "$TOP_BUILDDIR/Makefile")
R=$D$prefix

check "the program" test -x "$R/bin/vmtui"
check "it runs" "$R/bin/vmtui" --version
check "vmtui(1)" test -f "$R/share/man/man1/vmtui.1"
check "vmtui.conf(5)" test -f "$R/share/man/man5/vmtui.conf.5"
check "the demo profile" test -f "$R/share/vmtui/demo.conf"
check "the themes folder" test -d "$R/share/vmtui/themes"
check "the catalog" test -f "$R/share/vmtui/catalog/debian.conf"
check "... read by the installed program" sh -c 'VMTUI_CATALOG_DIR=$1 \
    "$2" --install --list | grep -q "^debian-12 "' sh "$R/share/vmtui/catalog" \
    "$R/bin/vmtui"
check "the demo guest's build" test -x "$R/share/vmtui/guest/build"
check "... with the guest's init" test -f "$R/share/vmtui/guest/init"
finish
