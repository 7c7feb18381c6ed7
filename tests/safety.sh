#!/bin/sh
# Data safety from the command line, as a new user and as an attacker would
# try it: an empty HOME, files that must not be replaced, symlinks and
# folders planted by another user (a second user made here, as root),
# umask 000, HOME unset, the temp folder of a run.
. "$TOP_SRCDIR/tests/lib.sh"

P=$XDG_CONFIG_HOME/vmtui/profiles

# --- a new user: nothing exists yet ------------------------------------------
check "HOME starts empty" sh -c '[ -z "$(ls -A "$1")" ]' sh "$HOME"
check "no profiles folder yet" test ! -e "$XDG_CONFIG_HOME"
check "--list on an empty HOME" expect_exit 0 "$VMTUI" --list
check "... says there are none" grep -q "no profiles yet" "$WORK/out"
check "--check of a name on an empty HOME" expect_exit 2 "$VMTUI" --check x
check "... explains" grep -q 'no profile named "x"' "$WORK/err"
check "--list made no folders" test ! -e "$XDG_CONFIG_HOME"
# every command that takes a profile's name, by a new user: exit 2, the
# name said, nothing made (no folder in HOME or the XDG places)
for a in "--export libvirt" --define --attach --stop --launch --write-script \
    --print-script --print-profile "--unset" "--set" --snapshot --forward \
    --remove; do
	case $a in
	--forward) args="x 2222:22" ;;
	--remove) a=--forward args="x --remove 2222" ;;
	--unset) args="x memory" ;;
	--set) args="x memory=512" ;;
	--snapshot) args="x list" ;;
	*) args=x ;;
	esac
	# shellcheck disable=SC2086 # $a and $args are words
	check "$a of a name on an empty HOME: exit 2" expect_exit 2 "$VMTUI" \
	    $a $args </dev/null
	check "... the name said" grep -q 'no profile named "x"' "$WORK/err"
done
check "--keys on an empty HOME" expect_exit 0 "$VMTUI" --keys
# (the shipped catalog: a VPATH build has none beside the program)
check "--install --list on an empty HOME" expect_exit 0 env \
    VMTUI_CATALOG_DIR="$TOP_SRCDIR/catalog" "$VMTUI" --install --list
check "... lists the catalog" grep -q "debian-12" "$WORK/out"
check "none of them made a folder" sh -c '[ -z "$(ls -A "$1")" ] &&
    [ ! -e "$2" ] && [ ! -e "$3" ] && [ ! -e "$4" ]' sh "$HOME" \
    "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME"

# a profile outside the profiles folder, used below
D=$WORK/machines
mkdir "$D"
cp "$DATA/golden/vmlinuz" "$DATA/golden/initrd.gz" "$D/"
cat >"$D/good.conf" <<'END'
memory = 64
boot {
  kernel = "vmlinuz"
}
END
"$VMTUI" --print-script "$D/good.conf" >"$WORK/printed"

# --- 4: --write-script -o replaces only its own scripts --------------------------
printf 'memory = 128\n' >"$D/notes.conf"
cp "$D/notes.conf" "$WORK/notes.before"
check "-o over a profile is refused" expect_exit 1 "$VMTUI" --write-script \
    "$D/good.conf" -o "$D/notes.conf"
check "... saying why" grep -q "not a launch script written by vmtui" \
    "$WORK/err"
check "... and the file is untouched" same_file "$WORK/notes.before" \
    "$D/notes.conf"
printf 'QFI\373 disk image' >"$D/disk.img"
check "-o over a disk image is refused" expect_exit 1 "$VMTUI" \
    --write-script "$D/good.conf" -o "$D/disk.img"
check "... untouched" grep -q "disk image" "$D/disk.img"
mkfifo "$D/fifo"
check "-o over a FIFO is refused (and does not block)" expect_exit 1 \
    timeout 5 "$VMTUI" --write-script "$D/good.conf" -o "$D/fifo"
check "... it is still a FIFO" test -p "$D/fifo"
# a device node of our own (as root -o /dev/null would replace the device)
if [ "$(id -u)" -eq 0 ] && mknod "$D/null" c 1 3; then
	check "-o a device node as root is refused" expect_exit 1 "$VMTUI" \
	    --write-script "$D/good.conf" -o "$D/null" --force
	check "... it is still a device" test -c "$D/null"
fi
check "-o over a folder is refused" expect_exit 1 "$VMTUI" --write-script \
    "$D/good.conf" -o "$D"
check "-o a new file" expect_exit 0 "$VMTUI" --write-script "$D/good.conf" \
    -o "$D/run"
check "-o over its own script again" expect_exit 0 "$VMTUI" --write-script \
    "$D/good.conf" -o "$D/run"
check "... is the script" same_file "$WORK/printed" "$D/run"
check "--force replaces a regular file" expect_exit 0 "$VMTUI" \
    --write-script "$D/good.conf" -o "$D/notes.conf" --force
check "... with the script" same_file "$WORK/printed" "$D/notes.conf"
check "--force does not replace a FIFO" expect_exit 1 timeout 5 "$VMTUI" \
    --write-script "$D/good.conf" -o "$D/fifo" --force
check "--force goes with --write-script or --stop" expect_exit 2 "$VMTUI" \
    --list --force

# --- 5: a save sweeps only its own temp files ----------------------------------
printf 'mine\n' >"$D/.notes.backup"
printf 'mine\n' >"$D/.run.backup"
check "-o d/run with .run.backup beside it" expect_exit 0 "$VMTUI" \
    --write-script "$D/good.conf" -o "$D/run"
check "... .run.backup survives" grep -q mine "$D/.run.backup"
check "... .notes.backup survives" grep -q mine "$D/.notes.backup"

# --- 9: ${VAR} after a word, a key given twice ----------------------------------
cat >"$D/env.conf" <<'END'
boot {
  kernel = "vmlinuz"
  append = *${SECRET}
}
END
check "\${VAR} inside a bare word is refused" expect_exit 2 env SECRET=hunter2 \
    "$VMTUI" --check "$D/env.conf"
check "... with its line" grep -q "env.conf:3: \"\${\" would be replaced" \
    "$WORK/err"
check "... and the secret is never in a script" sh -c \
    '! SECRET=hunter2 "$1" --print-script "$2" 2>&1 | grep -q hunter2' sh \
    "$VMTUI" "$D/env.conf"
cat >"$D/twice.conf" <<'END'
forward {
  host-port = 2222
  guest-port = 22
  host-address = "127.0.0.1"
  host-address = "0.0.0.0"
}
boot { kernel = "vmlinuz" }
END
check "a key given twice in a section is refused" expect_exit 2 "$VMTUI" \
    --check "$D/twice.conf"
check "... naming both lines" grep -q \
    "twice.conf:5: 'host-address' is set twice (first on line 4)" \
    "$WORK/err"
printf 'memory = 64\nmemory = 128\nboot { kernel = "vmlinuz" }\n' \
    >"$D/twice2.conf"
check "a top-level key given twice is refused" expect_exit 2 "$VMTUI" \
    --check "$D/twice2.conf"
printf 'qemu {\n  options = {"-a"}\n  options += {"-b"}\n}\nboot { kernel = "vmlinuz" }\n' \
    >"$D/append.conf"
check "+= to a list is still fine" expect_exit 0 "$VMTUI" --check \
    "$D/append.conf"

# --- 10: one identity: in the profiles folder the name is the file's -----------
mkdir -p "$P"
cp "$DATA/golden/vmlinuz" "$P/"
printf 'name = "inner"\nboot { kernel = "vmlinuz" }\n' >"$P/outer.conf"
check "a name other than the file's is refused" expect_exit 2 "$VMTUI" \
    --check outer
check "... saying what to do" grep -q \
    'outer.conf:1: name "inner" is not the file'"'"'s name (outer)' \
    "$WORK/err"
check "--list shows it broken" expect_exit 0 "$VMTUI" --list
check "... under its file's name" grep -q '^outer .* broken ' "$WORK/out"
printf 'name = "same"\nboot { kernel = "vmlinuz" }\n' >"$P/same.conf"
check "the same name is fine" expect_exit 0 "$VMTUI" --check same
rm -f "$P/outer.conf" "$P/same.conf"

# --- 11: HOME unset, umask 000 ---------------------------------------------------
cat >"$D/tilde.conf" <<'END'
root-disk { image = "~/vm.qcow2" }
END
pwhome=$(getent passwd "$(id -u)" | cut -d: -f6)
check "HOME unset: ~ is the passwd home" sh -c 'env -u HOME "$1" \
    --print-script "$2" | grep -q "$3/vm.qcow2"' sh "$VMTUI" "$D/tilde.conf" \
    "$pwhome"
check "... never the profile's folder" sh -c '! env -u HOME "$1" \
    --print-script "$2" | grep -q "machines/~"' sh "$VMTUI" "$D/tilde.conf"
cat >"$D/um.conf" <<'END'
root-disk { size = 64 }
disk "scratch" { size = 16 }
boot { kernel = "vmlinuz" }
END
check "umask 000: --write-script" sh -c 'umask 000 && "$1" --write-script \
    "$2" -o "$3" >/dev/null' sh "$VMTUI" "$D/um.conf" "$WORK/run-um"
check "... the script is 0755, never writable by others" sh -c \
    '[ "$(stat -c %a "$1")" = 755 ]' sh "$WORK/run-um"
check "umask 000: the script runs" sh -c 'umask 000 && sh "$1" >/dev/null \
    2>&1' sh "$WORK/run-um"
# the data folder: where the script makes the root disk
UM=$(sed -n "s/^VMTUI_DISK_IMAGE=\${VMTUI_DISK_IMAGE:-'\(.*\)'}\$/\1/p" \
    "$WORK/run-um")
UM=${UM%/*}
check "... the data folder is private (0700)" sh -c \
    '[ "$(stat -c %a "$1")" = 700 ]' sh "$UM"
check "... the images are private (0600)" sh -c '[ "$(stat -c %a \
    "$1/root.qcow2")" = 600 ] && [ "$(stat -c %a "$1/scratch.qcow2")" = 600 ]' \
    sh "$UM"

# --- 12: the temp folder of a run goes when the machine ends ---------------------
cat >"$D/eph.conf" <<'END'
exchange-dir = true
disk "scratch" { size = 16  ephemeral = true }
boot { kernel = "vmlinuz" }
END
mkdir "$WORK/tmp"
check "--launch --no-tui with an ephemeral disk" expect_exit 0 env \
    TMPDIR="$WORK/tmp" "$VMTUI" --launch "$D/eph.conf" --no-tui
check "... QEMU was given the ephemeral disk" grep -q \
    "tmp/vmtui-eph\..*/scratch.qcow2" "$FAKE_LOG"
check "... and its temp folder is gone afterwards" sh -c \
    '[ -z "$(ls -A "$1")" ]' sh "$WORK/tmp"
check "the printed script stays standalone (it makes the folder itself)" \
    sh -c '"$1" --print-script "$2" | grep -q "mktemp -d"' sh "$VMTUI" \
    "$D/eph.conf"

# USE_TMPDIR with a shared TMPDIR: nothing found there is used
if second_user vmtui-tmp; then
	SH=$WORK/shtmp
	mkdir -m 1777 "$SH"
	chmod 1777 "$SH"
	chmod 0711 "$WORK"
	as_other sh -c ': >"$1"' sh "$SH/scratch.qcow2"
	as_other chmod 0666 "$SH/scratch.qcow2"
	as_other mkdir -m 0777 "$SH/xchg"
	check "USE_TMPDIR with a shared TMPDIR: the launch goes on" expect_exit 0 \
	    env TMPDIR="$SH" USE_TMPDIR=1 "$VMTUI" --launch "$D/eph.conf" \
	    --no-tui
	check "... never with the other user's disk" sh -c \
	    '! grep -q "file=$1/scratch.qcow2" "$2"' sh "$SH" "$FAKE_LOG"
	check "... nor the other user's folder" sh -c \
	    '! grep -q "path=$1/xchg," "$2"' sh "$SH" "$FAKE_LOG"
	check "... but a private folder of its own in it" grep -q \
	    "file=$SH/vmtui-eph\..*/scratch.qcow2" "$FAKE_LOG"
	user_gone "$OTHER"
fi

# --- 13: control characters in a profile's values ----------------------------
esc=$(printf '\033')
bel=$(printf '\007')
printf 'description = "a\\033]0;PWNED\\007b"\nboot { kernel = "vmlinuz" }\n' \
    >"$D/escd.conf"
check "a control character in description is refused" expect_exit 2 \
    "$VMTUI" --check "$D/escd.conf"
check "... FILE:LINE, what is wrong" grep -q \
    "escd.conf:1: description holds a control character" "$WORK/err"
check "... never raw on the terminal" sh -c '! grep -q "$1" "$2"' sh "$esc" \
    "$WORK/err"
printf 'boot {\n  kernel = "vmlinuz"\n  append = "quiet \\033]0;PWN\\007"\n}\n' \
    >"$D/esca.conf"
check "... and in boot.append" expect_exit 2 "$VMTUI" --print-script \
    "$D/esca.conf"
check "... on its line" grep -q "esca.conf:3: append holds a control" \
    "$WORK/err"
printf 'qemu { options = {"-device", "x\\302\\237y"} }\nboot { kernel = "vmlinuz" }\n' \
    >"$D/escc1.conf"
check "... and a C1 control (U+009F) in qemu.options" expect_exit 2 \
    "$VMTUI" --check "$D/escc1.conf"
printf 'description = "two\\nlines\\tand a tab"\nboot { kernel = "vmlinuz" }\n' \
    >"$D/lines.conf"
check "newlines and tabs in description are kept" expect_exit 0 "$VMTUI" \
    --check "$D/lines.conf"
check "... and the libvirt XML of it is well-formed" sh -c \
    '"$1" --export libvirt "$2" | xmllint --noout -' sh "$VMTUI" \
    "$D/lines.conf"
EF="$WORK/x${esc}]0;T${bel}y"
mkdir "$EF"
cp "$D/good.conf" "$D/vmlinuz" "$EF/"
# on a terminal (script(1) gives the command one)
onterm_raw() {
	script -qec "$VMTUI --print-script '$EF/good.conf'" /dev/null \
	    </dev/null >"$WORK/onterm" 2>&1
	grep -q "^exec" "$WORK/onterm" && ! grep -q "$esc" "$WORK/onterm"
}
check "--print-script to a terminal: no raw control characters" onterm_raw
check "... but to a pipe, the script as it is" sh -c \
    '"$1" --print-script "$2" | sh -n' sh "$VMTUI" "$EF/good.conf"

# --- 14: what a profile runs: raw QEMU options, another binary --------------------
cat >"$D/opts.conf" <<'END'
boot { kernel = "vmlinuz" }
qemu {
  options = { "-incoming", "exec:id >/dev/null" }
}
END
check "--check of a profile with raw QEMU options" expect_exit 0 "$VMTUI" \
    --check "$D/opts.conf"
check "... says so, listing them, on their line" grep -q \
    'opts.conf:3: warning: qemu.options.*-incoming.*exec:id >/dev/null' \
    "$WORK/err"
cat >"$D/bin.conf" <<'END'
boot { kernel = "vmlinuz" }
qemu { binary = "/tmp/not-qemu/qemu-system-x86_64" }
END
check "--check of a profile whose binary is not the QEMU on PATH" \
    expect_exit 0 "$VMTUI" --check "$D/bin.conf"
check "... names the binary" grep -q \
    'bin.conf:2: warning: qemu.binary runs /tmp/not-qemu/qemu-system-x86_64' \
    "$WORK/err"
check "the launch says the same" expect_exit 0 "$VMTUI" --launch \
    "$D/opts.conf" --no-tui
check "... listing the options" grep -q 'warning: qemu.options.*-incoming' \
    "$WORK/err"
cp "$D/good.conf" "$D/open.conf"
chmod 0666 "$D/open.conf"
check "a profile others may write is refused" expect_exit 2 "$VMTUI" \
    --check "$D/open.conf"
check "... saying why" grep -q "open.conf.*others may write" "$WORK/err"
chmod 0644 "$D/open.conf"

# --- 6, 7: another user's symlinks and folders (needs root) -----------------------
if ! second_user vmtui-other; then
	finish
	exit $?
fi
chmod 0711 "$WORK"

# 6: a symlink planted in a sticky world-writable folder
S=$WORK/sticky
mkdir "$S" && chmod 1777 "$S"
printf 'precious\n' >"$WORK/victim"
as_other ln -s "$WORK/victim" "$S/run-good-vm"
check "--write-script through another user's symlink is refused" sh -c \
    'cd "$1" && ! "$2" --write-script "$3" 2>"$4"' sh "$S" "$VMTUI" \
    "$D/good.conf" "$WORK/err"
check "... saying why" grep -q "symlink" "$WORK/err"
check "... and the target is untouched" grep -qx precious "$WORK/victim"
check "... the symlink is still there" test -L "$S/run-good-vm"
# our own symlink in our own private folder is written through
mkdir -m 0700 "$WORK/own"
"$VMTUI" --write-script "$D/good.conf" -o "$WORK/own/real" >/dev/null
ln -s real "$WORK/own/link"
check "our own symlink in a private folder: written through" expect_exit 0 \
    "$VMTUI" --write-script "$D/good.conf" -o "$WORK/own/link"
check "... the link stays a link" test -L "$WORK/own/link"

# 6: console.log planted as a symlink in the state folder
GS=$(statedir "$D/good.conf")
mkdir -p "$GS"
ln -s "$WORK/victim" "$GS/console.log"
check "console.log as a planted symlink: the launch refuses" expect_exit 1 \
    "$VMTUI" --launch "$D/good.conf" --no-tui
check "... saying so" grep -q "console.log" "$WORK/err"
check "... and the file it points at is untouched" grep -qx precious \
    "$WORK/victim"
rm -f "$GS/console.log"

# 7: with XDG_RUNTIME_DIR unset, a /tmp/vmtui-UID of someone else's
OH=$WORK/otherhome
mkdir -p "$OH/m"
cp "$D/good.conf" "$D/vmlinuz" "$OH/m/"
chown -R "$ouid:$ouid" "$OH"
rm -rf "/tmp/vmtui-$ouid"
mkdir -m 0777 "/tmp/vmtui-$ouid"
chmod 0777 "/tmp/vmtui-$ouid"
run_other() {
	as_other env -u XDG_RUNTIME_DIR HOME="$OH" XDG_CONFIG_HOME="$OH/c" \
	    XDG_DATA_HOME="$OH/d" XDG_STATE_HOME="$OH/s" PATH="$PATH" \
	    FAKE_LOG="$OH/qemu.argv" FAKE_IMG_LOG="$OH/img.log" "$@"
}
# sticky /tmp: the user cannot remove it, so vmtui falls back to a private
# folder of the user's own, /tmp/vmtui-UID-XXXXXX (short, for QEMU's
# sockets), recorded in the cache, and says so
REC=$OH/.cache/vmtui/runtime-base
check "a foreign /tmp/vmtui-UID: the launch goes on" expect_exit 0 run_other \
    "$VMTUI" --launch "$OH/m/good.conf" --no-tui
FB=$(head -n 1 "$REC" 2>/dev/null || true)
check "... in a folder chosen and recorded" sh -c \
    'case $1 in "/tmp/vmtui-$2-"??????) ;; *) exit 1 ;; esac' sh "$FB" "$ouid"
check "... saying whose it is and where the files go instead" grep -q \
    "/tmp/vmtui-$ouid .*not yours.*$FB instead" "$WORK/err"
check "... never to remove what the user cannot remove" sh -c \
    '! grep -q "remove it" "$1"' sh "$WORK/err"
check "... and nothing was written there" sh -c '[ -z "$(ls -A "$1")" ]' sh \
    "/tmp/vmtui-$ouid"
check "... QEMU's sockets are in the fallback" grep -q \
    "^socket,id=qmp,path=$FB/vmtui/good@[0-9a-f]*/qmp.sock," "$OH/qemu.argv"
check "... made private (0700), the user's" sh -c '[ "$(stat -c %a:%u \
    "$1")" = "700:$2" ]' sh "$FB" "$ouid"
check "... the record too (0600)" sh -c '[ "$(stat -c %a:%u "$1")" = \
    "600:$2" ]' sh "$REC" "$ouid"
script_rundir() {
	run_other "$VMTUI" --print-script "$OH/m/good.conf" |
	    grep -q "^rundir='$FB/vmtui/good@"
}
check "... the script says the same" script_rundir
rm -rf "/tmp/vmtui-$ouid" "$FB"
ln -s "$OH" "/tmp/vmtui-$ouid"
check "a symlink as /tmp/vmtui-UID: the launch goes on" expect_exit 0 \
    run_other "$VMTUI" --launch "$OH/m/good.conf" --no-tui
FB=$(head -n 1 "$REC" 2>/dev/null || true)
check "... in a new fallback" test -d "$FB"
check "... never through the symlink" test ! -e "$OH/vmtui"
rm -f "/tmp/vmtui-$ouid"
check "the fallback is kept once the other user's folder has gone" \
    expect_exit 0 run_other "$VMTUI" --launch "$OH/m/good.conf" --no-tui
check "... QEMU's sockets are in it still" grep -q \
    "^socket,id=qmp,path=$FB/vmtui/good@" "$OH/qemu.argv"
# once the fallback has gone too (a reboot), /tmp/vmtui-UID again
rm -rf "$FB"
check "a fresh /tmp/vmtui-UID is made private" expect_exit 0 run_other \
    "$VMTUI" --launch "$OH/m/good.conf" --no-tui
check "... mode 0700, owned by the user" sh -c '[ "$(stat -c %a:%u "$1")" = \
    "700:$2" ]' sh "/tmp/vmtui-$ouid" "$ouid"
rm -rf "/tmp/vmtui-$ouid" /tmp/vmtui-"$ouid"-*

finish
