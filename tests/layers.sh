#!/bin/sh
# The layers as the includes draw them: no include cycle among the modules
# of core/ and tui/ (a module is NAME.c with NAME.h, and NAME.def), core/
# never includes curses or a header of tui/, and only tui/ includes curses.
# The cycle finder is first shown a cycle, so that it is known to see one.
. "$TOP_SRCDIR/tests/lib.sh"

cd "$TOP_SRCDIR"

# edges: "from to" for each #include "x" of the files given, as modules
# (core/profile, tui/view); a header is looked for beside the file, then in
# core/. The file's own header and config.h are no edges.
edges() {
	for f in "$@"; do
		dir=$(dirname "$f")
		from=$dir/$(basename "$f" | sed 's/\.[a-z]*$//')
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' \
		    "$f" | while read -r h; do
			[ "$h" = config.h ] && continue
			if [ -e "$dir/$h" ]; then
				to=$dir/${h%.*}
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

edges core/*.c core/*.h core/*.def tui/*.c tui/*.h >"$WORK/edges"
check "the include graph has edges" test "$(wc -l <"$WORK/edges")" -gt 50
check "no include cycle in core/ and tui/" no_cycle <"$WORK/edges"

check "core/ includes no header of tui/" sh -c \
    '! grep "^core/[^ ]* tui/" "$1"' sh "$WORK/edges"
check "core/ never includes curses" sh -c \
    '! grep -l "#[[:space:]]*include[[:space:]]*<\(n\)\?curses\|<form\.h>\|<panel\.h>" core/*.[ch]'

finish
