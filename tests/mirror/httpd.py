#!/usr/bin/env python3
"""A mirror for the download tests: serves a folder over HTTP on 127.0.0.1
with byte ranges (so a client can resume), and can misbehave once per
request path, as real networks do:

  --truncate PATH:N   send the full Content-Length but stop at byte N, close
  --stall PATH:N      send up to byte N, then hang (the test kills it)
  --corrupt PATH      change one byte of the body
  --hang PATH         read the request, then never answer (no headers)
  --trickle PATH:N    send the body at N bytes a second, a byte at a time
  --pad PATH:N        N bytes more than the file, Content-Length saying so
  --endless PATH      the file, then junk for ever (no Content-Length)
  --rate BYTES        at most BYTES a second (a progress bar to see)

The files are read from --root at each request, so a test can change
them between requests.

Each request is logged to --log as "GET PATH RANGE STATUS". The port is
written to --port-file once the server listens.
"""
import argparse
import http.server
import os
import sys
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--root", required=True)
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--truncate", action="append", default=[])
ap.add_argument("--stall", action="append", default=[])
ap.add_argument("--corrupt", action="append", default=[])
ap.add_argument("--hang", action="append", default=[])
ap.add_argument("--trickle", action="append", default=[])
ap.add_argument("--pad", action="append", default=[])
ap.add_argument("--endless", action="append", default=[])
ap.add_argument("--rate", type=int, default=0)
args = ap.parse_args()

faults = {}
for kind in ("truncate", "stall", "trickle", "pad"):
    for f in getattr(args, kind):
        path, n = f.rsplit(":", 1)
        faults[path] = (kind, int(n))
for kind in ("corrupt", "hang", "endless"):
    for path in getattr(args, kind):
        faults[path] = (kind, 0)
lock = threading.Lock()
root = os.path.realpath(args.root)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def note(self, rng, status):
        with lock, open(args.log, "a") as f:
            f.write("GET %s %s %d\n" % (self.path, rng or "-", status))

    def do_GET(self):
        path = os.path.realpath(os.path.join(root, self.path.lstrip("/")))
        rng = self.headers.get("Range")
        if not path.startswith(root + "/") or not os.path.isfile(path):
            self.note(rng, 404)
            self.send_error(404)
            return
        size = os.path.getsize(path)
        start = 0
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= size:
                self.note(rng, 416)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % size)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        with lock:
            fault = faults.pop(self.path, None)
        kind = fault[0] if fault else None
        if kind == "hang":
            self.note(rng, 0)
            time.sleep(600)
            return
        pad = fault[1] if kind == "pad" else 0
        status = 206 if start else 200
        self.note(rng, status)
        self.send_response(status)
        if kind == "endless":
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(size + pad - start))
        if start:
            self.send_header("Content-Range",
                             "bytes %d-%d/%d" % (start, size + pad - 1,
                                                 size + pad))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        sent = 0
        limit = size - start
        if kind in ("truncate", "stall"):
            limit = max(0, min(limit, fault[1] - start))
        rate = fault[1] if kind == "trickle" else args.rate
        # small pieces when slow: a byte at a time at a few bytes a second
        step = max(1, min(65536, rate // 4)) if rate else 65536
        with open(path, "rb") as f:
            f.seek(start)
            while sent < limit:
                chunk = f.read(min(step, limit - sent))
                if not chunk:
                    break
                if kind == "corrupt" and sent == 0:
                    chunk = bytes([chunk[0] ^ 0x55]) + chunk[1:]
                try:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                except OSError:
                    return
                sent += len(chunk)
                if rate:
                    time.sleep(len(chunk) / rate)
        try:
            if pad:
                self.wfile.write(b"\0" * pad)
            while kind == "endless":
                self.wfile.write(b"\0" * 65536)
        except OSError:
            return
        if fault and fault[0] == "stall":
            self.wfile.flush()
            time.sleep(600)
        if fault and fault[0] == "truncate":
            self.close_connection = True


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(args.port_file + ".tmp", args.port_file)
try:
    srv.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
