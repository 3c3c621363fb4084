"""YAML that remembers where each key and item stood, refuses duplicate keys and keeps dates as text.

Dates stay ISO strings so a policy compiles to plain JSON; the schema checks their shape.

A policy file is written by staff, so the loader refuses what a hand-written file never needs and a
hostile or broken one could use to crash or stall the build: files that are too large or not UTF-8,
anchors and aliases (an "alias bomb" expands a few lines into gigabytes), explicit tags, nesting deeper
than any policy needs, and keys that are not text.
"""
import codecs
import re

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_INTEGER_DIGITS = 12
PLAIN_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,%d})" % (MAX_INTEGER_DIGITS - 1))


class LocatedDict(dict):
    """A mapping with the line (1-based) of the mapping and of each of its keys."""

    def __init__(self, line):
        super().__init__()
        self.line = line
        self.key_lines = {}


class LocatedList(list):
    def __init__(self, line):
        super().__init__()
        self.line = line
        self.item_lines = []


class YamlProblem(Exception):
    def __init__(self, line, field, message):
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


# libyaml's parser when PyYAML was built with it (the pinned wheels are): 3× faster on large trees.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


KEY_KINDS = {"tag:yaml.org,2002:null": "空值", "tag:yaml.org,2002:bool": "真假值（yes/no/on/off 等要加引号）",
             "tag:yaml.org,2002:int": "数字", "tag:yaml.org,2002:float": "数字"}


def _key(loader, key_node):
    """The key as text; anything else (a list, null, a number, yes/no) is refused with its line."""
    line = key_node.start_mark.line + 1
    if not isinstance(key_node, yaml.ScalarNode):
        raise YamlProblem(line, "", "键应为文字，这里写的是%s" % ("列表" if isinstance(key_node, yaml.SequenceNode) else "映射"))
    key = loader.construct_object(key_node)
    if not isinstance(key, str):
        raise YamlProblem(line, "", "键应为文字，这里写的是%s：%s" % (KEY_KINDS.get(key_node.tag, "非文字"), key_node.value or "~"))
    return key


def _mapping(loader, node):
    mapping = LocatedDict(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = _key(loader, key_node)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise YamlProblem(line, key, "键“%s”重复（第 %d 行已写过）" % (key, mapping.key_lines[key]))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _sequence(loader, node):
    items = LocatedList(node.start_mark.line + 1)
    for item_node in node.value:
        items.append(loader.construct_object(item_node, deep=True))
        items.item_lines.append(item_node.start_mark.line + 1)
    return items


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


def read_text(path, max_bytes=MAX_BYTES):
    """The text of a UTF-8 file (a BOM is allowed); YamlProblem if it is too large or in another encoding."""
    with open(path, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise YamlProblem(1, "", "文件太大（超过 %d 字节）；一份通知的政策文件不会这么大，请检查是否粘贴了多余内容" % max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlProblem(line, "", "文件不是 UTF-8 编码（%s）；请在编辑器中选择“UTF-8”另存" % guess_encoding(data))


BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def guess_encoding(data):
    """The likely encoding of text that is not UTF-8, in words for the message."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return "看起来是 %s 编码" % name
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return "编码无法识别"
    return "看起来是 GB18030（GBK）编码，中文 Windows 记事本的默认编码"


def load(text):
    """Parse YAML text; raises YamlProblem with the line of what it refuses or of a syntax error."""
    try:
        _refuse_what_a_policy_never_needs(text)
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(mark.line + 1 if mark else 1, "", "YAML 格式错误：%s" % error.problem)
    except yaml.YAMLError as error:
        raise YamlProblem(1, "", "YAML 格式错误：%s" % error)


def _refuse_what_a_policy_never_needs(text):
    """One pass over the parser's events (libyaml keeps its own stack: no recursion, however deep)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(line, "", "不支持 YAML 锚点和别名（&名称、*名称）：请把内容直接写出来")
        if getattr(event, "tag", None):
            raise YamlProblem(line, "", "不支持 YAML 标签（%s）：请直接写值" % event.tag.replace("tag:yaml.org,2002:", "!!"))
        if isinstance(event, yaml.ScalarEvent) and event.implicit[0] and _is_odd_integer(event.value):
            raise YamlProblem(line, "", "整数请直接写阿拉伯数字（不要以 0 开头，不要用 0x、下划线或冒号，也不要超过 %d 位）：%s" % (
                MAX_INTEGER_DIGITS, event.value[:20]))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(line, "", "嵌套超过 %d 层；政策文件不需要这么深的结构" % MAX_DEPTH)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _is_odd_integer(value):
    """A plain scalar YAML 1.1 reads as an integer but not written as one: 0x1F, 1_000, 1:20 (= 80), or
    longer than any figure of a notice (Python refuses to read more than 4,300 digits at all)."""
    tag = next((tag for tag, pattern in _Loader.yaml_implicit_resolvers.get(value[:1], []) if pattern.match(value)), None)
    return tag == "tag:yaml.org,2002:int" and not PLAIN_INTEGER.fullmatch(value)


def line_of(document, path):
    """The line of the deepest node of `path` (keys and indexes) that the document has."""
    node, line = document, getattr(document, "line", 1)
    for step in path:
        if isinstance(node, LocatedDict) and step in node:
            line, node = node.key_lines[step], node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            line, node = node.item_lines[step], node[step]
        else:
            break
    return line


def field_name(path):
    name = ""
    for step in path:
        name += "[%d]" % step if isinstance(step, int) else ("." if name else "") + str(step)
    return name


def plain(node):
    """The same data as ordinary dicts and lists, ready for json.dumps."""
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(item) for item in node]
    return node
