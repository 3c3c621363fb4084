"""YAML that remembers where each key and item stood, refuses duplicate keys and keeps dates as text.

Dates stay ISO strings so a policy compiles to plain JSON; the schema checks their shape.
"""
import yaml


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


def _mapping(loader, node):
    mapping = LocatedDict(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise YamlProblem(line, str(key), "键“%s”重复（第 %d 行已写过）" % (key, mapping.key_lines[key]))
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


def load(text):
    """Parse YAML text; raises YamlProblem with the line of a duplicate key or a syntax error."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(mark.line + 1 if mark else 1, "", "YAML 格式错误：%s" % error.problem)


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
