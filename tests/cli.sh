#!/bin/sh
# The command line: actions, exit codes (0 ok, 2 usage or invalid profile,
# 1 other failure), messages, --list with a broken profile, --write-script.
. "$TOP_SRCDIR/tests/lib.sh"

fixtures
cp "$DATA/golden/vmlinuz" "$P/vmlinuz"
cat >"$P/good.conf" <<'END'
memory = 512
cores = 2
boot {
  kernel = "vmlinuz"
}
END
cat >"$P/broken.conf" <<'END'
memory = 8
cores = 0
END

check "--help exits 0" expect_exit 0 "$VMTUI" --help
check "--help names every action" sh -c 'for a in --check --print-script \
    --write-script --list --launch --no-tui --stop --timeout --force \
    --version; do grep -q -- "$a" "$1" || exit 1; done' sh "$WORK/out"
# The synopsis comes from the command table (cli/cmd.c); vmtui(1) must say
# the same. Both as plain lines, one a form.
# man_synopsis PAGE: the page's SYNOPSIS as plain lines, one a form.
man_synopsis() {
	sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$1" | sed '1d;$d' | awk '
	function word(s) { gsub(/\\-/, "-", s); gsub(/\\f[RBIP]/, "", s);
	    return s }
	/^\.br/ { print line; line = ""; next }
	/^\.[BIR][BIR]? / {
		alt = length($1) == 3; rest = substr($0, length($1) + 2)
		out = ""; n = 0
		while (rest != "") {
			if (substr(rest, 1, 1) == "\"") {
				rest = substr(rest, 2); i = index(rest, "\"")
				tok = substr(rest, 1, i - 1); rest = substr(rest, i + 1)
			} else {
				i = index(rest, " "); if (i == 0) i = length(rest) + 1
				tok = substr(rest, 1, i - 1); rest = substr(rest, i)
			}
			sub(/^ +/, "", rest)
			out = out (alt || n == 0 ? "" : " ") tok; n++
		}
		line = line (line == "" ? "" : " ") word(out); next
	}
	{ line = line (line == "" ? "" : " ") word($0) }
	END { if (line != "") print line }' |
	    sed 's/\[ /[/g; s/ \]/]/g; s/  */ /g'
}
# help_synopsis: vmtui --help's usage lines, a wrapped one joined.
help_synopsis() {
	"$VMTUI" --help | sed -n '1,/^$/p' | sed '/^$/d; s/^usage: //' | awk '
	/^       vmtui/ { if (line != "") print line; line = $0; next }
	NR == 1 { line = $0; next }
	{ line = line " " $0 }
	END { print line }' | sed 's/^ *//; s/  */ /g'
}
man_synopsis "$TOP_SRCDIR/man/vmtui.1" >"$WORK/man.syn"
help_synopsis >"$WORK/help.syn"
check "--help gives a synopsis line for each form" test \
    "$(wc -l <"$WORK/help.syn")" -ge 18
check "vmtui(1)'s SYNOPSIS is --help's" same_file "$WORK/help.syn" \
    "$WORK/man.syn"
sed 's/lossy/lousy/' "$TOP_SRCDIR/man/vmtui.1" >"$WORK/changed.1"
man_synopsis "$WORK/changed.1" >"$WORK/changed.syn"
check "... a page that differs is seen to" sh -c '! cmp -s "$1" "$2"' sh \
    "$WORK/help.syn" "$WORK/changed.syn"
check "--version" expect_exit 0 "$VMTUI" --version
check "--version says the version" grep -qx 'vmtui [0-9][0-9.]*' "$WORK/out"
# libvirt, libxml2 and libcurl (with some fifty libraries of their own)
# are opened when the libvirt backend or a download needs them, not at start
LD_DEBUG=libs "$VMTUI" --version >/dev/null 2>"$WORK/ld"
check "the loader ran (LD_DEBUG works here)" grep -q 'calling init' "$WORK/ld"
check "a start loads no libvirt, libxml2, libcurl or nettle" sh -c '! grep -E \
    "calling init: .*lib(virt|xml2|curl|nettle)" "$1"' sh "$WORK/ld"
# ... and say so in the program's ELF dlopen note (owner FDO), with the
# sonames configure found, for packaging tools.
readelf -p .note.dlopen "$VMTUI_BINARY" >"$WORK/notes" 2>&1 || true
for so in CURL_SONAME NETTLE_SONAME LIBVIRT_SONAME XML_SONAME; do
	v=$(sed -n "s/^#define $so \"\(.*\)\"/\1/p" "$TOP_BUILDDIR/config.h")
	[ -n "$v" ] || continue
	check "the dlopen note names $v" grep -qF "\"soname\":[\"$v\"]" \
	    "$WORK/notes"
done
check "the dlopen notes are FDO's, of its type" sh -c 'readelf -n "$1" |
    grep -c "FDO.*0x407c0c0a" | grep -qx "$2"' sh "$VMTUI_BINARY" \
    "$(grep -c '_SONAME "' "$TOP_BUILDDIR/config.h")"
check "no action and no terminal is a usage error" expect_exit 2 "$VMTUI" \
    </dev/null
check "... saying the screens need a terminal" grep -q \
    "the screens need a terminal" "$WORK/err"
check "unknown option" expect_exit 2 "$VMTUI" --frobnicate
check "unknown option is named" grep -q -- '--frobnicate' "$WORK/err"
check "--check needs a profile" expect_exit 2 "$VMTUI" --check
check "two actions" expect_exit 2 "$VMTUI" --check good --list
check "-o without --write-script" expect_exit 2 "$VMTUI" --check good -o x
check "a stray argument" expect_exit 2 "$VMTUI" --check good extra
check "--no-tui without --launch" expect_exit 2 "$VMTUI" --check good --no-tui
check "--force without --stop" expect_exit 2 "$VMTUI" --list --force
check "... says what it goes with, from the table" grep -qx -- "vmtui: --force \
goes with --write-script, --stop, --snapshot, --export or --define" "$WORK/err"
check "--no-tui and --detach together" expect_exit 2 "$VMTUI" --launch good \
    --no-tui --detach
"$VMTUI" --install --list >"$WORK/il.out" 2>&1 || echo "exit $?" >>"$WORK/il.out"
"$VMTUI" --list --install >"$WORK/li.out" 2>&1 || echo "exit $?" >>"$WORK/li.out"
check "--install and --list in either order" same_file "$WORK/il.out" \
    "$WORK/li.out"
check "--timeout takes seconds" expect_exit 2 "$VMTUI" --stop good \
    --timeout soon
check "--stop of a machine that is not running" expect_exit 1 "$VMTUI" \
    --stop good
check "... says so" grep -q "good is not running" "$WORK/err"

check "--check by name" expect_exit 0 "$VMTUI" --check good
check "--check says ok" grep -q "good.conf: ok (kernel boot, 512 MiB, 2 cores)" \
    "$WORK/out"
check "--check by path" expect_exit 0 "$VMTUI" --check "$P/good.conf"
check "--check of a missing name" expect_exit 2 "$VMTUI" --check nosuch
check "a missing name is explained" grep -q 'no profile named "nosuch"' \
    "$WORK/err"
check "--check of a bad name" expect_exit 2 "$VMTUI" --check "../x"
check "--check of an invalid profile" expect_exit 2 "$VMTUI" --check broken
printf '%s\n' "$P/broken.conf: nothing to boot: add a root-disk section, or \
set boot.kernel (boot.mode is kernel when there is no root disk)" \
    "$P/broken.conf:1: memory must be from 16 to 16777216, not 8" \
    "$P/broken.conf:2: cores must be from 1 to 1024, not 0" >"$WORK/want"
check "every problem, FILE:LINE first" same_file "$WORK/want" "$WORK/err"
check "--check of a folder" expect_exit 2 "$VMTUI" --check "$P/"

# Every action that takes a PROFILE says the same of a missing one, and no
# bare "No such file or directory".
missing() {
	expect_exit 2 "$VMTUI" "$@" && grep -q \
	    '^vmtui: no profile named "nosuch"; "vmtui --list" shows them$' \
	    "$WORK/err" && ! grep -q "No such file" "$WORK/err"
}
for a in "--check nosuch" "--print-script nosuch" "--write-script nosuch" \
    "--print-profile nosuch" "--launch nosuch" "--launch nosuch --detach" \
    "--launch nosuch --no-tui" "--attach nosuch" "--attach nosuch --no-tui" \
    "--stop nosuch" "--snapshot nosuch list" "--export libvirt nosuch" \
    "--define nosuch" "--set nosuch memory=64" "--unset nosuch memory"; do
	# shellcheck disable=SC2086 # the words of the command line
	check "$a: no profile named \"nosuch\"" missing $a
done

# Control characters of a profile never reach the terminal raw: escaped as
# the editor shows them (\x1b, \x07), in --check and in --list.
printf 'x\033]0;PWNED\007y = 1\nboot { kernel = "vmlinuz" }\n' >"$P/ctl.conf"
printf 'memory = 64\n' >"$P/$(printf 'c\033[2Jd').conf"
clean() {
	! LC_ALL=C tr -d '\n' <"$1" | LC_ALL=C grep -q '[[:cntrl:]]'
}
check "--check of a key with control characters" expect_exit 2 "$VMTUI" \
    --check ctl
check "... no control character reaches the terminal" clean "$WORK/err"
check "... shown escaped" grep -qF "'x\\x1b]0;PWNED\\x07y'" "$WORK/err"
check "--list with them" expect_exit 0 "$VMTUI" --list
check "... no control character reaches the terminal" clean "$WORK/out"
check "... the key escaped" grep -qF "'x\\x1b]0;PWNED\\x07y'" "$WORK/out"
check "... a file name escaped" grep -qF 'c\x1b[2Jd' "$WORK/out"
rm -f "$P/ctl.conf" "$P/$(printf 'c\033[2Jd').conf"

check "--print-script" expect_exit 0 "$VMTUI" --print-script good
check "the script is a script" sh -n "$WORK/out"
check "the script starts with #!/bin/sh" sh -c 'head -n1 "$1" | grep -qx "#!/bin/sh"' \
    sh "$WORK/out"
check "--print-script of an invalid profile" expect_exit 2 "$VMTUI" \
    --print-script broken
check "nothing printed for an invalid profile" test ! -s "$WORK/out"

mkdir -p "$WORK/cwd"
check "--write-script" sh -c 'cd "$1/cwd" && "$2" --write-script good \
    >/dev/null' sh "$WORK" "$VMTUI"
check "--write-script writes run-NAME-vm" test -x "$WORK/cwd/run-good-vm"
check "mode 0755" sh -c '[ "$(stat -c %a "$1")" = 755 ]' sh \
    "$WORK/cwd/run-good-vm"
"$VMTUI" --print-script good >"$WORK/printed"
check "--write-script writes what --print-script prints" \
    same_file "$WORK/printed" "$WORK/cwd/run-good-vm"
check "--write-script -o" expect_exit 0 "$VMTUI" --write-script good \
    -o "$WORK/my script"
check "-o names the file" same_file "$WORK/printed" "$WORK/my script"
check "--write-script into a missing folder" expect_exit 1 "$VMTUI" \
    --write-script good -o "$WORK/no/such/dir/x"
check "the failure is explained" grep -q "cannot save" "$WORK/err"

check "--list" expect_exit 0 "$VMTUI" --list
check "--list shows the good one" grep -Eq '^good +512M +2 +kernel +stopped$' \
    "$WORK/out"
check "--list shows the broken one with its error" grep -q \
    "^broken .*broken.conf: nothing to boot" "$WORK/out"
rm -rf "$XDG_CONFIG_HOME"
check "--list with no profiles" expect_exit 0 "$VMTUI" --list
check "--list says there are none" grep -q "no profiles yet" "$WORK/out"

finish
