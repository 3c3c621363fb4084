"""How long a staff member editing one policy under `mkdocs serve` waits to see the page change: from
saving the file to the county page served with the new text. Called by bench/bench_site.py."""
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "127.0.0.1:8765"
READY_TIMEOUT = 900  # s: the first build at thousands of counties under load
RELOAD_TIMEOUT = 300
POLL_SECONDS = 0.05


def reload_seconds(policies_dir, cache_dir, policy_path, page_path):
    """Seconds from rewriting policy_path (its name marked 修订) to page_path showing it, under `mkdocs serve`."""
    env = dict(os.environ, YIBAO_POLICIES_DIR=str(policies_dir), YIBAO_BUILD_CACHE=str(cache_dir), NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", ADDRESS],
                              cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = "http://%s/%s" % (ADDRESS, page_path)
    try:
        wait_for(lambda: fetch(url), READY_TIMEOUT)
        text = policy_path.read_text(encoding="utf-8")
        edited = re.sub(r"^name: (.*)$", r"name: \1（预览）", text, count=1, flags=re.M)
        started = time.perf_counter()
        policy_path.write_text(edited, encoding="utf-8")
        wait_for(lambda: "（预览）" in (fetch(url) or ""), RELOAD_TIMEOUT)
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("mkdocs serve did not answer in %d s" % timeout)
        time.sleep(POLL_SECONDS)
