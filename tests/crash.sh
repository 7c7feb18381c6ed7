#!/bin/sh
# Nothing lost: a profile saved while the saver is killed (SIGKILL, 200
# times, at random moments) is always the old or the new version, whole;
# the next save leaves no temp file behind. On a full filesystem a save
# fails with ENOSPC and the old file stays.
. "$TOP_SRCDIR/tests/lib.sh"

SAVELOOP=$TOP_BUILDDIR/tests/saveloop
mkdir -p "$WORK/p"
cp "$DATA/golden/vmlinuz" "$WORK/p/"
printf 'name = "vm"\nboot {\n  kernel = "vmlinuz"\n}\n' >"$WORK/p/vm.conf"
F=$WORK/p/vm.conf

"$SAVELOOP" "$F" even && cp "$F" "$WORK/even"
"$SAVELOOP" "$F" odd && cp "$F" "$WORK/odd"
check "the two versions differ" sh -c '! cmp -s "$1" "$2"' sh "$WORK/even" \
    "$WORK/odd"

bad=0
i=0
while [ "$i" -lt 200 ]; do
	"$SAVELOOP" "$F" loop 2>/dev/null &
	pid=$!
	sleep "$(awk -v s="$i" 'BEGIN { srand(s); printf "%.4f", rand() * 0.03 }')"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if ! cmp -s "$F" "$WORK/even" && ! cmp -s "$F" "$WORK/odd"; then
		bad=$((bad + 1))
		echo "after kill $i the file is neither version" >&2
	fi
	i=$((i + 1))
done
check "after 200 kills the file was always one whole version" test "$bad" -eq 0
check "it still loads" expect_exit 0 "$VMTUI" --check "$F"
"$SAVELOOP" "$F" even
check "the next save sweeps the temp files of killed saves" \
    test -z "$(find "$WORK/p" -name '.vm.conf.*')"

# ENOSPC: a tiny tmpfs, filled up.
if mkdir -p "$WORK/full" && mount -t tmpfs -o size=64k tmpfs "$WORK/full" \
    2>/dev/null; then
	trap 'umount "$WORK/full" 2>/dev/null || true; rm -rf "$WORK"' EXIT
	cp "$WORK/p/vmlinuz" "$WORK/full/"
	printf 'name = "vm"\nboot {\n  kernel = "vmlinuz"\n}\n' \
	    >"$WORK/full/vm.conf"
	cp "$WORK/full/vm.conf" "$WORK/before"
	dd if=/dev/zero of="$WORK/full/filler" bs=1k count=1000 2>/dev/null ||
	    true
	check "a save on a full filesystem fails" expect_exit 1 "$SAVELOOP" \
	    "$WORK/full/vm.conf" even
	check "... saying so" grep -q "No space left on device" "$WORK/err"
	check "... and the old file is intact" same_file "$WORK/before" \
	    "$WORK/full/vm.conf"
	check "... with no temp file left" \
	    test -z "$(find "$WORK/full" -name '.vm.conf.*')"
	umount "$WORK/full"
elif [ -n "${CI:-}" ]; then
	fail "CI must mount a tmpfs for the ENOSPC test (run as root)"
else
	echo "skipping the ENOSPC test: mounting a tmpfs needs root" >&2
fi

finish
