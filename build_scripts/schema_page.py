"""The "政策文件怎么写" page: the policy author guide and a field reference, both read from policies/.

docs/schema.md holds the page's frame with two markers; the guide (policies/README.md) and the field
reference (every field of policies/schema.json with its description and an example from the shipped files)
replace them at build time, so the page never drifts from what the validator checks. The schema, the group
vocabulary and a sample policy are published beside it.
"""
import json
import re

from calculator import located_yaml
from calculator.layers import LAYER_FOLDERS
from calculator.located_yaml import plain
from calculator.policyfile import POLICIES_DIR, TYPE_NAMES

GUIDE_MARKER = "<!-- policy-author-guide -->"
FIELDS_MARKER = "<!-- policy-schema-fields -->"
DOWNLOADS_DIR = "policy-files"
PUBLISHED = {"schema.json": "结构定义 schema.json", "groups.yaml": "群体词表 groups.yaml"}
SOMETIMES_REQUIRED = "看写法"
MAX_EXAMPLE_CHARS = 60
# Kinds of value named once instead of spelt out (or, for `when`, listed in the guide's 条件 table).
NAMED_TYPES = {"date": "日期（年-月-日）", "money": "金额（整数元）", "unknown": "`{unknown: 原因}`",
               "source": "原文句子或句子的列表（出现不止一次的句子写 `{quote: 原文, line: 行号}`）",
               "quote": "原文句子（或 `{quote: 原文, line: 行号}`）", "quotes": "原文句子的列表", "id": "编号（小写字母、数字、- 和 _）",
               "when": "条件（见上文「条件（when）」）"}
FIELDS_INTRO = """下面的表由 [`schema.json`](%s/schema.json) 生成，列出政策文件和上级文件的每一个字段。
`a.b` 是 `a` 下面的 `b`，`a[]` 是列表 `a` 的每一项；
“必填”指上一层写了时它必须写，“看写法”指几种写法中的某一种要写它（见说明）。
凡是有 `source` 的部分都可以加 `derived`，写明原文没有直接写出的值是怎样得出的。
例子取自本站的政策文件（没有文件用到的字段，取自 schema 里的例子），过长的只显示开头。""" % DOWNLOADS_DIR


def published_files(policies):
    """{site path: content}: the schema, the vocabulary and the latest policy's YAML as a sample."""
    files = {"%s/%s" % (DOWNLOADS_DIR, name): (POLICIES_DIR / name).read_text(encoding="utf-8") for name in PUBLISHED}
    sample = sample_policy(policies)
    if sample:
        files["%s/sample.yaml" % DOWNLOADS_DIR] = (POLICIES_DIR / (sample["id"] + ".yaml")).read_text(encoding="utf-8")
    return files


def sample_policy(policies):
    return next((policy for policy in policies if (POLICIES_DIR / (policy["id"] + ".yaml")).exists()), None)


def inserts(policies):
    """{marker: Markdown} for docs/schema.md."""
    return {GUIDE_MARKER: author_guide(policies), FIELDS_MARKER: field_reference()}


def author_guide(policies):
    """policies/README.md without its title, its links pointing at the published copies."""
    guide = (POLICIES_DIR / "README.md").read_text(encoding="utf-8")
    guide = re.sub(r"\A# .*\n", "", guide)
    for name in PUBLISHED:
        guide = guide.replace("](%s)" % name, "](%s/%s)" % (DOWNLOADS_DIR, name))
    links = ["[%s](%s/%s)" % (label, DOWNLOADS_DIR, name) for name, label in PUBLISHED.items()]
    sample = sample_policy(policies)
    if sample:
        links.append("[示例：%s](%s/sample.yaml)" % (sample["name"], DOWNLOADS_DIR))
    return "下载：" + " · ".join(links) + "\n\n" + guide


def field_reference(directory=POLICIES_DIR):
    """Markdown tables of every field of a policy file and of a layer file, from policies/schema.json, each
    with an example from the shipped files (the same kind of file first), else from the schema's `examples`."""
    schema = json.loads((directory / "schema.json").read_text(encoding="utf-8"))
    policies = _documents(path for path in directory.glob("*.yaml") if path.name != "groups.yaml")
    layers = _documents(path for folder in LAYER_FOLDERS for path in (directory / folder).glob("*.yaml"))
    return "\n\n".join([
        FIELDS_INTRO,
        field_table(schema, schema, policies + layers),
        "### 上级文件的字段（`policies/national/`、`policies/provinces/`）",
        field_table(schema["$defs"]["layer"], schema, layers + policies),
    ])


def field_table(spec, schema, documents):
    lines = ["| 字段 | 必填 | 类型 | 说明 | 例子 |", "|---|---|---|---|---|"]
    for path, prop, required in schema_fields(spec, schema):
        lines.append("| `%s` | %s | %s | %s | %s |" % (
            path, required, type_name(prop, schema), _description_cell(described(prop, schema, "description") or ""),
            _example_cell(example(path, prop, schema, documents))))
    return "\n".join(lines)


def schema_fields(spec, schema, prefix=""):
    """(path, property schema, 是/否/看写法) for every field under `spec`, depth first; a list's items are `[]`."""
    for name, prop, required in _properties(spec, schema):
        path = prefix + name
        yield path, prop, required
        for suffix, inner in _containers(prop, schema):
            yield from schema_fields(inner, schema, path + suffix + ".")


def _properties(spec, schema):
    """The properties of an object schema and of its alternatives (oneOf/anyOf), each once, with whether it
    is required: always, by some ways of writing the object (an alternative, an if/then), or never."""
    alternatives = _alternatives(spec, schema)
    conditions = [rule["then"] for rule in spec.get("allOf", []) if "then" in rule]
    conditions += [branch for then in conditions for branch in then.get("oneOf", [])]
    merged = dict(spec.get("properties", {}))
    for branch in alternatives:
        for name, prop in branch.get("properties", {}).items():
            merged.setdefault(name, prop)
    for name, prop in merged.items():
        if name in spec.get("required", []) or (alternatives and all(name in branch.get("required", []) for branch in alternatives)):
            yield name, prop, "是"
        elif any(name in part.get("required", []) for part in alternatives + conditions):
            yield name, prop, SOMETIMES_REQUIRED
        else:
            yield name, prop, "否"


def _containers(prop, schema):
    """(path suffix, schema) of each way `prop` holds fields of its own: as an object, or as a list of objects."""
    if _named(prop):
        return []
    spec = _resolve(prop, schema)
    ways = [spec] + _alternatives(spec, schema)
    found = [("", spec)] if any(way.get("properties") for way in ways) else []
    for way in ways:
        if way.get("type") == "array" and "items" in way and not _named(way["items"]):
            items = _resolve(way["items"], schema)
            if any(part.get("properties") for part in [items] + _alternatives(items, schema)):
                found.append(("[]", items))
    return found


def _alternatives(spec, schema):
    """The resolved oneOf/anyOf branches of `spec`, leaving out the named kinds of value ({unknown: …}, a date…)."""
    return [_resolve(branch, schema) for branch in spec.get("oneOf", []) + spec.get("anyOf", []) if not _named(branch)]


def _named(spec):
    return spec.get("$ref", "").rsplit("/", 1)[-1] in NAMED_TYPES


def _resolve(spec, schema):
    while "$ref" in spec:
        spec = schema["$defs"][spec["$ref"].rsplit("/", 1)[-1]]
    return spec


def described(prop, schema, key):
    """The property's own `description` (or `examples`), else that of the definition it refers to."""
    if key in prop:
        return prop[key]
    return _resolve(prop, schema).get(key)


def type_name(spec, schema):
    """What a value may be, in Chinese: 整数（1 至 24）, 日期（年-月-日）或 `{unknown: 原因}`, 编号的列表…"""
    reference = spec.get("$ref", "").rsplit("/", 1)[-1]
    if reference:
        return NAMED_TYPES.get(reference) or type_name(schema["$defs"][reference], schema)
    branches = spec.get("oneOf", []) + spec.get("anyOf", [])
    if branches and "type" not in spec and "properties" not in spec:
        return " 或 ".join(dict.fromkeys(type_name(branch, schema) for branch in branches))
    if "const" in spec:
        return "`%s`" % _flow(spec["const"])
    if "enum" in spec:
        return "、".join("`%s`" % value for value in spec["enum"]) + " 之一"
    kinds = spec.get("type", "object")
    if kinds == "array":
        return "%s的列表" % type_name(spec["items"], schema) if "items" in spec else TYPE_NAMES["array"]
    name = "或".join(TYPE_NAMES.get(kind, kind) for kind in (kinds if isinstance(kinds, list) else [kinds]))
    return name + _bounds(spec)


def _bounds(spec):
    if "minimum" in spec and "maximum" in spec:
        return "（%s 至 %s）" % (spec["minimum"], spec["maximum"])
    if "minimum" in spec:
        return "（至少 %s）" % spec["minimum"]
    return "（至多 %s）" % spec["maximum"] if "maximum" in spec else ""


def example(path, prop, schema, documents):
    """The first value written at `path` in the shipped files (a plain one, not empty, null or `{unknown: …}`,
    if any is), else the schema's first example, as one line of YAML; "" when there is neither."""
    values = values_at(documents, path) or (described(prop, schema, "examples") or [])[:1]
    if not values:
        return ""
    plain_values = [value for value in values if value not in (None, [], {}) and not _is_unknown(value)]
    return _flow((plain_values or values)[0])


def _is_unknown(value):
    return isinstance(value, dict) and set(value) == {"unknown"}


def values_at(documents, path):
    """Every value at `path` (`windows[].monthly.first_day`) in `documents`, in order."""
    values = list(documents)
    for step in path.split("."):
        name = step.removesuffix("[]")
        values = [value[name] for value in values if isinstance(value, dict) and name in value]
        if step.endswith("[]"):
            values = [item for value in values if isinstance(value, list) for item in value]
    return values


def _documents(paths):
    """The YAML files as plain data, the newest coverage year first (their examples are the ones shown)."""
    documents = [plain(located_yaml.load(located_yaml.read_text(path))) for path in sorted(paths)]
    return sorted(documents, key=lambda document: -document.get("coverage_year", 0))


def _example_cell(text):
    if not text:
        return ""
    if len(text) > MAX_EXAMPLE_CHARS:
        text = text[:MAX_EXAMPLE_CHARS] + "…"
    return "`%s`" % _cell(text)


def _flow(value):
    """A value as YAML flow text, the way it could be written on one line of a policy file."""
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s: %s" % (key, _flow(item)) for key, item in value.items())
    if isinstance(value, list):
        return "[%s]" % ", ".join(_flow(item) for item in value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return str(value)


def _description_cell(text):
    """A description with the YAML it quotes ({unknown: 原因}) as code: Markdown's attr_list would read a
    cell ending in braces as HTML attributes."""
    return re.sub(r"\{[^{}]*\}", lambda match: "`%s`" % match.group(0), _cell(text))


def _cell(text):
    """Text safe inside a Markdown table cell: one line, no column separator."""
    return " ".join(str(text).split()).replace("|", "｜")
