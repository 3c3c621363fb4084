"""The "政策文件怎么写" page: the policy author guide and a field table, both read from policies/.

docs/schema.md holds the page's frame with two markers; the guide (policies/README.md) and the field
table (from policies/schema.json) replace them at build time, so the page never drifts from what the
validator checks.  The schema, the group vocabulary and a sample policy are published beside it.
"""
import json
import re

from calculator.policyfile import POLICIES_DIR, TYPE_NAMES

GUIDE_MARKER = "<!-- policy-author-guide -->"
FIELDS_MARKER = "<!-- policy-schema-fields -->"
DOWNLOADS_DIR = "policy-files"
PUBLISHED = {"schema.json": "结构定义 schema.json", "groups.yaml": "群体词表 groups.yaml"}


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
    return {GUIDE_MARKER: author_guide(policies), FIELDS_MARKER: field_table()}


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


def field_table():
    schema = json.loads((POLICIES_DIR / "schema.json").read_text(encoding="utf-8"))
    lines = ["| 字段 | 必填 | 类型 | 下一层的字段（* 为必填） |", "|---|---|---|---|"]
    for name, spec in schema["properties"].items():
        resolved = _resolve(spec, schema)
        lines.append("| `%s` | %s | %s | %s |" % (
            name, "是" if name in schema["required"] else "否", _type_name(resolved, schema), _children(resolved, schema)))
    return "\n".join(lines)


def _resolve(spec, schema):
    while "$ref" in spec:
        spec = schema["$defs"][spec["$ref"].rsplit("/", 1)[-1]]
    return spec


def _type_name(spec, schema):
    if spec.get("type") == "array":
        return "%s的列表" % _type_name(_resolve(spec.get("items", {}), schema), schema)
    kinds = spec.get("type") or ("二选一" if "oneOf" in spec or "anyOf" in spec else "")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "或".join(TYPE_NAMES.get(kind, kind) for kind in kinds)


def _children(spec, schema):
    if spec.get("type") == "array":
        spec = _resolve(spec.get("items", {}), schema)
    required = set(spec.get("required", []))
    return "、".join("`%s`%s" % (key, "*" if key in required else "") for key in spec.get("properties", {}))
