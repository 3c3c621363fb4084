"""National and provincial documents that county notices build on (policies/national/, policies/provinces/).

A county file states what differs. Each part of its `continuity` it leaves out comes from the nearest layer
that states it; the fixed wait goes case by case (`late`: paying outside the concentrated period, `missed`:
not insured last year), so a county that states its own wait for late payers (红塔) keeps the layers' wait
for a missed year. A county part with `replaces` (a quote of the notice) drops the layers' part altogether.
A layer figure stated only 「原则上」 applies, marked `in_principle`: results and pages say it is the
national (or provincial) rule, 以当地为准.
"""
from pathlib import Path

LAYER_FOLDERS = ("provinces", "national")  # nearest first
CONTINUITY_PARTS = ("variable", "repair", "floor")
FIXED_CASES = ("late", "missed")
UNSTATED = "本通知和它依据的上级文件都没有写明%s"


def layer_paths(directory):
    directory = Path(directory)
    return [path for folder in LAYER_FOLDERS for path in sorted((directory / folder).glob("*.yaml"))]


def merged_continuity(county, layers):
    """The county's continuity block completed from `layers` (compiled layer dicts, nearest first)."""
    own = county.get("continuity")
    stated = [layer for layer in layers if layer.get("continuity")]
    if own is None and not stated:
        return None
    own = own or {}
    merged = {"concentrated_windows": own.get("concentrated_windows", [])}
    merged["fixed"] = merged_fixed(own.get("fixed"), stated) or [{"unknown": UNSTATED % "固定待遇等待期"}]
    for part in CONTINUITY_PARTS:
        chosen = _part_from(part, own, stated)
        if chosen is not None:
            merged[part] = chosen
    merged.setdefault("variable", {"unknown": UNSTATED % "每多断保1年增加的等待期"})
    merged["exemptions"] = own.get("exemptions", []) + [
        dict(item, document=layer["id"]) for layer in stated for item in layer["continuity"].get("exemptions", [])]
    return merged


def merged_fixed(own, layers):
    """[fixed part] covering each case once: the county's part for the cases it states, the nearest layer's
    for the others (an unknown part covers every case)."""
    parts = [own] if own else []
    covered = set(_cases(own)) if own else set()
    if own and own.get("replaces"):
        return parts
    for layer in layers:
        item = layer["continuity"].get("fixed")
        left = [case for case in _cases(item) if case not in covered] if item else []
        if left:
            parts.append(dict(item, applies_to=left, document=layer["id"]))
            covered.update(left)
    return parts


def _cases(fixed):
    return list(FIXED_CASES) if "unknown" in fixed else fixed["applies_to"]


def _part_from(part, own, layers):
    if part in own:
        return own[part]
    for layer in layers:
        item = layer["continuity"].get(part)
        if item is not None:
            return dict(item, document=layer["id"])
    return None


def merged_rewards(county, layers):
    """Benefit rewards (大病保险 ceiling): the county's own, then the layers', figures unknown where only 原则上."""
    rewards = list(county.get("benefit_rewards", []))
    for layer in layers:
        for item in layer.get("benefit_rewards", []):
            if item.get("in_principle"):
                reason = "本通知未写明具体标准；%s把具体标准留给各省确定（原文：“具体政策标准由各省份根据医保基金承受能力等实际情况确定”）" % (
                    layer["document"]["number"])
                if isinstance(item.get("figures"), str):
                    reason += "；国家的原则是：%s" % item["figures"]
                item = dict(item, figures={"unknown": reason})
            rewards.append(dict(item, document=layer["id"]))
    return rewards
