"""A share link's numbers are read as the core reads them: a whole number only. JavaScript reads `1.0` as 1,
so the share-link checker (docs/assets/calculator/share.js, run here under Node) looks at the link's text:
a number written with a fraction or an exponent is refused there as the core refuses it."""
import base64
import json
import subprocess

import pytest

from build_scripts import bundle
from calculator.core import facts
from calculator.core.facts import ScenarioError
from calculator.core.scenario import MAX_MEMBERS, Scenario

SHARE_JS = bundle.ASSETS / "share.js"
REGISTRY = dict(facts.registry_json(), max_members=MAX_MEMBERS)
MEMBER = '{"birth_date": "1980-01-01", "groups": ["disability"], %s}'
LINKS = [
    ('"disability_grade": 1', True), ('"disability_grade": 1.0', False), ('"disability_grade": 1e0', False),
    ('"tier": 2', True), ('"tier": 2.0', False), ('"missed_years": 2E0', False), ('"missed_years": -0', True),
    ('"disability_grade": 1, "add_ons": ["plan 1.0", "x\\"1.0"]', True),
]
IDS = ["grade 1", "grade 1.0", "grade 1e0", "tier 2", "tier 2.0", "missed 2E0", "missed -0", "1.0 inside text"]


def decode(texts):
    """share.js's answer to each plain (#v1=) link carrying one of `texts`."""
    links = ["#v1=" + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=") for text in texts]
    script = """
import { decodeShare } from %s;
const { registry, links } = JSON.parse(process.argv[1]);
const answers = [];
for (const link of links) {
  try { answers.push({ accepted: true, back: await decodeShare(link, registry) }); }
  catch (error) { answers.push({ accepted: false, message: error.message }); }
}
console.log(JSON.stringify(answers));
""" % json.dumps(SHARE_JS.as_uri())
    run = subprocess.run(["node", "--input-type=module", "-e", script, json.dumps({"registry": REGISTRY, "links": links})],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def core_accepts(text):
    try:
        Scenario(json.loads(text))
    except ScenarioError:
        return False
    return True


@pytest.fixture(scope="module")
def answers():
    return decode(['{"policy": "nanan-2023", "paid_on": "2023-03-01", "members": [%s]}' % (MEMBER % member) for member, _ in LINKS])


@pytest.mark.parametrize("index", range(len(LINKS)), ids=IDS)
def test_a_share_link_number_is_whole_as_in_the_core(index, answers):
    member, whole = LINKS[index]
    text = '{"policy": "nanan-2023", "paid_on": "2023-03-01", "members": [%s]}' % (MEMBER % member)
    assert core_accepts(text) == whole
    assert answers[index]["accepted"] == whole, answers[index]
    if not whole:
        assert answers[index]["message"] == "这个分享链接里的「数字」内容不对，无法恢复。请让对方重新分享。"
