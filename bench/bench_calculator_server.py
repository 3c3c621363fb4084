"""A static server for the calculator benchmark, set up as a good production host would be:
application/wasm and text/javascript types, the .br/.gz siblings the build writes sent with
Content-Encoding, other text gzipped on the fly (nginx `gzip on`), content-hashed files (the
calculator's and the theme's) cached for a year. Counts the body bytes it sends
per path, and can shape the network: a delay before each response and one shared bandwidth limit
(done here rather than by DevTools emulation, which does not reliably reach a worker's requests).

    python bench/bench_calculator_server.py site 8000     # serve a built site by hand
"""
import collections
import gzip
import http.server
import io
import re
import sys
import threading
import time
from functools import partial
from pathlib import Path

TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".zip": "application/zip", ".html": "text/html; charset=utf-8",
         ".css": "text/css"}
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
IMMUTABLE_PATH = re.compile(r"/calculator/(runtime|policies)/|/stock/|\.[0-9a-f]{8}\.min\.(js|css)$")
TEXT_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml")
CHUNK = 16 * 1024


class Link:
    """Latency per request and a bandwidth shared by all connections, like one phone's 4G."""

    def __init__(self, latency_s=0.0, bytes_per_s=None):
        self.latency_s, self.bytes_per_s = latency_s, bytes_per_s
        self._lock = threading.Lock()
        self._free_at = 0.0

    def wait_for(self, n):
        if not self.bytes_per_s:
            return
        with self._lock:
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + n / self.bytes_per_s
        time.sleep(max(0.0, self._free_at - time.monotonic()))


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        content_type = self.guess_type(str(path))
        body_path, encoding = self._encoded(path)
        data = body_path.read_bytes()
        if not encoding and content_type.startswith(TEXT_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
            data, encoding = gzip.compress(data, 6), "gzip"
        time.sleep(self.server.link.latency_s)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", self._cache_control())
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        with self.server.count_lock:
            self.server.sent[self.path.split("?")[0]] += len(data)
        return io.BytesIO(data)

    def copyfile(self, source, outputfile):
        while chunk := source.read(CHUNK):
            self.server.link.wait_for(len(chunk))
            outputfile.write(chunk)

    def _encoded(self, path):
        accepted = self.headers.get("Accept-Encoding", "")
        for encoding, suffix in ENCODINGS:
            sibling = path.with_name(path.name + suffix)
            if encoding in accepted and sibling.is_file():
                return sibling, encoding
        return path, None

    def _cache_control(self):
        if IMMUTABLE_PATH.search(self.path.split("?")[0]):
            return "public, max-age=31536000, immutable"
        return "no-cache"

    def log_message(self, *args):
        pass


def serve(site_dir, port=0, link=None):
    """Starts serving site_dir on 127.0.0.1 in a thread; returns the server: .server_address, and
    .sent, body bytes sent per path."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(site_dir)))
    server.link = link or Link()
    server.sent = collections.Counter()
    server.count_lock = threading.Lock()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    srv = serve(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
    print("http://%s:%d/" % srv.server_address)
    threading.Event().wait()
