# Shared set-up for the shell tests: a private work folder with its own XDG
# folders, the fake QEMU tools first on PATH, and helpers. Source it.
set -eu

: "${VMTUI:?run through make check, or set VMTUI to the vmtui binary}"
: "${TOP_SRCDIR:?run through make check, or set TOP_SRCDIR}"
# shellcheck disable=SC2034 # used by the tests that source this
DATA=$TOP_SRCDIR/tests/data
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vmtui-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
export XDG_STATE_HOME="$WORK/state" XDG_RUNTIME_DIR="$WORK/run"
export HOME="$WORK/home"
# An empty HOME and no XDG folders at all, as a new user has; only the
# runtime folder exists (the login manager makes it, mode 0700).
mkdir -p "$HOME"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
P=$XDG_CONFIG_HOME/vmtui/profiles

# empty_home: back to a new user's empty HOME and no XDG folders, for a
# test that starts again at another terminal size.
empty_home() {
	rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$HOME"
	mkdir "$HOME"
}

# fixtures: make the profiles folder, for a test that begins with machines
# already in it. What vmtui must make itself is tested from nothing: every
# CLI action in tests/safety.sh, the screens at the start of tests/tui.sh.
fixtures() {
	mkdir -p "$P"
}
PATH=$TOP_SRCDIR/tests/fake:$PATH
export VMTUI_THEMES_DIR="$TOP_SRCDIR/themes"
export PATH FAKE_LOG="$WORK/qemu.argv" FAKE_IMG_LOG="$WORK/qemu-img.log"
unset VMTUI_DISK_IMAGE QEMU_OPTS QEMU_NET_OPTS QEMU_KERNEL_PARAMS SHARED_DIR \
    USE_TMPDIR DISPLAY WAYLAND_DISPLAY || true

# real_qemu [tmux]: the real QEMU tools first (not the fakes), the test
# guest built into $GUEST; skip (77) without QEMU, or tmux when asked for.
real_qemu() {
	PATH=$(printf '%s' "$PATH" | sed "s|$TOP_SRCDIR/tests/fake:||")
	if [ "${1:-}" = tmux ] && ! command -v tmux >/dev/null; then
		echo "tmux is not installed" >&2
		exit 77
	fi
	if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
		echo "qemu-system-x86_64 is not installed" >&2
		exit 77
	fi
	# The guest is built once for every test, in the tests' own cache
	# (outside the empty HOME each test starts from, or every test would
	# fetch and build it again), as tests/mirror and tests/cloud are.
	# shellcheck disable=SC2034 # used by the tests that call this
	GUEST=$(XDG_CACHE_HOME=${VMTUI_TEST_CACHE:-/var/tmp/vmtui-test-cache} \
	    "$TOP_SRCDIR/tests/guest/build") || exit 1
}

# user_gone NAME: the user made here deleted, what it still runs ended
# first (userdel refuses while it runs anything); never fails.
user_gone() {
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		pkill -KILL -u "$1" 2>/dev/null || :
		userdel "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	return 0
}

# second_user NAME: a user made here (as root) for what ownership decides,
# named NAME-PID ($OTHER, uid $ouid; as_other CMD... runs as it), gone
# with the work folder (and whatever it still runs: a machine's watcher
# outlives a launch by up to a second); 1 when not root (the caller skips
# those cases).
second_user() {
	if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null; then
		echo "not root: the second-user cases are skipped" >&2
		return 1
	fi
	OTHER=$1-$$
	useradd -M -d /nonexistent -s /usr/sbin/nologin "$OTHER"
	# shellcheck disable=SC2064 # expand now
	trap "user_gone '$OTHER'; rm -rf '$WORK' \
	    /tmp/vmtui-'$(id -u "$OTHER")' /tmp/vmtui-'$(id -u "$OTHER")'-*" EXIT
	ouid=$(id -u "$OTHER")
}
as_other() { setpriv --reuid="$ouid" --regid="$ouid" --clear-groups "$@"; }
# rundir PROFILE [CMD...], statedir PROFILE [CMD...]: the machine's runtime
# and state folders (its identity's, paths_machine), as its launch script
# names them; run under CMD (env ..., a function) when given.
script_folder() {
	_v=$1 _p=$2
	shift 2
	"$@" "$VMTUI" --print-script "$_p" |
	    sed -n "s/^[[:space:]]*$_v='\(.*\)'\$/\1/p"
}
rundir() {
	_p=$1
	shift
	script_folder rundir "$_p" "$@"
}
statedir() {
	_p=$1
	shift
	script_folder statedir "$_p" "$@"
}

failures=0
passes=0

pass() {
	passes=$((passes + 1))
	printf 'ok - %s\n' "$1"
}

fail() {
	failures=$((failures + 1))
	printf 'FAIL - %s\n' "$1"
}

# check NAME COMMAND...: one test, passing when the command does.
check() {
	_name=$1
	shift
	if "$@"; then pass "$_name"; else fail "$_name"; fi
}

# same_file EXPECTED ACTUAL: equal byte for byte, or show the difference.
same_file() {
	if cmp -s "$1" "$2"; then
		return 0
	fi
	diff -u "$1" "$2" | head -40 >&2 || true
	return 1
}

# same_machine: a launch script (stdin) without what names its profile (two
# profiles folders' copies of a machine print the same): the runtime folder's
# hash of the profile's path, and the line that records that path.
same_machine() {
	sed -e 's|\(/vmtui/[A-Za-z0-9._-]*\)@[0-9a-f]\{12\}|\1@HASH|g' \
	    -e "/ >\"\$rundir\/profile\"\$/d"
}

# expect_exit CODE COMMAND...: the command exits with CODE.
expect_exit() {
	_want=$1
	shift
	set +e
	"$@" >"$WORK/out" 2>"$WORK/err"
	_got=$?
	set -e
	if [ "$_got" -ne "$_want" ]; then
		printf 'exit %s, wanted %s; stderr:\n' "$_got" "$_want" >&2
		cat "$WORK/err" >&2
		return 1
	fi
}

# The screens through tmux (tests/tui.sh, tests/pane.sh). $T is the tmux
# command with the test's own socket; the session is "t", COLSxROWS.
TMUX_SIZE="100 30"

# session COMMAND: COMMAND in a fresh session "t" of $T, TMUX_SIZE big.
session() {
	$T kill-server 2>/dev/null || true
	rm -f "$WORK/exit"
	# a server that is still going away refuses a new session: retry
	for _try in 1 2 3 4 5; do
		# shellcheck disable=SC2086 # TMUX_SIZE is two words
		$T new-session -d -s t -x ${TMUX_SIZE% *} -y ${TMUX_SIZE#* } \
		    "$1" 2>/dev/null && return 0
		sleep 0.3
	done
	return 1
}

# start ARGS...: vmtui ARGS in a fresh session, with this test's
# environment and ${ENVS:-}; its exit status lands in $WORK/exit.
start() {
	session "env LANG=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' HOME='$HOME' PATH='$PATH' \
VMTUI_THEMES_DIR='$VMTUI_THEMES_DIR' ${ENVS:-} '$VMTUI' $*; \
echo \$? >'$WORK/exit'; sleep 60"
}
screen() { $T capture-pane -p -t t; }
keys() { $T send-keys -t t "$@"; sleep 0.15; }
# TEST_TIME_SCALE (1 by default) multiplies how long see and passes_within
# wait: tools/check sets it for the suites it runs again behind the real
# QEMU ones (ASan, valgrind, distcheck: niced, on a loaded machine). A
# test that checks a bound on vmtui's own time does not use them.
TEST_TIME_SCALE=${TEST_TIME_SCALE:-1}

# see TEXT [SECONDS]: TEXT appears on the screen (SEE_SECONDS, 5, by default).
see() {
	_i=0
	while [ "$_i" -lt "$((${2:-${SEE_SECONDS:-5}} * 10 * TEST_TIME_SCALE))" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "not on the screen: $1" >&2
	screen >&2
	return 1
}

# free_ports N: N TCP ports free on 127.0.0.1 now, all different (the
# kernel's picks, held at once while picked: tests never count on a fixed
# one); free_port: one
free_ports() {
	python3 -c 'import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}
free_port() { free_ports 1; }

# passes_within SECONDS COMMAND...: the command passes within SECONDS.
passes_within() {
	_end=$(($(date +%s) + $1 * TEST_TIME_SCALE))
	shift
	while ! "$@" 2>/dev/null; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

finish() {
	printf '%s passed, %s failed\n' "$passes" "$failures"
	[ "$failures" -eq 0 ]
}
