"""The staff guide (policies/README.md) keeps up with the condition registry, and the field reference of
docs/schema.md with policies/schema.json and the shipped files."""
import json
import re

import markdown

from build_scripts import schema_page
from calculator import located_yaml
from calculator.core import conditions
from calculator.layers import LAYER_FOLDERS
from calculator.located_yaml import plain
from calculator.policyfile import POLICIES_DIR


def test_the_staff_guide_lists_every_condition():
    guide = (POLICIES_DIR / "README.md").read_text(encoding="utf-8")
    conditions_table = guide.split("### 条件（when）")[1].split("\n### ")[0]
    listed = set(re.findall(r"`([a-z_]+)", conditions_table))
    assert set(conditions.CONDITIONS) <= listed, "policies/README.md 的条件表缺少：%s" % sorted(set(conditions.CONDITIONS) - listed)


# ---- the field reference of docs/schema.md (build_scripts/schema_page.py) ----

SCHEMA = json.loads((POLICIES_DIR / "schema.json").read_text(encoding="utf-8"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def schema_properties(node, pointer=""):
    """(JSON pointer, name, schema) of every property declared in the schema (an `if` only tests, it declares none)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties":
                for name, prop in value.items():
                    yield "%s/properties/%s" % (pointer, name), name, prop
                    yield from schema_properties(prop, "%s/properties/%s" % (pointer, name))
            elif key != "if":
                yield from schema_properties(value, "%s/%s" % (pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from schema_properties(value, "%s/%d" % (pointer, index))


def description_of(prop):
    if "description" in prop or "$ref" not in prop:
        return prop.get("description", "")
    return SCHEMA["$defs"][prop["$ref"].rsplit("/", 1)[-1]].get("description", "")


def test_every_schema_property_says_in_chinese_what_it_is():
    undescribed = [pointer for pointer, _name, prop in schema_properties(SCHEMA) if not CHINESE.search(description_of(prop))]
    assert undescribed == [], "policies/schema.json: add a Chinese description to %s" % undescribed


def reference_rows():
    """{field path: (必填, 类型, 说明, 例子)} of each table of the generated reference, policy file first."""
    tables = []
    for part in schema_page.field_reference().split("\n### "):
        rows = re.findall(r"^\| `([^`]+)` \| (.*?) \| (.*?) \| (.*?) \| (.*?) \|$", part, re.M)
        tables.append({path: cells for path, *cells in rows})
    return tables


def written_fields(node, path=""):
    """The field paths a YAML file writes (`windows[].monthly.first_day`), not looking into conditions, an
    `{unknown: …}`, a quote (its `{quote, line}` form is the quote kind's) or `derived` (the reference says
    once where `derived` may go)."""
    if isinstance(node, list):
        for item in node:
            yield from written_fields(item, path + "[]")
    elif isinstance(node, dict) and set(node) != {"unknown"}:
        for key, value in node.items():
            field = "%s.%s" % (path, key) if path else key
            if key != "derived":
                yield field
                if key not in ("when", "source", "replaces"):
                    yield from written_fields(value, field)


def shipped(folder):
    return [plain(located_yaml.load(located_yaml.read_text(path))) for path in sorted(folder.glob("*.yaml")) if path.name != "groups.yaml"]


def test_the_field_reference_lists_every_field_the_shipped_files_write():
    policy_rows, layer_rows = reference_rows()
    layers = [document for folder in LAYER_FOLDERS for document in shipped(POLICIES_DIR / folder)]
    for documents, rows in ((shipped(POLICIES_DIR), policy_rows), (layers, layer_rows)):
        written = {field for document in documents for field in written_fields(document)}
        assert written - set(rows) == set()


def test_the_field_reference_names_every_property_and_fills_every_cell():
    policy_rows, layer_rows = reference_rows()
    listed = {path.rsplit(".", 1)[-1] for path in [*policy_rows, *layer_rows]}
    # The named kinds of value (a quote's `{quote, line}`) are explained in the type column, not as fields.
    named = tuple("/$defs/%s/" % kind for kind in schema_page.NAMED_TYPES)
    assert {name for pointer, name, _prop in schema_properties(SCHEMA) if not pointer.startswith(named)} - listed == set()
    assert set(SCHEMA["properties"]) <= set(policy_rows) and set(SCHEMA["$defs"]["layer"]["properties"]) <= set(layer_rows)
    for path, (required, kind, description, example) in {**policy_rows, **layer_rows}.items():
        assert required in ("是", "否", schema_page.SOMETIMES_REQUIRED) and kind, path
        assert CHINESE.search(description), path
        assert example.startswith("`") and len(example) > 2, "%s: no example in policies/ and no `examples` in the schema" % path


def test_an_example_is_the_first_plain_value_a_shipped_file_writes():
    documents = [{"a": [{"b": {"unknown": "原文没有写"}}, {"b": None}]}, {"a": [{"b": 7}]}]
    assert schema_page.values_at(documents, "a[].b") == [{"unknown": "原文没有写"}, None, 7]
    assert schema_page.example("a[].b", {}, SCHEMA, documents) == "7"
    assert schema_page.example("a[].c", {"examples": [True]}, SCHEMA, documents) == "true"
    assert schema_page.example("a[].c", {}, SCHEMA, documents) == ""


def test_the_field_reference_renders_as_plain_table_cells():
    """Braces ending a cell ({unknown: 原因}) would be read by the site's attr_list extension as HTML attributes."""
    html = markdown.markdown(schema_page.field_reference(), extensions=["attr_list", "tables"])
    assert re.findall(r"<t[dh] [^>]*>", html) == []
