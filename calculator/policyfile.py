"""Policy YAML → validated, compiled policy (plain JSON-able dict). CPython only (PyYAML, jsonschema).

Every problem is reported as `file:line: field: message` in Chinese, for the staff member who wrote it.
"""
import bisect
import datetime
import itertools
import json
from concurrent.futures import ProcessPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jsonschema

from . import layers as layers_module
from . import located_yaml
from .core import conditions, facts
from .core import windows as payment_windows
from .located_yaml import YamlProblem, field_name, line_of, plain
from .quoted_values import quoted_value_problems

POLICIES_DIR = Path(__file__).resolve().parent.parent / "policies"
PARALLEL_FROM_FILES = 100
MAX_NOTICE_BYTES = 2_000_000
QUOTE_LISTS = ("eligible", "not_eligible", "registration", "materials", "payment_channels", "notes")
STUDENT_LABELS = dict(facts.STUDENT_VALUES)
# Facts the form asks through their own policy parts, not through a condition.
FACTS_ASKED_OTHERWISE = ("birth_date", "groups", "tier", "add_ons", "student")


class PolicyError:
    def __init__(self, file, line, field, message):
        self.file, self.line, self.field, self.message = str(file), line, field, message

    def __str__(self):
        return "%s:%d: %s: %s" % (self.file, self.line, self.field or "(文件)", self.message)


class PolicyInvalid(Exception):
    def __init__(self, errors):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def load_policies(directory=POLICIES_DIR):
    """Every policy of `directory`, compiled; raises PolicyInvalid listing every problem found."""
    policies, errors = check_policies(directory)
    if errors:
        raise PolicyInvalid(errors)
    return policies


def check_policies(directory=POLICIES_DIR):
    directory = Path(directory)
    vocabulary_path = directory / "groups.yaml"
    vocabulary, errors = load_vocabulary(vocabulary_path)
    layers, layer_errors = check_layers(directory, vocabulary)
    errors += layer_errors
    paths = [path for path in sorted(directory.glob("*.yaml")) if path.name != vocabulary_path.name]
    policies = []
    for policy, problems in check_policy_files(paths, vocabulary, layers):
        errors += problems
        if policy:
            policies.append(policy)
    return policies, errors


def check_policy_files(paths, vocabulary, layers):
    """check_policy_file for every path, on every core once there are enough files to pay for the processes."""
    if len(paths) < PARALLEL_FROM_FILES:
        return [check_policy_file(path, vocabulary, layers) for path in paths]
    with ProcessPoolExecutor() as pool:
        return list(pool.map(check_policy_file, paths, itertools.repeat(vocabulary), itertools.repeat(layers), chunksize=32))


def check_layers(directory, vocabulary):
    """{layer id: compiled layer} of the national and provincial documents, and their problems."""
    layers, errors = {}, []
    for path in layers_module.layer_paths(directory):
        layer, problems = check_document(path, vocabulary, LAYER_SCHEMA, layer_problems, compile_layer)
        errors += problems
        if layer:
            layers[layer["id"]] = layer
    return layers, errors


def layer_problems(document, path, notice, vocabulary, layers):
    problems = []
    if document["id"] != path.stem:
        problems.append((["id"], "id 应与文件名一致：%s" % path.stem))
    problems += source_problems(document, notice) + reference_problems(document, vocabulary)
    return problems or quoted_value_problems(document)


def compile_layer(document, notice, vocabulary, layers):
    layer = plain(document)
    _resolve_sources(layer, notice, layer["id"])
    plain_document(layer["document"])
    page = notice_page(layer["id"], layer["level"])
    for _, key, value in walk(layer):
        if key == "sources":
            for source in value:
                source["page"] = page
    return layer


def load_vocabulary(path):
    try:
        document = located_yaml.load(located_yaml.read_text(path))
    except YamlProblem as problem:
        return {}, [PolicyError(path, problem.line, problem.field, problem.message)]
    if not isinstance(document, dict):
        return {}, [PolicyError(path, 1, "", "词表应是一个 YAML 映射（群体 id: 名称和说明）")]
    errors = [PolicyError(path, document.key_lines[key], key, "每个群体要有中文名称 name")
              for key, entry in document.items() if not isinstance(entry, dict) or not entry.get("name")]
    # In the file's order, which is how common each group is: the form lists them so.
    vocabulary = {key: dict(entry) for key, entry in document.items() if isinstance(entry, dict) and entry.get("name")}
    errors += [PolicyError(path, line_of(document, where), field_name(where), message)
               for where, message in vocabulary_problems(vocabulary)]
    return vocabulary, errors


GROUP_OR_FACT = "群体和成员信息不能同名（怎么分见 policies/README.md「新增一个群体，还是新增一项成员信息？」）"


def vocabulary_problems(vocabulary):
    """One word, one meaning: a group's id is no member fact's or condition's key, its name and aliases
    are no member fact's label, and each word staff write for a group (id, name, alias) names that group alone."""
    fact_words = set(facts.FACTS) | set(conditions.CONDITIONS) | {fact.label for fact in facts.FACTS.values()}
    owners, problems = {}, []
    for group, entry in vocabulary.items():
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(alias, str) and alias for alias in aliases):
            problems.append(([group, "aliases"], "aliases 应是名单里常写的简称的列表，如 [低保, 低保户]"))
            aliases = []
        words = [([group], group), ([group, "name"], entry["name"])] + [([group, "aliases", index], alias) for index, alias in enumerate(aliases)]
        for where, word in words:
            if word in fact_words:
                problems.append((where, "“%s”已是一项成员信息（calculator/core/facts.py）的名称：%s" % (word, GROUP_OR_FACT)))
            elif owners.setdefault(word, group) != group:
                problems.append((where, "“%s”已是群体 %s 的 id、名称或简称：一个词只能指一个群体" % (word, owners[word])))
    return problems


def check_policy_file(path, vocabulary, layers=None):
    """(compiled policy or None, list of PolicyError) for one file."""
    return check_document(path, vocabulary, SCHEMA, semantic_problems, compile_policy, layers or {})


def check_document(path, vocabulary, schema, find_problems, compile_document, layers=None):
    path = Path(path)
    try:
        document = located_yaml.load(located_yaml.read_text(path))
    except YamlProblem as problem:
        return None, [PolicyError(path, problem.line, problem.field, problem.message)]
    if not isinstance(document, dict):
        return None, [PolicyError(path, 1, "", "文件应是一个 YAML 映射（键: 值）")]
    problems = schema_problems(document, schema)
    if not problems:
        notice_path = notices_dir(path) / document["notice"]
        if not notice_path.exists():
            problems = [(["notice"], "找不到通知原文 %s" % notice_path)]
        else:
            try:
                notice = NoticeText(located_yaml.read_text(notice_path, MAX_NOTICE_BYTES))
            except YamlProblem as problem:
                problems = [(["notice"], "通知原文 %s 第 %d 行：%s" % (notice_path.name, problem.line, problem.message))]
            else:
                problems = find_problems(document, path, notice, vocabulary, layers)
    errors = [PolicyError(path, line_of(document, path_), field_name(path_), message) for path_, message in problems]
    if errors:
        return None, errors
    return compile_document(document, notice, vocabulary, layers), []


def notices_dir(path):
    """policies/notices/, for a county file (policies/x.yaml) and a layer (policies/national/x.yaml) alike."""
    parent = path.parent
    return parent / "notices" if parent.name not in layers_module.LAYER_FOLDERS else parent.parent / "notices"


# ---- schema ---------------------------------------------------------------------------------

def policy_schema():
    """policies/schema.json with its `when` generated from the condition registry."""
    schema = json.loads((POLICIES_DIR / "schema.json").read_text(encoding="utf-8"))
    schema["$defs"]["when"] = conditions.when_schema()
    _allow_derived(schema)
    return schema


def _allow_derived(node):
    """Every part that cites a `source` may say in `derived` how a value it does not print was worked out."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict) and "source" in properties:
            properties.setdefault("derived", {"type": "string", "minLength": 4})
        for value in node.values():
            _allow_derived(value)
    elif isinstance(node, list):
        for item in node:
            _allow_derived(item)


# JSON Schema draft 2020-12 counts 3.0 as an integer; a policy must write whole numbers without a point.
StrictValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)))
ANNOTATIONS = frozenset({"$ref", "description", "examples", "title"})


class Schema:
    """A validator that first asks, of the schema with its references resolved in advance, whether a document
    is valid at all: most are, and a reference looked up on every use was a third of the time. Only an
    invalid document is walked again, by the schema as written, whose errors the messages quote."""

    def __init__(self, schema):
        self.is_valid = StrictValidator(resolved(schema)).is_valid
        self.errors_of = StrictValidator(schema).iter_errors

    def iter_errors(self, document):
        return iter(()) if self.is_valid(document) else self.errors_of(document)


def resolved(schema):
    """`schema` with each "$ref" to one of its $defs replaced by that definition, resolved in turn: the same
    validation. A reference stays where a definition refers to itself (a `when` in `any_of`) or where it
    stands beside keywords that validate."""
    definitions = schema.get("$defs", {})

    def resolve(node, within):
        if isinstance(node, list):
            return [resolve(item, within) for item in node]
        if not isinstance(node, dict):
            return node
        name = str(node.get("$ref", "")).removeprefix("#/$defs/")
        if name in definitions and name not in within and set(node) <= ANNOTATIONS:
            return resolve(definitions[name], within | {name})
        return {key: value if key == "$defs" else resolve(value, within) for key, value in node.items()}

    return resolve(schema, frozenset())


SCHEMA = Schema(policy_schema())
LAYER_SCHEMA = Schema(dict(policy_schema(), **{"$ref": "#/$defs/layer", "required": [],
                                               "properties": {}, "additionalProperties": True}))
TYPE_NAMES = {"string": "文字", "integer": "整数", "boolean": "true 或 false", "object": "映射（键: 值）",
              "array": "列表", "number": "数字"}


def schema_problems(document, schema=SCHEMA):
    """Decimals first (one clear message each), then what the schema finds elsewhere."""
    problems = decimal_problems(document)
    decimals = [path for path, _ in problems]
    for error in sorted(schema.iter_errors(document), key=lambda error: list(map(str, error.absolute_path))):
        path = list(error.absolute_path)
        if not any(decimal[:len(path)] == path for decimal in decimals):
            problems.append(_explain_schema_error(error, path))
    return problems


def decimal_problems(document):
    """No part of a policy is a decimal: money is whole yuan, counts and percentages are whole numbers."""
    return [(path + [key], "应为整数，不要写小数点：%r" % value)
            for path, key, value in walk(document) if isinstance(value, float)] + [
        (path + [key, index], "应为整数，不要写小数点：%r" % item)
        for path, key, value in walk(document) if isinstance(value, list)
        for index, item in enumerate(value) if isinstance(item, float)]


def _explain_schema_error(error, path):
    instance, value = error.instance, error.validator_value
    if error.validator == "additionalProperties":
        extra = sorted(set(instance) - set(error.schema.get("properties", {})))
        return path + extra[:1], "不认识的字段“%s”（拼写错误？可用的字段见 policies/schema.json）" % "、".join(extra)
    if error.validator == "required":
        missing = [key for key in value if key not in instance]
        return path, "缺少必填字段“%s”" % "、".join(missing)
    if error.validator == "type":
        wanted = value if isinstance(value, list) else [value]
        return path, "应为%s，写的是 %r" % ("或".join(TYPE_NAMES.get(name, name) for name in wanted), instance)
    if error.validator == "pattern" and "[0-9]{4}-" in value:
        return path, "日期应写作 年-月-日（例如 2023-03-01），写的是 %r" % (instance,)
    if error.validator in ("enum", "const"):
        options = value if isinstance(value, list) else [value]
        return path, "应为 %s 之一，写的是 %r" % ("、".join(map(str, options)), instance)
    if error.validator in ("oneOf", "anyOf") and path and path[-1] == "source":
        return path, "出处 source 应为通知原文中的一句话，或几句话的列表"
    if error.validator == "oneOf" and isinstance(instance, dict) and "kind" not in instance and "when" in instance:
        return path, "规则须三选一：accepted: false；或 price 加 coverage_start；或 price 加 waiting"
    if error.validator in ("oneOf", "anyOf") and error.context:
        closest = jsonschema.exceptions.best_match(error.context)
        return _explain_schema_error(closest, list(closest.absolute_path))
    return path, "格式不对（%s）" % error.message


# ---- meaning ---------------------------------------------------------------------------------

HEADER_PREFIXES = ("source:", "说明：")


class NoticeText:
    """The notice with whitespace removed, so a quote matches across the notice's hard line breaks.

    The archivist's header (the first lines, `source: …` and `说明：…`) is our words, not the notice's: a quote
    is looked for in the body only."""

    def __init__(self, text):
        lines = ["".join(line.split()) for line in text.splitlines()]
        header = next((index for index, line in enumerate(lines) if line and not line.startswith(HEADER_PREFIXES)), len(lines))
        lines = [""] * header + lines[header:]
        self.compact = "".join(lines)
        self.line_starts = list(itertools.accumulate((len(line) for line in lines), initial=0))[:-1]

    def occurrences(self, quote):
        """[(first line, last line)] of every place `quote` stands in the notice's body."""
        needle = "".join(quote.split())
        found, start = [], self.compact.find(needle) if needle else -1
        while start >= 0:
            found.append((self._line_at(start), self._line_at(start + len(needle) - 1)))
            start = self.compact.find(needle, start + 1)
        return found

    def find(self, quote, line=None):
        """(first line, last line) of `quote` in the notice — the place starting on `line` where given — or None."""
        return next((place for place in self.occurrences(quote) if line is None or place[0] == line), None)

    def _line_at(self, offset):
        return bisect.bisect_right(self.line_starts, offset)


def semantic_problems(document, path, notice, vocabulary, layers):
    problems = []
    if document["id"] != path.stem:
        problems.append((["id"], "id 应与文件名一致：%s" % path.stem))
    problems += source_problems(document, notice)
    problems += date_problems(document)
    problems += window_problems(document)
    problems += reference_problems(document, vocabulary)
    problems += rule_coverage_problems(document)
    problems += layering_problems(document, layers)
    problems += amount_problems(document)
    problems += duplicate_id_problems(document)
    problems += subsidy_size_problems(document)
    problems += table_problems(document)
    if not problems:
        problems += near_year_problems(document) or quoted_value_problems(document, document["coverage_year"])
    return problems


def walk(node, path=()):
    """Every (path, key, value) below `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield list(path), key, value
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk(item, path + (index,))


def source_problems(document, notice):
    problems = []
    for path, key, value in walk(document):
        if key in ("source", "replaces"):
            quotes = [(path + [key], value)] if not isinstance(value, list) else [
                (path + [key, index], quote) for index, quote in enumerate(value)]
        elif key in QUOTE_LISTS and not path:
            quotes = [([key, index], quote) for index, quote in enumerate(value)]
        else:
            continue
        problems += [(where, message) for where, quote in quotes for message in [quote_problem(quote, notice)] if message]
    return problems


def quote_problem(item, notice):
    """What is wrong with one quote: not in the body, in it more than once without `line`, or not on its `line`."""
    text, line = quote_and_line(item)
    places = notice.occurrences(text)
    lines = "、".join(str(first) for first, _ in places)
    if not places:
        return "在通知原文中找不到这句话：“%s”" % text
    if line is None and len(places) > 1:
        return "这句话在原文中出现了%d次（第%s行）：请写成 {quote: …, line: 行号}，指明引用的是哪一处：“%s”" % (len(places), lines, text)
    if line is not None and not notice.find(text, line):
        return "原文第%d行没有这句话（它在第%s行）：“%s”" % (line, lines, text)
    return None


def quote_and_line(item):
    """A quote is its words, or {quote, line} where the words stand more than once in the notice."""
    return (item["quote"], item["line"]) if isinstance(item, dict) else (item, None)


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def date_problems(document):
    problems = [(path + [key], "不是真实存在的日期：%s" % value)
                for path, key, value in walk(document)
                if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[:4].isdigit() and not _date(value)]
    if problems:
        return problems
    coverage = document["coverage"]
    if _date(coverage["start"]) > _date(coverage["end"]):
        problems.append((["coverage", "end"], "保障期结束日期早于开始日期"))
    if _date(coverage["end"]).year != document["coverage_year"]:
        problems.append((["coverage_year"], "保障年度 %d 与保障期结束日期 %s 不一致" % (document["coverage_year"], coverage["end"])))
    return problems


def window_problems(document):
    """Windows must run in order, each from ≤ to, with no gap and no overlap between neighbours; only the last
    may leave its end unknown (it then runs, for the core, to the coverage year's last day)."""
    windows = document["windows"]
    problems = [(["windows", index, "to"], "只有最后一个缴费期可以不写截止日期（{unknown: 原因}）")
                for index, window in enumerate(windows[:-1]) if isinstance(window["to"], dict)]
    problems += [(["windows", index, "monthly", "last_day"], "每月缴费的最后一日（%d日）早于第一日（%d日）" % (
        window["monthly"]["last_day"], window["monthly"]["first_day"]))
        for index, window in enumerate(windows) if window.get("monthly") and window["monthly"]["first_day"] > window["monthly"]["last_day"]]
    ends = [_date(window["to"]) if isinstance(window["to"], str) else _date(document["coverage"]["end"]) for window in windows]
    if problems or not all(_date(window["from"]) and end for window, end in zip(windows, ends)):
        return problems
    for index, window in enumerate(windows):
        if _date(window["from"]) > ends[index]:
            end_words = window["to"] if isinstance(window["to"], str) else "保障期结束日期 %s" % document["coverage"]["end"]
            problems.append((["windows", index, "to"], "缴费期结束日期 %s 早于开始日期 %s" % (end_words, window["from"])))
    for index in range(1, len(windows)):
        previous_end, start = ends[index - 1], _date(windows[index]["from"])
        expected = previous_end + datetime.timedelta(days=1)
        if start > expected:
            gap_end = start - datetime.timedelta(days=1)
            problems.append((["windows", index, "from"], "与上一个缴费期之间有空档：%s 至 %s 不属于任何缴费期" % (expected, gap_end)))
        elif start < expected:
            problems.append((["windows", index, "from"], "与上一个缴费期重叠：上一个缴费期到 %s 才结束" % previous_end))
    if not problems and not payment_windows.payment_days(document):
        problems.append((["windows"], "没有一天可以缴费：每个缴费期都是 closed，或每月可缴费的日子不在缴费期内"))
    ids = [window["id"] for window in windows]
    for index, window_id in enumerate(ids):
        if ids.index(window_id) != index:
            problems.append((["windows", index, "id"], "缴费期 id “%s”重复" % window_id))
    return problems


def reference_problems(document, vocabulary):
    """Windows, groups and tiers named in conditions must exist; a newborn condition needs a newborn rule."""
    window_ids = {window["id"] for window in document.get("windows", [])}
    tiers = {tier["value"] for tier in document.get("contribution", {}).get("tiers", [])}
    problems = []
    for path, key, value in walk(document):
        if key == "window" and isinstance(value, list):
            problems += [(path + [key, i], "没有 id 为“%s”的缴费期" % item) for i, item in enumerate(value) if item not in window_ids]
        elif key == "groups_any":
            problems += [(path + [key, i], "群体“%s”不在 policies/groups.yaml 的词表中" % item)
                         for i, item in enumerate(value) if item not in vocabulary]
        elif key == "tier" and isinstance(value, list):
            problems += [(path + [key, i], "没有第 %s 档（contribution.tiers 里没有）" % item) for i, item in enumerate(value) if item not in tiers]
        elif key == "newborn" and path and path[-1] == "when" and "newborn" not in document:
            problems.append((path + [key], "用到新生儿条件，但文件没有 newborn 一节"))
    return problems


def rule_coverage_problems(document):
    """Every window needs a last rule whose only condition is the window: then nobody falls through."""
    covered = set()
    for rule in document["rules"]:
        if set(rule["when"]) == {"window"}:
            covered.update(rule["when"]["window"])
    return [(["windows", index, "id"], "没有只以该缴费期为条件的兜底规则（rules 中 when 只有 window: [%s] 的一条）" % window["id"])
            for index, window in enumerate(document["windows"]) if window["id"] not in covered and not window.get("closed")]


def listed_subsidies(document):
    """The subsidies a file lists: none where the saved text breaks off before them (`subsidies: {unknown: …}`)."""
    return document["subsidies"] if isinstance(document["subsidies"], list) else []


def amount_problems(document):
    """A fixed subsidy that also states what the person pays must add up to one of the prices."""
    prices = {price["amount"] for price in document["contribution"]["prices"]}
    problems = []
    for index, subsidy in enumerate(listed_subsidies(document)):
        if isinstance(subsidy.get("personal_amount"), int) and isinstance(subsidy.get("amount"), int):
            total = subsidy["amount"] + subsidy["personal_amount"]
            if total not in prices:
                problems.append((["subsidies", index, "personal_amount"],
                                 "补助 %d 元 + 个人缴 %d 元 = %d 元，不等于任何一档个人缴费标准（%s）" % (
                                     subsidy["amount"], subsidy["personal_amount"], total, "、".join(map(str, sorted(prices))))))
    return problems


# Lists whose items are told apart by a key: a repeated id would charge or subsidise twice, or hide a row.
ID_LISTS = ((("rules",), "id"), (("subsidies",), "id"), (("add_ons",), "id"), (("tables",), "id"),
            (("contribution", "prices"), "id"), (("contribution", "tiers"), "value"))


def duplicate_id_problems(document):
    problems = []
    for list_path, key in ID_LISTS:
        items = document
        for step in list_path:
            items = items.get(step, []) if isinstance(items, dict) else []
        items = items if isinstance(items, list) else []
        problems += _repeated(list(list_path), items, key)
    return problems


def _repeated(list_path, items, key):
    seen, problems = {}, []
    for index, item in enumerate(items):
        value = item[key]
        if value in seen:
            problems.append((list_path + [index, key], "“%s”重复：第 %d 项已用过（每一项的 %s 要不同）" % (value, seen[value] + 1, key)))
        seen.setdefault(value, index)
    return problems


def subsidy_size_problems(document):
    """A subsidy or refund larger than every price would make what the person pays negative."""
    highest = max(price["amount"] for price in document["contribution"]["prices"])
    problems = []
    for index, subsidy in enumerate(listed_subsidies(document)):
        amount = subsidy.get("amount")
        if subsidy["kind"] == "fixed_amount" and amount == "full":
            problems.append((["subsidies", index, "amount"], "定额补助 fixed_amount 要写金额（或 {unknown: 原因}），全额补助请用 kind: full"))
        elif subsidy["kind"] == "personal_amount" and amount == "full":
            problems.append((["subsidies", index, "amount"], "personal_amount 要写本人缴的金额（或 {unknown: 原因}）"))
        elif isinstance(amount, int) and amount > highest:
            problems.append((["subsidies", index, "amount"], "%d 元大于最高的个人缴费标准 %d 元：补助或退还不能超过要缴的钱" % (amount, highest)))
    return problems


NEAR_YEAR_FIELDS = ("from", "to", "start", "end", "date", "coverage_start", "coverage_end",
                    "paid_on_or_before", "paid_on_or_after")


def near_year_problems(document):
    """Payment and cover dates lie around the coverage year: 1999 or 9999-12-31 is a typo."""
    year = document["coverage_year"]
    first, last = datetime.date(year - 2, 1, 1), datetime.date(year + 1, 12, 31)
    return [(path + [key], "日期 %s 离保障年度 %d 太远（应在 %s 至 %s 之间）" % (value, year, first, last))
            for path, key, value in walk(document)
            if key in NEAR_YEAR_FIELDS and isinstance(value, str) and _date(value) and not first <= _date(value) <= last]


# ---- the notice's own tables -------------------------------------------------------------------

def table_problems(document):
    problems = []
    for index, table in enumerate(document["tables"]):
        problems += [(["tables", index] + path, message) for path, message in check_table(table)]
    return problems


def check_table(table):
    problems = table_shape_problems(table)
    if problems:
        return problems
    keys = [column["key"] for column in table["columns"]]
    rows = [dict(zip(keys, row)) for row in table["rows"]]
    total = dict(zip(keys, table["total"]))
    mismatches = {}
    for check in table["checks"]:
        for row_name, printed, recomputed in table_mismatches(check, rows, total, keys[0]):
            mismatches[(row_name, check["column"])] = (printed, recomputed)
    declared = {(erratum["row"], erratum["column"]): erratum for erratum in table.get("errata", [])}
    for (row_name, column), (printed, recomputed) in mismatches.items():
        erratum = declared.get((row_name, column))
        if erratum is None or erratum["printed"] != printed or erratum["recomputed"] != recomputed:
            problems.append((["checks"], "“%s”行“%s”列：原表为 %s，重新计算为 %s（若原表确有此误，请在 errata 中写明）" % (
                row_name, column, printed, recomputed)))
    for index, key in enumerate(declared):
        if key not in mismatches:
            problems.append((["errata", index], "这条勘误对应的数字重新计算后并无不符，请删除"))
    return problems


CHECK_ARITY = {"sum": (1, None), "difference": (2, 2), "percent_of": (2, 2), "share_of": (1, 1), "column_total": (0, 0)}


def table_shape_problems(table):
    """What would make the recomputation meaningless: widths, row names, unknown columns, text where numbers go."""
    keys = [column["key"] for column in table["columns"]]
    lines = [(["rows", i], row) for i, row in enumerate(table["rows"])] + [(["total"], table["total"])]
    problems = [(where, "这一行有 %d 格，表头有 %d 列" % (len(row), len(keys))) for where, row in lines if len(row) != len(keys)]
    problems += [(where + [j], "表格的格子应为数字或文字，写的是 %r" % (cell,))
                 for where, row in lines for j, cell in enumerate(row) if cell is not None and not isinstance(cell, (int, str))]
    problems += [(["columns", index, "key"], "列 key “%s”重复" % key) for index, key in enumerate(keys) if keys.index(key) != index]
    if problems:
        return problems
    names = [row[0] for _, row in lines]
    problems += [(where + [0], "第一格应是行名（文字），写的是 %r" % (row[0],)) for where, row in lines if not isinstance(row[0], str)]
    problems += [(where + [0], "行名“%s”重复" % row[0]) for (where, row), index in zip(lines, range(len(lines)))
                 if isinstance(row[0], str) and names.index(row[0]) != index]
    for index, check in enumerate(table["checks"]):
        problems += [(["checks", index] + where, message) for where, message in check_shape_problems(check, keys)]
    for index, erratum in enumerate(table.get("errata", [])):
        if erratum["row"] not in names:
            problems.append((["errata", index, "row"], "表中没有名为“%s”的行" % erratum["row"]))
        if erratum["column"] not in keys:
            problems.append((["errata", index, "column"], "表头没有 key 为“%s”的列" % erratum["column"]))
    if problems:
        return problems
    for check in table["checks"]:
        problems += [problem for problem in number_cell_problems(check, keys, lines) if problem not in problems]
    return problems


def check_shape_problems(check, keys):
    problems = [(["column"], "表头没有 key 为“%s”的列（可用的列：%s）" % (check["column"], "、".join(keys)))] if check["column"] not in keys else []
    of = check.get("of", [])
    problems += [(["of", i], "表头没有 key 为“%s”的列（可用的列：%s）" % (key, "、".join(keys))) for i, key in enumerate(of) if key not in keys]
    fewest, most = CHECK_ARITY[check["kind"]]
    if len(of) < fewest or (most is not None and len(of) > most):
        wanted = "%d 列" % fewest if fewest == most else "至少 %d 列" % fewest
        problems.append((["of"], "%s 要在 of 中写 %s，写了 %d 列" % (check["kind"], wanted, len(of))) if fewest else
                        (["of"], "column_total 不需要 of"))
    if check["kind"] == "share_of" and "percent" not in check:
        problems.append(([], "share_of 要写 percent（百分之几）"))
    return problems


def number_cell_problems(check, keys, lines):
    """Cells a check adds up must be whole numbers (or empty); a percentage needs a non-zero denominator."""
    summed = list(check.get("of", [])) + ([check["column"]] if check["kind"] == "column_total" else [])
    problems = []
    for where, row in lines:
        for key in dict.fromkeys(summed):
            cell = row[keys.index(key)]
            if cell is not None and (isinstance(cell, bool) or not isinstance(cell, int)):
                problems.append((where + [keys.index(key)], "“%s”行“%s”列要参与计算，应为整数（或留空 null），写的是 %r" % (row[0], key, cell)))
        if check["kind"] == "percent_of" and not problems and not _number(row[keys.index(check["of"][1])]):
            problems.append((where + [keys.index(check["of"][1])], "“%s”行“%s”列是百分比的分母，不能为 0 或空" % (row[0], check["of"][1])))
    return problems


def table_mismatches(check, rows, total, name_key):
    """(row name, printed, recomputed) for each cell the check disagrees with."""
    column = check["column"]
    if check["kind"] == "column_total":
        recomputed = sum(_number(row[column]) for row in rows)
        return [] if _number(total[column]) == recomputed else [(total[name_key], total[column], recomputed)]
    found = []
    for row in rows + [total]:
        recomputed = recompute_cell(check, row)
        if recomputed != row[column]:
            found.append((row[name_key], row[column], recomputed))
    return found


def recompute_cell(check, row):
    values = [_number(row[key]) for key in check.get("of", [])]
    if check["kind"] == "sum":
        return sum(values)
    if check["kind"] == "difference":
        return values[0] - values[1]
    if check["kind"] == "share_of":
        return int((Decimal(values[0]) * check["percent"] / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    # percent_of: a rate printed as text with two decimals, e.g. "30.57%"
    rate = (Decimal(values[0]) * 100 / Decimal(values[1])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return "%s%%" % rate


def _number(cell):
    return 0 if cell is None else cell


# ---- compile ---------------------------------------------------------------------------------

def compile_policy(document, notice, vocabulary, layers):
    policy = plain(document)
    notice_id = policy["id"]
    _resolve_sources(policy, notice, notice_id)
    for key in QUOTE_LISTS:
        policy[key] = [_quote_line(quote, notice) for quote in policy.get(key, [])]
    plain_document(policy["document"])
    if not isinstance(policy["subsidies"], list):
        policy["subsidies_unknown"] = policy["subsidies"]["unknown"]
        policy["subsidies"] = []
    built_on = [layers[layer_id] for layer_id in reversed(policy.get("builds_on", []))]
    policy["documents"] = [document_summary(notice_id, policy["notice"], policy["document"], "county")] + [
        document_summary(layer["id"], layer["notice"], layer["document"], layer["level"]) for layer in built_on]
    continuity = layers_module.merged_continuity(policy, built_on)
    if continuity:
        policy["continuity"] = continuity
    policy["benefit_rewards"] = layers_module.merged_rewards(policy, built_on)
    policy["vocabulary"] = {group: entry["name"] for group, entry in vocabulary.items()}
    policy["group_aliases"] = {alias: group for group, entry in vocabulary.items() for alias in entry.get("aliases", [])}
    named = groups_in([document, policy.get("continuity")])
    policy["groups_named"] = sorted(named)
    policy["form"] = form_description(policy, vocabulary)
    return policy


def document_summary(document_id, notice_file, document, level):
    """What pages cite for one document of a policy: the county notice first, then its layers."""
    return dict({key: value for key, value in document.items() if key != "sources"},
                id=document_id, notice=notice_file, level=level, page=notice_page(document_id, level))


def notice_page(document_id, level):
    """The page (beside the county page) that shows a document's text with line anchors."""
    return "notice.html" if level == "county" else "notice-%s.html" % document_id


def plain_document(document):
    """Title, number and date a notice leaves out become None, their reasons kept under `missing`."""
    missing = {key: value["unknown"] for key, value in document.items() if isinstance(value, dict) and "unknown" in value}
    document.update(dict.fromkeys(missing))
    document["missing"] = missing


def layering_problems(document, layers):
    """Layers named in builds_on must exist; 2025+ continuity needs the windows that count as concentrated."""
    problems = [(["builds_on", index], "找不到上级文件“%s”（policies/national/ 或 policies/provinces/ 下的 id）" % layer_id)
                for index, layer_id in enumerate(document.get("builds_on", [])) if layer_id not in layers]
    province = document["jurisdiction"]["province"]
    problems += [(["builds_on", index], "上级文件“%s”是%s的规定，本通知是%s的" % (layer_id, layers[layer_id]["province"], province))
                 for index, layer_id in enumerate(document.get("builds_on", []))
                 if layers.get(layer_id, {}).get("province") not in (None, province)]
    continuity = document.get("continuity", {})
    window_ids = {window["id"] for window in document["windows"]}
    problems += [(["continuity", "concentrated_windows", index], "没有 id 为“%s”的缴费期" % window_id)
                 for index, window_id in enumerate(continuity.get("concentrated_windows", [])) if window_id not in window_ids]
    inherits = any(layers.get(layer_id, {}).get("continuity") for layer_id in document.get("builds_on", []))
    problems += [(["rules", index, "waiting"], "waiting: continuity 要有2025年起的待遇等待期规定（continuity 或 builds_on）")
                 for index, rule in enumerate(document["rules"])
                 if rule.get("waiting") == "continuity" and not (continuity or inherits)]
    if (continuity or inherits) and not continuity.get("concentrated_windows"):
        problems.append((["continuity"], "用到2025年起的待遇等待期规定，须写明 continuity.concentrated_windows（哪些缴费期是集中缴费期）"))
    return problems


def _resolve_sources(node, notice, notice_id):
    if isinstance(node, dict):
        if "source" in node:
            quotes = node.pop("source")
            node["sources"] = [dict(_quote_line(quote, notice), notice=notice_id)
                               for quote in (quotes if isinstance(quotes, list) else [quotes])]
        for value in node.values():
            _resolve_sources(value, notice, notice_id)
    elif isinstance(node, list):
        for item in node:
            _resolve_sources(item, notice, notice_id)


def _quote_line(item, notice):
    quote, line = quote_and_line(item)
    first, last = notice.find(quote, line)
    return {"quote": quote, "line": first, "end_line": last}


def form_description(policy, vocabulary):
    """What the calculator form must ask for this notice, and nothing more."""
    read = set()
    for when in conditions.whens([policy["rules"], policy["contribution"], policy["subsidies"], policy.get("continuity")]):
        read |= conditions.facts_read(when)
    student_values = sorted({status for _, key, value in walk(policy["rules"] + policy["contribution"]["prices"])
                             if key == "student" for status in value})
    return {
        "tiers": [{"value": tier["value"], "label": tier["label"]} for tier in policy["contribution"].get("tiers", [])],
        "groups": form_groups(policy, vocabulary),
        "student_statuses": [{"value": value, "label": STUDENT_LABELS[value]}
                             for value in ["none"] + [status for status in STUDENT_LABELS if status in student_values and status != "none"]]
        if student_values else [],
        "add_ons": [{"id": item["id"], "name": item["name"], "price": item["amount"]} for item in policy.get("add_ons", [])],
        "asks": [key for key in facts.FACTS if (key in read or key in history_facts(policy)) and key not in FACTS_ASKED_OTHERWISE],
        "payment_period": payment_period(policy),
    }


def payment_period(policy):
    """The first and last days a payment is taken (a closed span or day never), and whether the notice
    states the last one (else it is the coverage year's last day, which pages never show as a deadline)."""
    days = payment_windows.payment_days(policy)
    return {"first": days[0][0].isoformat(), "last": days[-1][1].isoformat(),
            "last_known": payment_windows.end_is_known(policy["windows"][-1])}


def form_groups(policy, vocabulary):
    """The groups this notice names, most common first, each with who counts (the vocabulary's
    description) and, where the notice narrows it by more than the group (an age, a disability),
    the label of that subsidy: "低收入家庭中的残疾人、60周岁以上老人、未满18周岁未成年人……"."""
    # Where the saved text breaks off before the groups, every group may matter: the answer is then "未写明".
    named = set(vocabulary) if policy.get("subsidies_unknown") else set(policy["groups_named"])
    return [{"id": group, "name": entry["name"], "description": entry.get("description"),
             "here": [subsidy["label"] for subsidy in policy["subsidies"]
                      if group in groups_in(subsidy) and set(subsidy["when"]) != {"groups_any"}]}
            for group, entry in vocabulary.items() if group in named]


def groups_in(node):
    """The groups the conditions under `node` (a policy or a part of one) name."""
    return {group for when in conditions.whens(node) for key, value in conditions.conditions_of(when)
            if key == "groups_any" for group in value}


def history_facts(policy):
    """The enrollment-history facts a policy with 2025+ continuity rules asks."""
    continuity = policy.get("continuity")
    if not continuity:
        return ()
    return ("missed_years", "repair_years") if "repair" in continuity else ("missed_years",)
