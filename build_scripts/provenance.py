"""Whose words a statement is: this notice's, a layer's (a national or provincial document the notice
builds on), or the site's own reading of them.

Every statement a page, poster, card or calendar makes cites the sources it rests on, and every source
is one object of one part of the compiled policy (a window, a price, a rule, a subsidy, a part of the
2025+ waiting periods, a sentence quoted as the notice's words …). From a source we find its part; the
part says whether the site read something into it (`derived`, `interpretation`: 「本站的理解」) and a
source of a layer says whose document it is (`notice`, `page`). So a statement is labelled by what it
cites, and never by what a template says of it.
"""
import collections

READING_KEYS = ("derived", "interpretation")
NOT_PARTS = ("documents", "form", "vocabulary", "sources", "when")
# The lists of a policy whose items are quoted sentences, each its own source.
QUOTED_LISTS = ("eligible", "not_eligible", "registration", "materials", "payment_channels", "notes")
READING_ANCHOR = "reading-"
KEPT = 8  # policies whose index is kept: a page, its poster, calendar and card are made one after another

PART_NAMES = {
    "document": "发文机关和文件",
    "coverage": "保障年度",
    "monthly": "每月可以缴费的日子",
    "fiscal_subsidy": "财政补助标准",
    "newborn": "谁算新生儿",
    "fixed": "固定等待期",
    "variable": "每多断保一年增加的等待期",
    "repair": "缴费修复（补缴断保年度）",
    "floor": "断保多年后的最短等待期",
}


def has_reading(part):
    return isinstance(part, dict) and any(part.get(key) for key in READING_KEYS)


class Provenance:
    """The parts of one compiled policy, by key ("windows/late", "contribution/prices/adult-low",
    "continuity/fixed/0", "eligible/0"), and the part each source object belongs to."""

    def __init__(self, policy):
        self.policy = policy
        self.parts = {}
        self._owner = {}
        self._by_words = collections.defaultdict(list)
        self._walk(policy, ())
        self.documents = {document["id"]: document for document in policy.get("documents", []) if "id" in document}

    def _walk(self, node, path):
        if isinstance(node, dict):
            if isinstance(node.get("sources"), list) and path:
                self._add_part(path, node, node["sources"])
            for key, value in node.items():
                if key not in NOT_PARTS:
                    self._walk(value, path + (key,))
        elif isinstance(node, list):
            quoted = len(path) == 1 and path[0] in QUOTED_LISTS
            for index, item in enumerate(node):
                step = item.get("id", index) if isinstance(item, dict) else index
                if quoted and isinstance(item, dict):
                    self._add_part(path + (step,), item, [item])
                else:
                    self._walk(item, path + (step,))

    def _add_part(self, path, part, sources):
        key = "/".join(str(step) for step in path)
        self.parts[key] = part
        for source in sources:
            self._owner[id(source)] = key
            self._by_words[_words(source)].append(key)

    def owners(self, sources):
        """The keys of the parts `sources` belong to, in order, each once. A source that is no longer the
        policy's own object (copied on the way) is found by its words where only one part has them."""
        keys = []
        for source in sources:
            key = self._owner.get(id(source))
            if key is None:
                candidates = set(self._by_words.get(_words(source), []))
                key = candidates.pop() if len(candidates) == 1 else None
            if key is not None and key not in keys:
                keys.append(key)
        return keys

    def readings_of(self, sources):
        """The keys of the parts among `sources`' owners that carry the site's reading."""
        return [key for key in self.owners(sources) if has_reading(self.parts[key])]

    def document_of(self, source):
        """The layer document of a source (None for this notice's own)."""
        if "page" not in source:
            return None
        return self.documents.get(source.get("notice"))

    def is_layer(self, source):
        return self.document_of(source) is not None

    def readings(self):
        """Every part that carries the site's reading, in the policy's order: [{key, anchor, name, whose,
        derived, interpretation, sources}]."""
        found = []
        for key, part in self.parts.items():
            if not has_reading(part):
                continue
            sources = part["sources"] if isinstance(part.get("sources"), list) else []
            whose = {document_name(self.document_of(source)) for source in sources if self.is_layer(source)}
            found.append({"key": key, "anchor": anchor(key), "name": self.name_of(key),
                          "whose": "、".join(sorted(whose)), "derived": part.get("derived"),
                          "interpretation": part.get("interpretation"), "sources": sources})
        return found

    def name_of(self, key):
        part = self.parts[key]
        name = part.get("label") or part.get("name") or PART_NAMES.get(key.split("/")[-1]) or PART_NAMES.get(key.split("/")[-2], key)
        if key.endswith("/monthly"):
            name = "%s：%s" % (self.parts[key.rsplit("/", 1)[0]]["label"], PART_NAMES["monthly"])
        return name

    def whose_words(self, sources):
        """What a plain text (poster, card, calendar) says after a statement: "" for this notice's own
        words, else （国办发〔2024〕38号）, （本站的理解）, or both."""
        labels = []
        for source in sources:
            document = self.document_of(source)
            if document is not None and document_name(document) not in labels:
                labels.append(document_name(document))
        if self.readings_of(sources):
            labels.append(READING_WORDS)
        return "（%s）" % "；".join(labels) if labels else ""


READING_WORDS = "本站的理解"


def anchor(key):
    return READING_ANCHOR + key.replace("/", "-")


def document_name(document):
    """How a layer document is named beside a citation: its 文号, else its title or issuer."""
    return document.get("number") or document.get("title") or document.get("issuer") or "上级文件"


def _words(source):
    return (source.get("notice"), source.get("line"), source.get("quote"))


_INDEXES = collections.OrderedDict()


def of(policy):
    """The Provenance of `policy` (the same object: a copy gets its own)."""
    kept = _INDEXES.get(id(policy))
    if kept is None or kept.policy is not policy:
        kept = Provenance(policy)
        _INDEXES[id(policy)] = kept
        while len(_INDEXES) > KEPT:
            _INDEXES.popitem(last=False)
    _INDEXES.move_to_end(id(policy))
    return kept
