#!/bin/sh
# Hostile input: every file in tests/data/invalid gives its expected message
# (NAME.msg, with @DIR@ for the folder) and exit 2 within 2 seconds (more
# under valgrind: INVALID_TIMEOUT): never a
# crash or a hang. Big inputs (a 4 MiB string, 20,000 nested sections) are
# made here rather than kept in the tree. INVALID_UPDATE=1 rewrites the
# expected messages; read the diff before committing it.
. "$TOP_SRCDIR/tests/lib.sh"

cp -R "$DATA/invalid" "$WORK/invalid"
I=$WORK/invalid

# a 4 MiB string, and 20,000 nested sections
awk 'BEGIN { printf "description = \""; for (i = 0; i < 65536; i++)
    printf "%064d", 0; print "\"" }' >"$I/huge-string.conf"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "boot {\n"; }' \
    >"$I/deep-nesting.conf"

for conf in "$I"/*.conf; do
	name=$(basename "$conf" .conf)
	set +e
	timeout "${INVALID_TIMEOUT:-2}" "$VMTUI" --check "$conf" >"$WORK/out" \
	    2>"$WORK/err"
	rc=$?
	set -e
	check "$name: exit 2 (got $rc)" test "$rc" -eq 2
	check "$name: nothing on stdout" test ! -s "$WORK/out"
	sed "s|$I|@DIR@|g" "$WORK/err" >"$WORK/msg"
	if [ -n "${INVALID_UPDATE:-}" ]; then
		cp "$WORK/msg" "$DATA/invalid/$name.msg"
		cp "$WORK/msg" "$I/$name.msg"
	fi
	check "$name: the message" same_file "$I/$name.msg" "$WORK/msg"
done

finish
