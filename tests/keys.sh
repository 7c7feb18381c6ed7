#!/bin/sh
# The keys of the screens against vmtui(1): the man page's key lists (the
# ".TP" lists between '.\" keys: SCREEN' and '.\" end keys') name exactly
# the keys of the tables the screens dispatch from (vmtui --keys), in their
# order. The comparison is first shown a page with a key too many and one
# with a key missing, so that it is known to fail.
. "$TOP_SRCDIR/tests/lib.sh"

# man_keys PAGE: "SCREEN<TAB>NAME" for each key the page lists.
man_keys() {
	awk '
	    /^\.\\" keys: / { s = $0; sub(/^\.\\" keys: /, "", s);
		sub(/ \(.*$/, "", s); inkeys = 1; next }
	    /^\.\\" end keys/ { inkeys = 0; next }
	    inkeys && $0 == ".TP" || inkeys && /^\.TP / { tp = 1; next }
	    inkeys && tp && /^\.B / { n = substr($0, 4); gsub(/\\-/, "-", n);
		gsub(/\\e/, "\\", n); print s "\t" n; tp = 0; next }
	    { tp = 0 }' "$1"
}

# same_keys PAGE: the page lists the keys vmtui --keys gives, in order.
same_keys() {
	man_keys "$1" >"$WORK/man.keys"
	cut -f1,2 "$WORK/vmtui.keys" >"$WORK/table.keys"
	same_file "$WORK/table.keys" "$WORK/man.keys"
}

check "vmtui --keys" expect_exit 0 "$VMTUI" --keys
cp "$WORK/out" "$WORK/vmtui.keys"
for s in list editor "launch view" snapshots; do
	check "--keys lists the $s's keys" grep -q "^$s	" "$WORK/vmtui.keys"
done
check "each key has a help line" sh -c \
    '! awk -F "\t" "NF != 3 || \$3 == \"\"" "$1" | grep -q .' sh \
    "$WORK/vmtui.keys"

PAGE=$TOP_SRCDIR/man/vmtui.1
sed 's/^\.B F8$/.B F8\n.TP 14\n.B F9\nNot a key./' "$PAGE" >"$WORK/extra.1"
check "a key in the page that no table has fails" expect_exit 1 same_keys \
    "$WORK/extra.1"
awk '/^\.B z$/ { skip = 1; next } skip { skip = 0; next } { print }' \
    "$PAGE" >"$WORK/missing.1"
check "a table's key the page lacks fails" expect_exit 1 same_keys \
    "$WORK/missing.1"
check "vmtui(1) lists every screen's keys, and no others" same_keys "$PAGE"

# page_reads PAGE: the page as man shows it: no warning, words apart
# (".BR a ); b c" runs b and c together), the options after --launch at
# one indent, not under its key list's, and no mux keys in --launch's
# words (the view gives Ctrl-a to the guest).
page_reads() {
	groff -man -Tutf8 -ww "$1" 2>"$WORK/groff.err" | col -bx >"$WORK/page"
	[ ! -s "$WORK/groff.err" ] || { cat "$WORK/groff.err" >&2; return 1; }
	grep -qx "       --detach" "$WORK/page" || return 1
	tr '\n' ' ' <"$WORK/page" | tr -s ' ' >"$WORK/page.words"
	grep -qF -- "--set); Esc leaves, asking when" "$WORK/page.words" &&
	    ! grep -qF "Ctrl-a x quits QEMU" "$WORK/page.words"
}
if command -v groff >/dev/null; then
	# the launch view's key list without the .RS/.RE around it
	awk '/^\.RS$/ { held = 1; next }
	    held { held = 0; if ($0 !~ /keys: launch view/) print ".RS" }
	    /^\.\\" end keys/ { ended = 1; print; next }
	    ended && /^\.RE$/ { ended = 0; next } { ended = 0; print }' \
	    "$PAGE" >"$WORK/indent.1"
	check "a page whose options follow a key list's indent fails" \
	    expect_exit 1 page_reads "$WORK/indent.1"
	check "vmtui(1) reads as it should in man" page_reads "$PAGE"
else
	echo "groff is not installed: tools/setup installs it" >&2
	fail "vmtui(1) as man shows it"
fi

finish
