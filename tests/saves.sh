#!/bin/sh
# Every change of a profile is one locked transaction: lock, read, patch,
# write, unlock. Parallel --set lose nothing they report as made; --set
# refuses at once while an editor holds the profile, naming it; the locks
# live in the user's private runtime folder, so another user who locks a
# folder of ours (or /tmp) freezes nothing; a lock held too long is waited
# for until a deadline, and then named.
. "$TOP_SRCDIR/tests/lib.sh"

fixtures
cp "$DATA/golden/vmlinuz" "$P/"
{
	printf 'version = 1\nname = "par"\ndescription = "none"\n'
	printf 'memory = 512\ncores = 1\nboot { kernel = "vmlinuz" }\n'
	i=0
	while [ "$i" -lt 8 ]; do
		printf 'disk "d%s" { size = 100 }\n' "$i"
		printf 'forward { host-port = %s  guest-port = 22 }\n' \
		    "$((3000 + i))"
		i=$((i + 1))
	done
} >"$P/par.conf"
check "the profile of the parallel run loads" expect_exit 0 "$VMTUI" \
    --check par

# --- 24 parallel --set, each of its own key: every change is in the file --
# keys: host-port of 8 forwards, size of 8 disks, description, cores,
# memory, and three keys the file leaves out
set -- description=changed cores=2 memory=1024 accel=tcg graphics=true \
    boot.append=quiet
i=0
while [ "$i" -lt 8 ]; do
	set -- "$@" "forward[$i].host-port=$((4000 + i))" "disk.d$i.size=$((200 + i))"
	i=$((i + 1))
done
set -- "$@" qemu.msize=8192 guest-agent=false
check "24 changes to make" test "$#" -eq 24
n=0
pids=
for kv in "$@"; do
	"$VMTUI" --set par "$kv" >"$WORK/set.$n.out" 2>"$WORK/set.$n.err" &
	pids="$pids $!"
	n=$((n + 1))
done
bad=0
for pid in $pids; do
	wait "$pid" || bad=$((bad + 1))
done
check "$n parallel --set: every one exits 0" test "$bad" -eq 0
cat "$WORK"/set.*.err >&2
"$VMTUI" --print-profile par --full >"$WORK/full"
lost=0
for kv in "$@"; do
	key=${kv%%=*} value=${kv#*=}
	case $key in
	forward*) want="host-port = $value" ;;
	disk.*) want="size = $value" ;;
	description|boot.append) want="${key#boot.} = \"$value\"" ;;
	accel) want="accel = \"$value\"" ;;
	*) want="${key#*.} = $value" ;;
	esac
	if ! grep -q "^ *$want" "$WORK/full"; then
		echo "lost: $kv" >&2
		lost=$((lost + 1))
	fi
done
check "... and every change they made is in the file" test "$lost" -eq 0
check "... which still loads" expect_exit 0 "$VMTUI" --check par
check "... and was patched, not written out whole" sh -c \
    '! grep -q "written out whole" "$@"' sh "$WORK"/set.*.err

# --- the locks are the user's alone -----------------------------------------
check "the locks are in the runtime folder's locks/" test -d \
    "$XDG_RUNTIME_DIR/vmtui/locks"
check "... which only the user may enter" test \
    "$(stat -c %a "$XDG_RUNTIME_DIR/vmtui/locks")" = 700
check "... and the profiles folder holds no lock of its own" sh -c \
    '[ -z "$(find "$1" -name "*.lock")" ]' sh "$P"

# --- a lock held past the deadline: waited for, then named ---------------
lockfile=$(ls "$XDG_RUNTIME_DIR"/vmtui/locks/save-*.lock 2>/dev/null |
    head -n 1 || true)
check "the profile's lock is there" test -f "$lockfile"
# hold FILE [AS...]: a lock on FILE by another process, until unhold
HOLDER=$WORK/holder.pid
hold() {
	_file=$1
	shift
	"$@" flock "$_file" sh -c 'echo $$ >"$1"; exec sleep 30' sh \
	    "$HOLDER" &
	_i=0
	while [ ! -s "$HOLDER" ] && [ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$HOLDER" ]
}
unhold() {
	kill "$(cat "$HOLDER")" 2>/dev/null || true
	rm -f "$HOLDER"
	wait 2>/dev/null || true
}
check "another process holds the profile's lock" hold "$lockfile"
start_s=$(date +%s)
check "a save whose lock another process holds fails after a while" \
    expect_exit 1 "$VMTUI" --set par memory=2048
took=$(($(date +%s) - start_s))
check "... after the deadline, not at once and not for ever ($took s)" \
    test "$took" -ge 5 -a "$took" -le 20
check "... naming the holder" grep -q "pid [0-9]*.*flock" "$WORK/err"
check "... nothing changed" sh -c '! grep -q "memory = 2048" "$1"' sh \
    "$P/par.conf"
unhold

# --- --set refuses at once while an editor holds the profile -------------
if command -v tmux >/dev/null; then
	T="tmux -L vmtui-saves-$$"
	trap '$T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
	start
	see "par" >/dev/null
	keys Enter
	see "Editing par" >/dev/null
	check "--set while the editor has the profile: refused" \
	    expect_exit 1 timeout 5 "$VMTUI" --set par memory=4096
	check "... naming the editor's pid" grep -q \
	    "being edited by another vmtui (pid [0-9]" "$WORK/err"
	check "--unset too" expect_exit 1 timeout 5 "$VMTUI" --unset par cores
	check "... nothing changed" sh -c '! grep -q "memory = 4096" "$1" &&
	    grep -q "cores" "$1"' sh "$P/par.conf"
	keys Escape
	$T kill-server 2>/dev/null || true
	check "the editor gone: --set works again" expect_exit 0 "$VMTUI" \
	    --set par memory=4096
else
	echo "tmux is not installed: the editor's part is left out" >&2
fi

# --- another user cannot freeze our saves (needs root) -------------------
if ! second_user vmtui-saves; then
	finish
	exit $?
fi
chmod 0711 "$WORK" "$XDG_CONFIG_HOME" "$XDG_CONFIG_HOME/vmtui"
chmod 0755 "$P"
mkdir "$WORK/other" && chown "$ouid" "$WORK/other"
HOLDER=$WORK/other/holder.pid
check "another user holds a lock on the profiles folder" hold "$P" as_other
check "another user locks the profiles folder (0755): --set still saves" \
    expect_exit 0 timeout 10 "$VMTUI" --set par memory=768
check "--unset too" expect_exit 0 timeout 10 "$VMTUI" --unset par accel
check "... both in the file" sh -c 'grep -q "memory = 768" "$1" &&
    ! grep -q "accel" "$1"' sh "$P/par.conf"
unhold
# a sticky folder everyone writes, as /tmp
S=$WORK/shared
mkdir "$S" && chmod 1777 "$S"
check "another user holds a lock on a shared folder" hold "$S" as_other
check "another user locks a shared folder: --write-script -o there works" \
    expect_exit 0 timeout 10 "$VMTUI" --write-script par -o "$S/run-par"
check "... the script is written" test -s "$S/run-par"
unhold
finish
