"""A valid policy always builds: every value the schema lets a policy leave unknown or out, made unknown or
left out in turn in each real policy (and in each layer it builds on), gives a policy that `validate`
either refuses with a message, or that is quoted and rendered — county page, notice pages, poster,
calendar, share card, the picker's index and the home page's list — with no exception, no `None`, no
「0元」 for a figure made unknown, no guessed deadline, and no empty section heading.

The variant kinds are derived from policies/schema.json, never listed by hand: every property of a
`oneOf` with an {unknown} branch (kind "unknown"), every property an object does not require ("absent"),
every optional boolean ("false"). Conditions (`when`) are the fee core's registry's, tested there.
Each kind is tried in every policy where it can be: on the last place the value occurs, then the first
if validate refuses that; an unknown or false value the policy does not state is added where its parent
is. Adding a policy, a layer or a schema field adds variants by itself.
"""
import datetime
import functools
import json
import re
import shutil
import traceback
from pathlib import Path

import icalendar
import pytest

from build_scripts import county_facts, county_shell, pages, zh_format
from calculator import located_yaml, policyfile
from calculator.core import quote
from calculator.core import windows as core_windows
from calculator.core.values import parse_date
from calculator.located_yaml import plain

ROOT = Path(__file__).resolve().parent.parent
POLICIES_DIR = ROOT / "policies"
SCHEMA = json.loads((POLICIES_DIR / "schema.json").read_text(encoding="utf-8"))
SITE_URL = "https://ybmbz.example.cn/"
UNKNOWN = {"unknown": "测试：本通知没有写到这一项"}
NOT_SWEPT = {"when"}  # $defs whose insides are conditions (tested with the core's registry), not values
LAYER_FOLDERS = ("national", "provinces")

TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<(script|svg|style)\b.*?</\1>", re.S)
HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
ZERO_YUAN = re.compile(r"(?<![0-9.])0元")
PRINTED_NONE = re.compile(r"\bNone\b|\bundefined\b|\bNaN\b|'unknown':|\{'unknown'")


# ---- the variant kinds, from the schema ------------------------------------------------------------

def _ref(node):
    return node["$ref"].rsplit("/", 1)[1] if "$ref" in node else None


def _resolve(node):
    while "$ref" in node:
        node = SCHEMA["$defs"][_ref(node)]
    return node


def _unknown_branch(branch):
    return _ref(branch) == "unknown" or _resolve(branch).get("required") == ["unknown"]


def _kinds(node, path):
    if _ref(node) in NOT_SWEPT:
        return
    node = _resolve(node)
    if path and any(_unknown_branch(branch) for branch in node.get("oneOf", [])):
        yield "unknown", path
    for branch in node.get("oneOf", []):
        if not _unknown_branch(branch):
            yield from _kinds(branch, path)
    if node.get("type") == "array" and "items" in node:
        yield from _kinds(node["items"], path + ("*",))
    required = set(node.get("required", []))
    for key, sub in node.get("properties", {}).items():
        if key not in required:
            yield "absent", path + (key,)
            if _resolve(sub).get("type") == "boolean":
                yield "false", path + (key,)
        yield from _kinds(sub, path + (key,))


POLICY_KINDS = sorted(set(_kinds(SCHEMA, ())))
LAYER_KINDS = sorted(set(_kinds({"$ref": "#/$defs/layer"}, ())))


def kind_name(kind, layer=False):
    return "%s%s %s" % ("layer: " if layer else "", kind[0], ".".join(kind[1]))


# ---- policies, layers, and a workspace that holds their variants ------------------------------------

POLICY_FILES = sorted(path for path in POLICIES_DIR.glob("*.yaml") if path.name != "groups.yaml")
LAYER_FILES = sorted(path for folder in LAYER_FOLDERS for path in (POLICIES_DIR / folder).glob("*.yaml"))


def raw(path):
    return plain(located_yaml.load(located_yaml.read_text(path)))


def locations(node, pattern, path=()):
    """Concrete paths of `node` matching `pattern` ("*" for each list item) whose last key is present."""
    if not pattern:
        yield path
        return
    head, *rest = pattern
    if head == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from locations(item, rest, path + (index,))
    elif isinstance(node, dict) and head in node:
        yield from locations(node[head], rest, path + (head,))


def places(document, kind):
    """Where to try `kind`: the last and the first place the value is stated; for an unknown or false
    value, also the first place its parent is where the value is not stated (it is then added)."""
    sort, pattern = kind
    stated = list(locations(document, pattern))
    found = stated[-1:] + stated[:1]
    if sort != "absent":
        *parent, key = pattern
        found += [where + (key,) for where in locations(document, parent)
                  if isinstance(_at(document, where), dict) and key not in _at(document, where)][:1]
    return list(dict.fromkeys(found))


def _at(document, where):
    return functools.reduce(lambda node, step: node[step], where, document)


def changed(document, sort, where):
    """A copy of `document` with the value at `where` made unknown, left out or false; None if that
    changes nothing (the value is already so)."""
    document = json.loads(json.dumps(document))
    *parents, key = where
    parent = _at(document, parents)
    value = parent.get(key)
    if sort == "absent":
        del parent[key]
    elif sort == "false":
        if value is False:
            return None
        parent[key] = False
    else:
        if isinstance(value, dict) and "unknown" in value:
            return None
        parent[key] = dict(UNKNOWN)
    return document


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A policies/ folder with the vocabulary, the layers and the notices, and no policy: variants go in it."""
    folder = tmp_path_factory.mktemp("variants") / "policies"
    folder.mkdir()
    shutil.copy(POLICIES_DIR / "groups.yaml", folder / "groups.yaml")
    for sub in ("notices",) + LAYER_FOLDERS:
        if (POLICIES_DIR / sub).is_dir():
            shutil.copytree(POLICIES_DIR / sub, folder / sub)
    vocabulary, errors = policyfile.load_vocabulary(folder / "groups.yaml")
    layers, layer_errors = policyfile.check_layers(folder, vocabulary)
    assert errors + layer_errors == []
    return {"folder": folder, "vocabulary": vocabulary, "layers": layers, "count": [0]}


def _next_number(workspace):
    workspace["count"][0] += 1
    return workspace["count"][0]


def compiled_variant(workspace, document, layers=None):
    """(compiled policy, []) or (None, the validator's messages) for `document` as a new policy file."""
    base, year = document["id"].rsplit("-", 1)
    document = dict(document, id="%s-v%d-%s" % (base, _next_number(workspace), year))
    path = workspace["folder"] / (document["id"] + ".yaml")
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    policy, errors = policyfile.check_policy_file(path, workspace["vocabulary"], layers or workspace["layers"])
    return policy, [str(error) for error in errors]


def compiled_layer_variant(workspace, layer_path, document):
    """({layer id: compiled layer} with the variant in place of the real layer, []) or (None, messages)."""
    folder = workspace["folder"] / ("layer-variant-%d" % _next_number(workspace))
    (folder / layer_path.parent.name).mkdir(parents=True)
    (folder / "notices").symlink_to(workspace["folder"] / "notices")
    path = folder / layer_path.parent.name / layer_path.name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    layer, errors = policyfile.check_document(path, workspace["vocabulary"], policyfile.LAYER_SCHEMA,
                                              policyfile.layer_problems, policyfile.compile_layer)
    if layer is None:
        return None, [str(error) for error in errors]
    return dict(workspace["layers"], **{layer["id"]: layer}), []


# ---- what every build must be ------------------------------------------------------------------------

def visible_text(markup):
    return " ".join(TAG.sub(" ", SCRIPT.sub(" ", markup)).split())


def empty_headings(markup):
    """Headings with nothing under them before the next heading of the same or a higher level."""
    markup = SCRIPT.sub(" ", markup)
    headings = list(HEADING.finditer(markup))
    empty = []
    for index, heading in enumerate(headings):
        level = int(heading.group(1))
        end = next((later.start() for later in headings[index + 1:] if int(later.group(1)) <= level), len(markup))
        if not visible_text(HEADING.sub(" ", markup[heading.end():end])):
            empty.append(visible_text(heading.group(2)))
    return empty


def quote_days(policy):
    """Each window's first day, a day into it and its last (core) day, and the days just outside."""
    days = {core_windows.last_day(policy, policy["windows"][-1]) + datetime.timedelta(days=1),
            parse_date(policy["windows"][0]["from"]) - datetime.timedelta(days=1)}
    for window in policy["windows"]:
        days |= {parse_date(window["from"]), county_facts.a_few_days_into(policy, window),
                 core_windows.last_day(policy, window)}
    return sorted(days)


def rendered(policy, workspace):
    """{path: text} of every file the build makes for `policy` alone (images left out; a county page's content
    without the theme), after quoting an
    adult and a baby on the days around each window as the case runner would."""
    for day in quote_days(policy):
        members = [{"id": "adult", "birth_date": (day - datetime.timedelta(days=40 * 366)).isoformat()},
                   {"id": "baby", "birth_date": (day - datetime.timedelta(days=20)).isoformat()}]
        if policy["form"]["tiers"]:
            members[0]["tier"] = policy["form"]["tiers"][0]["value"]
        for member in quote(policy, {"policy": policy["id"], "paid_on": day.isoformat(), "members": members})["members"]:
            assert member["accepted"] or member.get("reason"), (policy["id"], day, member)
    files = pages.render_county(policy, directory=workspace["folder"], site_url=SITE_URL)
    files["counties/index.json"] = pages.picker_index([policy])
    files["latest.html"] = pages.render_latest([policy])
    files.update(pages.directory_files([policy], workspace["folder"]))
    files = {path: text.content() if isinstance(text, county_shell.CountyPage) else text for path, text in files.items()}
    return {path: text for path, text in files.items() if isinstance(text, str)}


def problems_of(files, policy):
    """What no build may contain."""
    found = []
    for path, text in files.items():
        printed = PRINTED_NONE.search(visible_text(text))
        if printed:
            found.append("%s: prints 「%s」" % (path, printed.group()))
        if path.endswith((".html", ".md")):
            found += ["%s: empty heading 「%s」" % (path, heading) for heading in empty_headings(text)]
        if path.endswith(".ics"):
            for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
                if not event.decoded("DTEND") > event.decoded("DTSTART"):
                    found.append("%s: event 「%s」 ends before it starts" % (path, event["SUMMARY"]))
    county_page = visible_text(files["counties/%s/index.html" % policy["id"]])
    poster = visible_text(files["counties/%s/print/index.html" % policy["id"]])
    if policy["document"].get("text_complete") is False:
        found += ["%s: does not say the saved text is incomplete" % name
                  for name, text in (("county page", county_page), ("poster", poster)) if "原文不完整" not in text]
    if policy.get("subsidies_unknown"):
        if "本通知（保存的部分）没有写到特殊群体的资助" not in county_page:
            found.append("county page: does not say the special groups' subsidies are not in the saved text")
        if "本通知写了" in county_page:
            found.append("county page: counts subsidies the notice does not give")
    last = policy["windows"][-1]
    if not core_windows.end_is_known(last):
        guessed = zh_format.full_date(core_windows.last_day(policy, last))
        everything = " ".join(visible_text(text) for text in files.values())
        found += ["shows %s as a deadline: 「%s」" % (guessed, words) for words in ("截至" + guessed, "请在%s前" % guessed)
                  if words in everything]
        if "通知未写明截止日期" not in county_page:
            found.append("county page: does not say the notice gives no end")
    return found


def zero_yuan(files):
    return sum(len(ZERO_YUAN.findall(visible_text(unfolded(text) if path.endswith(".ics") else text))) for path, text in files.items())


def unfolded(calendar_text):
    """An .ics text with its folded lines joined again (RFC 5545 3.1): a fold may fall inside 「910元」."""
    return calendar_text.replace("\r\n ", "")


def _crash(error):
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return "%s: %s (%s)" % (type(error).__name__, error, "; ".join("%s:%d" % (Path(f.filename).name, f.lineno) for f in frames))


def build_or_refusal(workspace, name, where, variant, base_zeros, sort, seen, layers=None, layer_document=None):
    """Validate and build one variant; record what happened in `seen`. True once it was built or
    crashed (no need to try another place), False when validate refused it."""
    if layer_document is not None:
        layers, messages = compiled_layer_variant(workspace, *layer_document)
        policy = None
        if layers is not None:
            policy, messages = compiled_variant(workspace, variant, layers)
    else:
        policy, messages = compiled_variant(workspace, variant)
    if policy is None:
        assert messages and all(message.strip() for message in messages), (name, where)
        seen["refused"].append((name, where, messages[0]))
        return False
    try:
        files = rendered(policy, workspace)
    except Exception as error:  # noqa: BLE001 — every crash of every variant is reported at once
        seen["failed"].append((name, where, _crash(error)))
        return True
    seen["failed"] += [(name, where, problem) for problem in problems_of(files, policy)]
    if sort == "unknown" and zero_yuan(files) > base_zeros:
        seen["failed"].append((name, where, "a figure made unknown shows as 0元"))
    seen["built"].append((name, where))
    return True


# ---- the tests --------------------------------------------------------------------------------------

VARIANTS_SEEN = {}

def test_the_schema_gives_variant_kinds_of_each_sort():
    assert {sort for sort, _ in POLICY_KINDS} == {"unknown", "absent", "false"}
    assert ("unknown", ("windows", "*", "to")) in POLICY_KINDS and ("absent", ("newborn",)) in POLICY_KINDS
    assert ("unknown", ("document", "date")) in LAYER_KINDS


@pytest.mark.parametrize("path", POLICY_FILES, ids=[path.stem for path in POLICY_FILES])
def test_every_variant_of_the_policy_and_its_layers_is_refused_with_a_message_or_builds(path, workspace):
    document = raw(path)
    base, errors = compiled_variant(workspace, document)
    assert errors == []
    base_files = rendered(base, workspace)
    assert problems_of(base_files, base) == []
    base_zeros = zero_yuan(base_files)
    seen = {"built": [], "refused": [], "failed": [], "already": []}
    for kind in POLICY_KINDS:
        variants = [(where, changed(document, kind[0], where)) for where in places(document, kind)]
        if variants and all(variant is None for _, variant in variants):
            seen["already"].append((kind_name(kind), None))
        for where, variant in variants:
            if variant is not None and build_or_refusal(workspace, kind_name(kind), where, variant, base_zeros, kind[0], seen):
                break
    # Each layer the policy builds on, varied the same way (the first policy to build on it does this).
    for layer_path in LAYER_FILES:
        layer = raw(layer_path)
        users = [other for other in POLICY_FILES if layer["id"] in raw(other).get("builds_on", [])]
        if users[:1] != [path]:
            continue
        for kind in LAYER_KINDS:
            variants = [(where, changed(layer, kind[0], where)) for where in places(layer, kind)]
            if variants and all(variant is None for _, variant in variants):
                seen["already"].append((kind_name(kind, layer=True), None))
            for where, variant in variants:
                if variant is not None and build_or_refusal(workspace, kind_name(kind, layer=True), where, document, base_zeros,
                                                            kind[0], seen, layer_document=(layer_path, variant)):
                    break
    for name, found in seen.items():
        VARIANTS_SEEN.setdefault(name, {})[path.stem] = found
    assert not seen["failed"], "\n".join("%s at %s: %s" % item for item in seen["failed"])


def test_every_variant_kind_is_tried_somewhere():
    """After the sweep above (same module): each kind was built from at least one policy, or refused by
    validate with a message wherever it was tried, or (left out) no policy states the value."""
    if len(VARIANTS_SEEN.get("built", {})) != len(POLICY_FILES):
        pytest.skip("needs the whole sweep of this module")
    built = {name for found in VARIANTS_SEEN["built"].values() for name, _ in found}
    refused = {name: message for found in VARIANTS_SEEN["refused"].values() for name, _, message in found}
    already = {name for found in VARIANTS_SEEN["already"].values() for name, _ in found}
    kinds = [(kind, False) for kind in POLICY_KINDS] + [(kind, True) for kind in LAYER_KINDS]
    used_layers = [path for path in LAYER_FILES if any(raw(path)["id"] in raw(other).get("builds_on", []) for other in POLICY_FILES)]
    untried, report = [], []
    for kind, layer in kinds:
        name = kind_name(kind, layer)
        if name in built:
            status = "built"
        elif name in refused:
            status = "refused by validate: " + refused[name].split(": ", 1)[-1]
        elif not any(places(raw(path), kind) for path in (used_layers if layer else POLICY_FILES)):
            status = ("stated only in a layer no policy builds on" if layer and any(places(raw(path), kind) for path in LAYER_FILES)
                      else "stated nowhere, nor where it could be added: every build has it absent")
        elif name in already:
            status = "already so wherever it is stated: the builds above have it"
        else:
            status = "never tried"
            untried.append(name)
        report.append("%-60s %s" % (name, status))
    print("\n".join(report))
    assert untried == []
