"""The site built into a folder, served on 127.0.0.1 as a real host serves it, and the phone Chromium
that opens it: shared by the browser tests (tests/browser/conftest.py) and the benches."""
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1, "locale": "zh-CN"}
LOCAL_HOST = "127.0.0.1"
MIME_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
              ".json": "application/json", ".css": "text/css", ".html": "text/html; charset=utf-8",
              ".xml": "application/xml", ".zip": "application/zip", ".txt": "text/plain; charset=utf-8",
              ".yaml": "text/plain; charset=utf-8"}


class SiteBuildError(RuntimeError):
    """`mkdocs build --strict` failed; the message is MkDocs' own output."""


def build_site(out_dir):
    """`mkdocs build --strict` into out_dir."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out_dir)],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SiteBuildError("mkdocs build --strict failed:\n" + run.stdout + run.stderr)
    return Path(out_dir)


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, *args):
        pass


def serve(directory):
    """A threaded static server for `directory` on an ephemeral 127.0.0.1 port; call .shutdown()."""
    handler = lambda *args, **kwargs: StaticHandler(*args, directory=str(directory), **kwargs)  # noqa: E731
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
