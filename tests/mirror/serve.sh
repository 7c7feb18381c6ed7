# Sourced by the install tests, after tests/lib.sh: the test mirror's
# server (tests/mirror/httpd.py) on a port of its own, one at a time.
#
# serve ROOT [FAULTS...]: the server on ROOT (its faults: httpd.py's
# options), requests logged to $WORK/http.log; sets $URL, and points the
# catalog's Debian mirror at it (VMTUI_MIRROR_DEBIAN). stop_server ends it.
SRV=
serve() {
	_root=$1
	shift
	stop_server
	rm -f "$WORK/port"
	python3 "$TOP_SRCDIR/tests/mirror/httpd.py" --root "$_root" \
	    --port-file "$WORK/port" --log "$WORK/http.log" "$@" &
	SRV=$!
	_i=0
	while [ ! -s "$WORK/port" ] && [ "$_i" -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	URL=http://127.0.0.1:$(cat "$WORK/port")
	export VMTUI_MIRROR_DEBIAN="$URL/debian"
}
stop_server() {
	if [ -n "$SRV" ]; then
		kill "$SRV" 2>/dev/null || true
		wait "$SRV" 2>/dev/null || true
		SRV=
	fi
}
