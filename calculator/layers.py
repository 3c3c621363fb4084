"""National and provincial documents that county notices build on (policies/national/, policies/provinces/).

A county file states what differs; each part of its `continuity` it leaves out comes from the nearest layer
that states it. A layer part marked `in_principle` (「原则上」, a default left to provinces) is never passed
off as the county's rule: it compiles to `{"unknown": reason}` quoting the layer.
"""
from pathlib import Path

LAYER_FOLDERS = ("provinces", "national")  # nearest first
CONTINUITY_PARTS = ("fixed", "variable", "repair", "floor")


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
    for part in CONTINUITY_PARTS:
        chosen = _part_from(part, own, stated)
        if chosen is not None:
            merged[part] = chosen
    merged["exemptions"] = own.get("exemptions", []) + [
        dict(item, document=layer["id"]) for layer in stated for item in layer["continuity"].get("exemptions", [])]
    return merged


def _part_from(part, own, layers):
    if part in own:
        return own[part]
    for layer in layers:
        item = layer["continuity"].get(part)
        if item is None:
            continue
        if item.get("in_principle"):
            return {"unknown": _in_principle_reason(layer, item), "sources": item.get("sources", []),
                    "in_principle": dict((key, value) for key, value in item.items() if key not in ("sources", "in_principle"))}
        return dict(item, document=layer["id"])
    return None


def _in_principle_reason(layer, item):
    quote = item["sources"][0]["quote"] if item.get("sources") else ""
    return "本通知未写明；%s只写“%s”（原则上如此，具体标准由各省确定），不能当作本地规定" % (layer["document"]["number"], quote)


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
