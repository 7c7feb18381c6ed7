#!/bin/sh
# The layers as the includes draw them: cli/ (the command line) over tui/
# (the screens) over core/. No include cycle among the modules (a module is
# NAME.c with NAME.h, and NAME.def); no arrow runs back up (core/ includes
# nothing of tui/ or cli/, tui/ nothing of cli/); only tui/ includes curses,
# parses a command line or asks which libraries were built in.
# The cycle finder is first shown a cycle, so that it is known to see one.
. "$TOP_SRCDIR/tests/lib.sh"

cd "$TOP_SRCDIR"

# edges: "from to" for each #include "x" of the files given, as modules
# (core/profile, tui/view); a header is looked for beside the file, then in
# tui/, then in core/. The file's own header and config.h are no edges.
edges() {
	for f in "$@"; do
		dir=$(dirname "$f")
		from=$dir/$(basename "$f" | sed 's/\.[a-z]*$//')
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' \
		    "$f" | while read -r h; do
			[ "$h" = config.h ] && continue
			if [ -e "$dir/$h" ]; then
				to=$dir/${h%.*}
			elif [ -e "tui/$h" ]; then
				to=tui/${h%.*}
			elif [ -e "core/$h" ]; then
				to=core/${h%.*}
			else
				continue
			fi
			[ "$to" = "$from" ] || echo "$from $to"
		done
	done
}

# no_cycle: the edges on stdin have no cycle; the one found is shown.
no_cycle() {
	if tsort >/dev/null 2>"$WORK/tsort.err"; then
		return 0
	fi
	sed 's/^tsort: //' "$WORK/tsort.err" >&2
	return 1
}

check "the cycle finder sees a cycle" expect_exit 1 sh -c \
    'printf "core/a core/b\ncore/b core/c\ncore/c core/a\n" | tsort'
check "the cycle finder passes a tree" sh -c \
    'printf "core/a core/b\ncore/a core/c\ncore/b core/c\n" | tsort >/dev/null'

edges core/*.c core/*.h core/*.def tui/*.c tui/*.h cli/*.c cli/*.h \
    >"$WORK/edges"
check "the include graph has edges" test "$(wc -l <"$WORK/edges")" -gt 50
check "no include cycle in core/, tui/ and cli/" no_cycle <"$WORK/edges"

check "core/ includes no header of tui/ or cli/" sh -c \
    '! grep "^core/[^ ]* \(tui\|cli\)/" "$1"' sh "$WORK/edges"
check "tui/ includes no header of cli/" sh -c \
    '! grep "^tui/[^ ]* cli/" "$1"' sh "$WORK/edges"
check "the command line has a folder of its own" test -f cli/vmtui.c
check "core/ and cli/ never include curses" sh -c \
    '! grep -l "#[[:space:]]*include[[:space:]]*<\(n\)\?curses\|<form\.h>\|<panel\.h>\|<term\.h>" core/*.[ch] cli/*.[ch]'
check "tui/ parses no command line" sh -c '! grep -ln "getopt" tui/*.[ch]'
check "tui/ and cli/ do not ask whether libvirt was built in" sh -c \
    '! grep -ln "HAVE_LIBVIRT" tui/*.[ch] cli/*.[ch]'

# The harness (tests/driver) gives every test stdin from /dev/null: no test
# reads the terminal of the person running the suite.
check "make check runs each test with stdin from /dev/null" test \
    "$(readlink "/proc/$$/fd/0")" = /dev/null

finish
