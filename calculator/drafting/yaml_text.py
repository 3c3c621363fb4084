"""The draft written as YAML text by hand (the browser worker has no PyYAML), with 待补 comments, and the
list of what was found on which lines (the staff page highlights them)."""
import datetime
import json
import re

from .found import Quote, Todo

PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9.+~][^:#\[\]{},'\"]*$")
NOT_PLAIN = re.compile(r"^(?:true|false|null|yes|no|on|off|~)$|\s$", re.IGNORECASE)
CANDIDATE_WIDTH = 120
COMMENT = "#"


class Writer:
    def __init__(self, notice):
        self.notice = notice
        self.lines, self.found, self.todos = [], [], []

    def document(self, tree):
        self._mapping(tree, 0, "")
        return "\n".join(self.lines) + "\n"

    def _mapping(self, mapping, indent, path, first_prefix=None):
        pad = " " * indent
        for index, (key, value) in enumerate(mapping.items()):
            prefix = first_prefix if index == 0 and first_prefix is not None else pad
            if key.startswith(COMMENT) and isinstance(value, Todo):
                self._todo(prefix + "#", value, indent - 2, _join(path, key[1:]))
                continue
            if key.startswith(COMMENT):
                self.lines += [prefix + "# " + line for line in value]
                continue
            self._entry(prefix, key, value, indent, _join(path, key))
        if "source" in mapping:
            self._record(mapping, path)

    def _entry(self, prefix, key, value, indent, path):
        if isinstance(value, Todo):
            self._todo(prefix + key + ":", value, indent, path)
        elif key == "source":
            self._source(prefix, value, indent)
        elif isinstance(value, dict) and value:
            self.lines.append(prefix + key + ":")
            self._mapping(value, indent + 2, path)
        elif isinstance(value, list) and value and not _flow(value):
            self.lines.append(prefix + key + ":")
            self._items(value, indent + 2, path)
        else:
            self.lines.append(prefix + key + ": " + scalar(value))

    def _items(self, items, indent, path):
        pad = " " * indent
        for index, item in enumerate(items):
            item_path = "%s[%d]" % (path, index)
            if isinstance(item, dict):
                comments = {key: value for key, value in item.items() if key.startswith(COMMENT)}
                for lines in comments.values():
                    self.lines += [pad + "# " + line for line in lines]
                rest = {key: value for key, value in item.items() if key not in comments}
                self._mapping(rest, indent + 2, item_path, first_prefix=pad + "- ")
            else:
                self.lines.append(pad + "- " + scalar(item))

    def _source(self, prefix, quotes, indent):
        quotes = quotes if isinstance(quotes, list) else [quotes]
        if len(quotes) == 1:
            self.lines.append(prefix + "source: " + self._quote(quotes[0]))
            return
        self.lines.append(prefix + "source:")
        self.lines += [" " * (indent + 2) + "- " + self._quote(quote) for quote in quotes]

    def _quote(self, quote):
        if self.notice.occurrences(quote.words) > 1:
            return "{quote: %s, line: %d}" % (scalar(quote.words), quote.first_line)
        return scalar(quote.words)

    def _todo(self, head, todo, indent, path):
        """`head` is `key:` (the value left empty), or `#` for a 待补 that is no value of its own."""
        self.lines.append(head + ("  # 待补：" if head.endswith(":") else " 待补：") + todo.reason)
        pad = " " * (indent + 2)
        for sentence in todo.candidates:
            words = "".join(sentence.raw.split())
            cut = words if len(words) <= CANDIDATE_WIDTH else words[:CANDIDATE_WIDTH] + "…"
            self.lines.append("%s#   第%d行：%s" % (pad, sentence.first_line, cut))
        self.todos.append({"field": path, "reason": todo.reason, "lines": [sentence.first_line for sentence in todo.candidates]})

    def _record(self, mapping, path):
        """Each value of a part that cites the notice, with the lines of the quotes that write it (else of all)."""
        quotes = [quote for quote in (mapping["source"] if isinstance(mapping["source"], list) else [mapping["source"]])
                  if isinstance(quote, Quote)]
        for key, value in mapping.items():
            for value_path, leaf in _leaves(value, _join(path, key)):
                if key not in ("source", "id", "label", "name") and not key.startswith(COMMENT):
                    writing = [quote for quote in quotes if _writes(quote, leaf)] or quotes
                    lines = sorted({line for quote in writing for line in range(quote.first_line, quote.last_line + 1)})
                    self.found.append({"field": value_path, "value": scalar(leaf), "lines": lines})


def _leaves(value, path):
    if isinstance(value, dict) and "source" not in value:
        for key, inner in value.items():
            yield from _leaves(inner, _join(path, key))
    elif isinstance(value, (int, str, datetime.date)) and not isinstance(value, bool):
        yield path, value


def _writes(quote, value):
    """Whether the quote's words hold the value as written (a date as 10月15日 or 2025-10-15), or are a piece of
    it (a title over several lines)."""
    words = quote.sentence.text[quote.start:quote.end]
    if isinstance(value, datetime.date):
        return "%d月%d日" % (value.month, value.day) in words or value.isoformat() in words
    if isinstance(value, int):
        return str(value) in words
    value = "".join(value.split())
    return value in words or words in value


def _join(path, key):
    return "%s.%s" % (path, key) if path else key


def _flow(items):
    return all(isinstance(item, (str, int)) for item in items) and sum(len(str(item)) for item in items) < 80


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, datetime.date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, list):
        return "[%s]" % ", ".join(scalar(item) for item in value)
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s: %s" % (key, scalar(inner)) for key, inner in value.items())
    if PLAIN.match(value) and not NOT_PLAIN.search(value):
        return value
    return json.dumps(value, ensure_ascii=False)
