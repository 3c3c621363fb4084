"""The calculator worker keeps its memory snapshot packed (docs/assets/calculator/snapshot-pack.js, run here
under Node): only the pages that are not all zero, given back byte for byte. The browser test that boots
the worker from its snapshot (tests/browser/test_calculator.py) runs every case on an unpacked one."""
import json
import subprocess

import pytest

from build_scripts import bundle

PACK_JS = bundle.ASSETS / "snapshot-pack.js"
PAGE = 4096

# Each memory: its size and the bytes set (offset: value); the rest is zero.
MEMORIES = {
    "empty": (0, {}),
    "all zero": (5 * PAGE, {}),
    "first byte only": (3 * PAGE, {0: 1}),
    "last byte of an odd size": (2 * PAGE + 3, {2 * PAGE + 2: 7}),
    "pages apart": (10 * PAGE, {PAGE: 1, 5 * PAGE + 9: 2, 9 * PAGE + PAGE - 1: 255}),
    "adjacent pages": (4 * PAGE, {PAGE - 1: 3, PAGE: 4, 2 * PAGE + 100: 5}),
}

SCRIPT = """
import { packSnapshot, unpackSnapshot } from %s;
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = {};
for (const [name, [size, set]] of Object.entries(JSON.parse(input))) {
  const memory = new Uint8Array(size);
  for (const [offset, value] of Object.entries(set)) memory[offset] = value;
  const packed = packSnapshot(memory);
  const back = unpackSnapshot(packed.slice().buffer);
  const differing = [];
  for (let i = 0; i < Math.max(size, back.length); i++) if (back[i] !== memory[i]) differing.push(i);
  out[name] = { packed: packed.length, size: back.length, differing };
}
console.log(JSON.stringify(out));
""" % json.dumps(PACK_JS.as_uri())


@pytest.fixture(scope="module")
def packed():
    run = subprocess.run(["node", "--input-type=module", "-e", SCRIPT], input=json.dumps(MEMORIES),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", MEMORIES)
def test_a_packed_snapshot_unpacks_to_the_same_bytes(packed, name):
    size, _ = MEMORIES[name]
    assert packed[name]["size"] == size
    assert packed[name]["differing"] == []


@pytest.mark.parametrize("name", MEMORIES)
def test_only_pages_holding_something_are_kept(packed, name):
    size, set_bytes = MEMORIES[name]
    pages = {offset // PAGE for offset in set_bytes}
    kept = sum(min(PAGE, size - page * PAGE) for page in pages)
    runs = len({page for page in pages if page - 1 not in pages})
    assert packed[name]["packed"] == 4 * (2 + 2 * runs) + kept
