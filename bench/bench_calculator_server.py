"""A static server for the calculator benchmark, set up as a good production host would be:
application/wasm and text/javascript types, the .br/.gz siblings the build writes sent with
Content-Encoding, content-hashed calculator files cached for a year. Counts the body bytes it sends.

    python bench/bench_calculator_server.py site 8000     # serve a built site by hand
"""
import http.server
import io
import sys
import threading
from functools import partial
from pathlib import Path

TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".zip": "application/zip", ".html": "text/html; charset=utf-8",
         ".css": "text/css"}
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
IMMUTABLE_PARTS = ("/calculator/runtime/", "/calculator/policies/")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body_path, encoding = self._encoded(path)
        data = body_path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", self._cache_control())
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.server.sent_bytes += len(data)
        return io.BytesIO(data)

    def _encoded(self, path):
        accepted = self.headers.get("Accept-Encoding", "")
        for encoding, suffix in ENCODINGS:
            sibling = path.with_name(path.name + suffix)
            if encoding in accepted and sibling.is_file():
                return sibling, encoding
        return path, None

    def _cache_control(self):
        if any(part in self.path for part in IMMUTABLE_PARTS):
            return "public, max-age=31536000, immutable"
        return "no-cache"

    def log_message(self, *args):
        pass


def serve(site_dir, port=0):
    """Starts serving site_dir on 127.0.0.1 in a thread; returns the server (.server_address, .sent_bytes)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(site_dir)))
    server.sent_bytes = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    srv = serve(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
    print("http://%s:%d/" % srv.server_address)
    threading.Event().wait()
