#!/bin/sh
# vmtui --set and --unset keep what the person wrote: over a corpus of
# hand-written profiles (comments everywhere, odd spacing, single quotes,
# sections in unusual order, defaults spelled out, keys left out), each
# --set of one key changes only that key's line (or adds one line), and
# setting it back (or --unset of a key that was left out) gives the file
# back byte for byte. Bad values change nothing and say FILE: KEY: why.
. "$TOP_SRCDIR/tests/lib.sh"

R=$DATA/roundtrip
D=$WORK/p
mkdir -p "$D"
cp "$DATA/golden/vmlinuz" "$DATA/golden/initrd.gz" "$D/"

# put FROM TO: a copy of a fixture, writable (a distcheck's are not).
put() {
	cp -f "$1" "$2"
	chmod 0600 "$2"
}

# changed FILE: the lines diff reports as removed and added, counted.
changed() {
	diff "$R/$1" "$D/$1" >"$WORK/diff" || true
	printf '%s %s\n' "$(grep -c '^<' "$WORK/diff")" \
	    "$(grep -c '^>' "$WORK/diff")"
}

# one FILE KEY NEW OLD|-: set KEY to NEW: one line changes (OLD) or one is
# added (-); then back to OLD, or unset: the file as it was.
one() {
	put "$R/$1" "$D/$1"
	if ! "$VMTUI" --set "$D/$1" "$2=$3" 2>"$WORK/err"; then
		cat "$WORK/err" >&2
		fail "$1: --set $2=$3"
		return
	fi
	got=$(changed "$1")
	if [ "$4" = - ]; then want="0 1"; else want="1 1"; fi
	if [ "$got" = "$want" ] && ! grep -q "written out whole" "$WORK/err"
	then
		pass "$1: --set $2 changes only its line"
	else
		cat "$WORK/diff" >&2
		fail "$1: --set $2 changes only its line (got $got)"
	fi
	if [ "$4" = - ]; then
		"$VMTUI" --unset "$D/$1" "$2" 2>"$WORK/err" || cat "$WORK/err" >&2
	else
		"$VMTUI" --set "$D/$1" "$2=$4" 2>"$WORK/err" || cat "$WORK/err" >&2
	fi
	check "$1: ... and back, byte for byte" same_file "$R/$1" "$D/$1"
}

one readme.conf memory 2048 1024
one readme.conf cores 4 2
one readme.conf root-disk.size 8192 4096
one readme.conf vlans "1 2" 1
one readme.conf boot.kernel initrd.gz vmlinuz
one readme.conf boot.initrd vmlinuz initrd.gz
one readme.conf description "a test" -
one readme.conf boot.append "console=ttyS0 quiet" -
one readme.conf guest-agent false -
one readme.conf boot.mode disk kernel

one spelled.conf memory 1024 512
one spelled.conf cores 2 1
one spelled.conf description 'it says "hi"' 'a machine with "quotes" in it'
one spelled.conf accel tcg auto
one spelled.conf graphics true false
one spelled.conf boot.append "" quiet
one spelled.conf boot.kernel initrd.gz vmlinuz
one spelled.conf qemu.msize 8192 16384
one spelled.conf qemu.options "-no-hpet -no-acpi" "-no-hpet"
one spelled.conf disk.scratch.size 512 256
one spelled.conf disk.scratch.ephemeral false true
one spelled.conf "forward[0].host-port" 5354 5353
one spelled.conf "forward[0].proto" tcp udp
one spelled.conf virtio-keyboard false -
one spelled.conf boot.consoles ttyS0 -
one spelled.conf qemu.binary qemu-system-x86_64 -

one comments.conf memory 1024 768
one comments.conf cores 1 2
one comments.conf boot.mode uefi kernel
one comments.conf restrict-network true -
one comments.conf boot.initrd initrd.gz -

one cloud.conf cloud-init.user bob alice
one cloud.conf cloud-init.timezone UTC Europe/Berlin
one cloud.conf cloud-init.hostname box -
one cloud.conf cloud-init.password "pa ss" -
one cloud.conf cloud-init.commands "echo\\x20bye" "echo\\x20hello"


# Every key of the profile and of root-disk, boot and qemu that takes a
# simple other value (a bool flipped, a number + 16, an empty string
# "x"): only its line changes, and back (or --unset) gives the bytes.
sweep() {
	put "$R/$1" "$D/$1"
	"$VMTUI" --print-profile "$D/$1" --full | awk '
	    /^[a-z-]+ \{$/ { sec = $1 "."; next }
	    /^\}/ { sec = ""; next }
	    /^ *[a-z-]+ = / {
		k = $1; sub(/^ */, "", k)
		v = $0; sub(/^ *[a-z-]+ = /, "", v); sub(/\t.*/, "", v)
		print sec k "\t" v
	    }' | while IFS="$(printf '\t')" read -r key val; do
		case $key in
		disk.*|share.*|forward.*|name|version) continue ;;
		esac
		case $val in
		true) new=false old=true ;;
		false) new=true old=false ;;
		'""') new=x old= ;;
		*[!0-9]*|'') continue ;;
		*) new=$((val + 16)) old=$val ;;
		esac
		put "$R/$1" "$D/$1"
		"$VMTUI" --set "$D/$1" "$key=$new" 2>/dev/null || continue
		name=${key##*.}
		if grep -Eq "(^|[ {	])$name[ 	]*=" "$R/$1"; then
			back="--set"
		else
			back="--unset"
		fi
		got=$(changed "$1")
		case "$back $got" in
		"--set 1 1"|"--unset 0 1"|"--unset 0 4") ;;
		"--unset 1 1") echo "sweep $1 $key: inline" >>"$WORK/sweep"
			continue ;;
		*) echo "FAIL $1 $key=$new: $got" >>"$WORK/sweep"
			continue ;;
		esac
		if [ "$back" = --set ]; then
			"$VMTUI" --set "$D/$1" "$key=$old" 2>/dev/null
		else
			"$VMTUI" --unset "$D/$1" "$key" 2>/dev/null
		fi
		if cmp -s "$R/$1" "$D/$1"; then
			echo "ok $1 $key" >>"$WORK/sweep"
		else
			echo "FAIL $1 $key: not back" >>"$WORK/sweep"
		fi
	done
}
: >"$WORK/sweep"
for f in readme.conf spelled.conf comments.conf sparse.conf cloud.conf \
    multiline.conf; do
	sweep "$f"
done
check "the sweep over every simple key changed only their lines" \
    sh -c '! grep "^FAIL" "$1" >&2' sh "$WORK/sweep"
check "... and tried many of them" sh -c \
    '[ "$(grep -c "^ok" "$1")" -ge 40 ]' sh "$WORK/sweep"

# A section on one line: a key left out goes in before its '}'.
put "$R/sparse.conf" "$D/sparse.conf"
"$VMTUI" --set "$D/sparse.conf" boot.initrd=initrd.gz
check "sparse.conf: a key into a section on one line" grep -qx \
    'boot { kernel = "vmlinuz" initrd = "initrd.gz" }' "$D/sparse.conf"
check "... the only line that changed" sh -c \
    '[ "$(diff "$1" "$2" | grep -c "^[<>]")" = 2 ]' sh "$R/sparse.conf" \
    "$D/sparse.conf"

# What the person wrote stays where nothing changed.
put "$R/comments.conf" "$D/comments.conf"
"$VMTUI" --set "$D/comments.conf" memory=1024 cores=1 boot.append=quiet
check "several keys at once: each on its line" sh -c \
    '[ "$(diff "$1" "$2" | grep -c "^[<>]")" = 5 ]' sh "$R/comments.conf" \
    "$D/comments.conf"
check "... the comment after a value stays" grep -qx \
    "memory = 1024  # enough" "$D/comments.conf"
check "... the first line too" grep -qx "#!/usr/bin/env vmtui" "$D/comments.conf"
check "... every comment line stays" sh -c \
    '[ "$(grep -c "^ *#" "$1")" = "$(grep -c "^ *#" "$2")" ]' sh \
    "$R/comments.conf" "$D/comments.conf"

# --unset removes the key with its own comment lines.
put "$R/comments.conf" "$D/comments.conf"
check "--unset of a key" expect_exit 0 "$VMTUI" --unset "$D/comments.conf" cores
check "... its line and its comment are gone" sh -c \
    '! grep -q "cores" "$1" && ! grep -q "# how many" "$1"' sh "$D/comments.conf"
check "... the rest as it was" sh -c \
    '[ "$(diff "$1" "$2" | grep -c "^<")" = 2 ] &&
     [ "$(diff "$1" "$2" | grep -c "^>")" = 0 ]' sh "$R/comments.conf" \
    "$D/comments.conf"
check "... and it reads as the default" sh -c \
    '"$1" --check "$2" | grep -q "1 core)"' sh "$VMTUI" "$D/comments.conf"

# A key on a line shared with others: its value changed where it is, the
# rest of the line (the other key, the comment) and of the file as it was.
put "$R/readme.conf" "$D/readme.conf"
"$VMTUI" --set "$D/readme.conf" forward[0].host-port=2223 2>"$WORK/err"
check "a key on a shared line: changed where it is" grep -qx \
    "forward { host-port = 2223  guest-port = 22 }   # 127.0.0.1:2222 -> :22" \
    "$D/readme.conf"
check "... without the defaults it never had" sh -c \
    '! grep -q "host-address" "$1"' sh "$D/readme.conf"
check "... the other lines untouched" sh -c \
    '[ "$(diff "$1" "$2" | grep -c "^[<>]")" = 2 ]' sh "$R/readme.conf" \
    "$D/readme.conf"

# A section the file does not have is added at its end, holding the key.
put "$R/sparse.conf" "$D/sparse.conf"
"$VMTUI" --set "$D/sparse.conf" qemu.msize=8192
check "a key of a missing section: the section added" sh -c \
    'tail -n 3 "$1" | tr -d "\n" | grep -qx "qemu {  msize = 8192}"' sh \
    "$D/sparse.conf"
check "... the file before it as it was" sh -c \
    'head -c "$(wc -c <"$2")" "$1" | cmp -s - "$2"' sh "$D/sparse.conf" \
    "$R/sparse.conf"

# A file without a name (named by its file): the name is written down, as
# a save's temporary file would name it otherwise.
printf 'memory = 512\nboot { kernel = "vmlinuz" }\n' >"$D/nameless.conf"
check "a profile without a name line" expect_exit 0 "$VMTUI" --set \
    "$D/nameless.conf" memory=768
check "... gets one, after its keys" sh -c \
    '[ "$(cat "$1")" = "$(printf "memory = 768\nname = \"nameless\"\nboot { kernel = \"vmlinuz\" }")" ]' \
    sh "$D/nameless.conf"

# Bad values: every one said, nothing written.
put "$R/readme.conf" "$D/readme.conf"
check "bad values are refused" expect_exit 2 "$VMTUI" --set "$D/readme.conf" \
    memory=1 cores=x nosuch=1 share.nope.readonly=true 'forward[3].host-port=1' \
    'boot.append=a"b' name=other
check "... memory's range, at its line" grep -qF \
    "$D/readme.conf:4: memory=1: memory must be from 16" "$WORK/err"
check "... an unknown key" grep -qF "nosuch: no such key" "$WORK/err"
check "... a row that is not there" grep -qF 'there is no share "nope"' "$WORK/err"
check "... the name is the file's" grep -qF "rename the machine" "$WORK/err"
check "... nothing changed" same_file "$R/readme.conf" "$D/readme.conf"
check "a rule across keys is refused too" expect_exit 2 "$VMTUI" --set \
    "$D/readme.conf" boot.mode=cdrom
check "... nothing changed" same_file "$R/readme.conf" "$D/readme.conf"
check "--set needs KEY=VALUE" expect_exit 2 "$VMTUI" --set "$D/readme.conf" memory
check "--unset of a row's key is refused" expect_exit 2 "$VMTUI" --unset \
    "$D/readme.conf" share.data.readonly
check "--unset of the name is refused" expect_exit 2 "$VMTUI" --unset \
    "$D/readme.conf" name
check "... nothing changed" same_file "$R/readme.conf" "$D/readme.conf"

# A hostile value is written so that it reads back as it was.
put "$R/readme.conf" "$D/readme.conf"
check "a value with quotes, \$ and a backslash" expect_exit 0 "$VMTUI" --set \
    "$D/readme.conf" 'description=a "b" $(c) ${HOME} \d'
check "... reads back the same" sh -c \
    '"$1" --set "$2" "description=a \"b\" \$(c) \${HOME} \\d" &&
     [ "$(grep -c description "$2")" = 1 ]' sh "$VMTUI" "$D/readme.conf"

# A changed value keeps the comment after it; a key the file leaves out
# goes in after its siblings; nothing else is written (no defaults).
printf 'version = 1\nname = "c6"\nmemory = 512 # mib\nboot { kernel = "vmlinuz" }\n' \
    >"$D/c6.conf"
cp "$D/c6.conf" "$WORK/c6.before"
check "a value and a key left out, at once" expect_exit 0 "$VMTUI" --set \
    "$D/c6.conf" memory=600 cores=2
check "... patched, not written out whole" sh -c \
    '! grep -q "written out whole" "$1"' sh "$WORK/err"
check "... the comment after the value kept" grep -qx "memory = 600 # mib" \
    "$D/c6.conf"
check "... one line changed, one added: no defaults" sh -c \
    '[ "$(diff "$1" "$2" | grep -c "^<")" = 1 ] &&
     [ "$(diff "$1" "$2" | grep -c "^>")" = 2 ] &&
     grep -A1 "^memory" "$2" | tail -n 1 | grep -qx "cores = 2"' sh \
    "$WORK/c6.before" "$D/c6.conf"

# A comment or a string over several lines does not stop the patching.
printf 'version = 1\nname = "ml"\n/* a comment\n   over lines */\ndescription = "two\nlines"  # two\nmemory = 512\nboot { kernel = "vmlinuz" }\n' \
    >"$D/ml.conf"
cp "$D/ml.conf" "$WORK/ml.before"
check "a file with a comment and a string over lines: --set" expect_exit 0 \
    "$VMTUI" --set "$D/ml.conf" memory=1024
check "... changes only the memory's line" sh -c \
    '[ "$(diff "$1" "$2" | grep -c "^[<>]")" = 2 ] &&
     grep -qx "memory = 1024" "$2"' sh "$WORK/ml.before" "$D/ml.conf"
check "the string over lines itself" expect_exit 0 "$VMTUI" --set \
    "$D/ml.conf" description=one
check "... its lines become one, its comment kept" sh -c \
    'grep -qx "description = \"one\"  # two" "$1" &&
     ! grep -q "^lines" "$1" && grep -q "over lines" "$1"' sh "$D/ml.conf"
check "... and nothing else changed" sh -c \
    '[ "$(diff "$1" "$2" | grep -c "^[<>]")" = 5 ]' sh "$WORK/ml.before" \
    "$D/ml.conf"

# A file with CRLF line ends keeps them, in the lines added too.
printf 'version = 1\r\nname = "crlf"\r\nmemory = 512\r\nboot {\r\n  kernel = "vmlinuz"\r\n}\r\n' \
    >"$D/crlf.conf"
check "a CRLF file: --set of keys in it and left out" expect_exit 0 \
    "$VMTUI" --set "$D/crlf.conf" memory=1024 cores=2 boot.append=quiet
check "... every line still ends in CRLF" sh -c \
    '[ "$(grep -c "$(printf "\r")\$" "$1")" = "$(wc -l <"$1")" ] &&
     [ "$(wc -l <"$1")" = 8 ]' sh "$D/crlf.conf"

# A section on one line takes one key, then another (no crash).
put "$R/sparse.conf" "$D/sparse.conf"
check "sparse.conf: boot.append into a section on one line" expect_exit 0 \
    "$VMTUI" --set "$D/sparse.conf" boot.append=quiet
check "... then boot.initrd" expect_exit 0 "$VMTUI" --set "$D/sparse.conf" \
    boot.initrd=initrd.gz
check "... both on its line" grep -qx \
    'boot { kernel = "vmlinuz" append = "quiet" initrd = "initrd.gz" }' \
    "$D/sparse.conf"

# Words of the command line: spaces around the key and the '=', a row
# that is not there, a row removed.
put "$R/readme.conf" "$D/readme.conf"
check "'memory = 2048': spaces around the '=' are fine" expect_exit 0 \
    "$VMTUI" --set "$D/readme.conf" 'memory = 2048' ' description=  a b  '
check "... the memory set" grep -q "^memory  = 2048 " "$D/readme.conf"
check "... the value's own spaces kept, those after '=' not" grep -qx \
    'description = "a b  "' "$D/readme.conf"
check "a row number that is not there" expect_exit 2 "$VMTUI" --set \
    "$D/readme.conf" 'forward[-1].host-port=1'
check "... said plainly" grep -q "no forward number -1 (there is 1" \
    "$WORK/err"
printf 'version = 1\nname = "rows"\nboot { kernel = "vmlinuz" }\n# one\nforward { host-port = 2001  guest-port = 1 }\n# two\nforward { host-port = 2002  guest-port = 2 }\n# three\nforward { host-port = 2003  guest-port = 3 }\ndisk "a" { size = 1 }\ndisk "b" { size = 2 }\n' \
    >"$D/rows.conf"
check "--unset of a row" expect_exit 0 "$VMTUI" --unset "$D/rows.conf" \
    'forward[1]'
check "... that row and its comment gone, the others kept" sh -c \
    '! grep -q "2002\|# two" "$1" && grep -q 2001 "$1" && grep -q 2003 "$1"' \
    sh "$D/rows.conf"
check "... the renumbering said" grep -q "forward\[2\] is now forward\[1\]" \
    "$WORK/err"
check "--unset of a disk by its title" expect_exit 0 "$VMTUI" --unset \
    "$D/rows.conf" disk.a
check "... gone, the other kept" sh -c '! grep -q "disk \"a\"" "$1" &&
    grep -q "disk \"b\"" "$1"' sh "$D/rows.conf"

# More cores than the host has: taken (TCG runs them), with a warning.
many=$(($(nproc) + 1))
check "cores=$many on a $(nproc)-CPU host: saved" expect_exit 0 "$VMTUI" \
    --set "$D/readme.conf" "cores=$many"
check "... with a warning" grep -q "warning: .*$many cores.* $(nproc) CPU" \
    "$WORK/err"
check "--check says it too" expect_exit 0 "$VMTUI" --check "$D/readme.conf"
check "... on stderr" grep -q "warning: .*$many cores" "$WORK/err"

# A size with its unit, written by hand: taken; a bad one is said and the
# lines after it are still read.
printf 'version = 1\nname = "sz"\nmemory = 2G\nroot-disk { size = "8 GiB" }\nboot { kernel = "vmlinuz" }\n' \
    >"$D/sz.conf"
check "memory = 2G by hand: taken" expect_exit 0 "$VMTUI" --check "$D/sz.conf"
check "... as 2048 MiB" grep -q "2048 MiB" "$WORK/out"
printf 'version = 1\nname = "sz"\nmemory = 20X\ncores = 0\nnosuch = 1\nboot { kernel = "vmlinuz" }\n' \
    >"$D/sz.conf"
check "memory = 20X: refused" expect_exit 2 "$VMTUI" --check "$D/sz.conf"
check "... saying what is wrong at its line" grep -q \
    "sz.conf:3: memory: .*20X.*units" "$WORK/err"
check "... and the next lines' problems too" sh -c \
    'grep -q "sz.conf:4: cores must be" "$1" &&
     grep -q "sz.conf:5: unknown key .nosuch." "$1"' sh "$WORK/err"

# --print-profile --full says what a save does now.
check "--print-profile --full" expect_exit 0 "$VMTUI" --print-profile \
    "$D/readme.conf" --full
check "... does not say a save writes the file again" sh -c \
    '! grep -q "writes this file again" "$1"' sh "$WORK/out"

# By name from an empty HOME (no folders at all): said, nothing made.
check "--set of a profile a new user does not have" expect_exit 2 "$VMTUI" \
    --set readme memory=2048
check "... says so, and where the list is" grep -qF \
    'no profile named "readme"; "vmtui --list" shows them' "$WORK/err"
check "--unset too" expect_exit 2 "$VMTUI" --unset readme cores
check "--print-profile too" expect_exit 2 "$VMTUI" --print-profile readme
check "... no folder was made" sh -c '[ -z "$(ls -A "$1")" ] &&
    [ ! -e "$2" ]' sh "$HOME" "$XDG_CONFIG_HOME"

# A profile in the profiles folder, by name.
fixtures
put "$R/readme.conf" "$P/readme.conf"
chmod 0640 "$P/readme.conf"
cp "$DATA/golden/vmlinuz" "$DATA/golden/initrd.gz" "$P/"
check "by name" expect_exit 0 "$VMTUI" --set readme memory=2048
check "... its mode kept" test "$(stat -c %a "$P/readme.conf")" = 640
check "a profile that is not there" expect_exit 2 "$VMTUI" --set nosuch memory=1

# The editor saves the same way: open, change the memory, F2: one line.
if command -v tmux >/dev/null; then
	T="tmux -L vmtui-roundtrip-$$"
	trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
	put "$R/readme.conf" "$P/readme.conf"
	for size in "100 30" "80 24"; do
		TMUX_SIZE=$size
		put "$R/readme.conf" "$P/readme.conf"
		start
		see "readme" >/dev/null
		keys Enter
		see "Editing readme" >/dev/null
		keys Down Down C-u 2 0 4 8 Down F2
		check "editor ($size): F2 saves" see "saved $P/readme.conf"
		check "... changing the memory's line alone" sh -c \
		    '[ "$(diff "$1" "$2" | grep -c "^[<>]")" = 2 ] &&
		     grep -qx "memory  = 2048              # MiB" "$2"' sh \
		    "$R/readme.conf" "$P/readme.conf"
		# a row added: its lines after its kind's last, the rest kept;
		# its host port is the one the editor proposes (a free one:
		# whatever else on this machine holds, never a fixed number)
		keys NPage NPage NPage F3
		port=
		i=0
		while [ -z "$port" ] && [ "$i" -lt 50 ]; do
			port=$(screen | sed -n \
			    's/.*host  *tcp  *127\.0\.0\.1  *\([0-9][0-9]*\) .*/\1/p' |
			    sed -n 2p)
			[ -n "$port" ] || sleep 0.1
			i=$((i + 1))
		done
		check "editor ($size): a forward added, a host port proposed" \
		    test -n "$port"
		keys F2
		check "editor ($size): a forward added and saved" \
		    see "saved $P/readme.conf"
		check "... after the first, nothing else removed" sh -c \
		    '[ "$(diff "$1" "$2" | grep -c "^<")" = 1 ] &&
		     [ "$(grep -c "^forward" "$2")" = 2 ] &&
		     grep -A1 "^forward { host-port = 2222" "$2" | tail -n 1 |
		     grep -qx "forward {"' sh "$R/readme.conf" "$P/readme.conf"
		check "... with the port proposed" grep -qx "  host-port = $port" \
		    "$P/readme.conf"
		keys Escape
		see "readme" >/dev/null
		# a copy keeps what was written: only the name changes
		rm -f "$P/readme2.conf"
		keys c
		see "Copy readme to the name:" >/dev/null
		$T send-keys -t t -l readme2
		keys Enter
		see "Copy the disk images" 3 >/dev/null 2>&1 && keys n
		check "copy ($size): the copy is made" see "copied readme as readme2"
		check "... with the comments, only the name (and its port) changed" \
		    sh -c 'diff "$1" "$2" | grep "^>" | grep -v "host-port\|^> *$\|forward\|guest-port\|^> *}\|# 127" |
		    grep -qx "> name    = \"readme2\""' sh "$P/readme.conf" \
		    "$P/readme2.conf"
		check "... every comment kept" sh -c \
		    '[ "$(grep -c "#" "$1")" = "$(grep -c "#" "$2")" ]' sh \
		    "$P/readme.conf" "$P/readme2.conf"
		keys q
		$T kill-server 2>/dev/null || true
	done
else
	echo "tmux is not installed: the editor's part is left out" >&2
fi

finish
