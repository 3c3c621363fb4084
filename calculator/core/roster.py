"""A village roster (代缴名单): CSV text in, every row priced, CSV text out.

Runs unchanged in CPython (`python -m calculator roster`) and in the browser worker (`roster_json`);
reading files and guessing their encoding is the caller's job. Each row is priced on its own, as a
household of one member: a roster lists people, not households.

A column maps to a member fact of `facts.FACTS` (by the fact's label or a header alias below); how
a cell is read follows the fact's kind, so a new fact needs at most a header alias here.

Every line of the file is one row, read on its own: a stray quote or a line break inside a cell refuses
that row with the likely cause and never swallows the rows after it. Every input row is counted (priced,
refused by the notice, in error, blank) and gets exactly one output row, in order.
"""
import csv
import datetime
import io
import json
import re
from decimal import Decimal

from .facts import FACTS, MONEY_WORDS, ScenarioError
from .quote import quote
from .values import money_to_json, money_words, parse_date
from .waiting import wait_length
from .windows import closed_reason, outside_reason, window_on

NAME = "name"  # 称呼 / 姓名: kept in the output, never priced
HEADER_ALIASES = {
    "称呼": NAME, "姓名": NAME,
    "出生日期": "birth_date",
    "特殊身份": "groups",
    "学生": "student",
    "档次": "tier",
    "残疾等级": "disability_grade",
    "户籍": "residence",
    "家庭身份": "family_role",
    "断保年数": "missed_years",
    "补缴年数": "repair_years",
    "附加保险": "add_ons",
}
MONEY_FIELDS = tuple(MONEY_WORDS.items())
OUTPUT_COLUMNS = (*MONEY_WORDS.values(), "待遇开始", "等待期", "说明")
TOTAL_LABEL = "合计"
UNKNOWN = "未写明"
UNSTATED_MONEY = UNKNOWN + "（{reason}）"
LIST_SEPARATORS = ("、", ";", "；", "，", ",")
DATE_FORMATS = "1980-05-01、1980/5/1、19800501 或 1980年5月1日"
LINE_LIMIT = 10_000  # characters in one line; a roster's line holds a few hundred
FIELD_LIMIT = 1_000  # characters in one cell
SHOWN_ERRORS = 100  # errors listed in the summary; every error is in its row's 说明
SHOWN_UNKNOWN_ROWS = 20  # rows named where a total is 未写明
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
EMPTY_FILE = "文件是空的，或第1行不是表头"
UNPAIRED_QUOTE = "引号没有配对，后面的行可能被并进了这一格（或者这一格里换了行）；请删去多余的引号或换行"
MISPLACED_QUOTE = "引号用得不对：用引号括起来的一格，后引号后面应当紧跟逗号"

# Words for enum values beyond the value itself and the label of `facts.FACTS`.
VALUE_ALIASES = {
    "student": {"在校学生": "enrolled", "在校": "enrolled", "中小学生": "enrolled", "新生": "new_enrollee",
                "入学新生": "new_enrollee", "大学生": "college", "大中专学生": "college",
                "否": "none", "不是": "none", "无": "none"},
    "disability_grade": {"%d级" % grade: grade for grade in range(1, 5)},
    "disability_kind": {label.removesuffix("残疾"): kind for kind, label in FACTS["disability_kind"].values},
    "residence": {"农村": "rural", "城镇": "urban"},
    "family_role": {"夫妻": "parent", "父母": "parent", "子女": "child"},
}
ENUM_HINTS = {"student": "在校学生、新生、大学生，不是学生就空着", "family_role": "夫妻、子女", "residence": "农村、城镇"}
YES = ("是", "有", "√", "Y", "y", "1", "true")
NO = ("否", "无", "不是", "×", "N", "n", "0", "false")
CHINESE_NUMBERS = {ch: n for n, ch in enumerate("零一二三四五六七八九十")}


class RosterError(ValueError):
    """The file as a whole cannot be priced (no header, no 出生日期 column, a payment date outside the notice)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


class CellError(ValueError):
    pass


# ---- reading cells ----

def parse_roster_date(text):
    """1980-05-01, 1980/5/1, 1980.5.1, 19800501 or 1980年5月1日 → ISO text."""
    if text.isdigit() and len(text) == 8:
        parts = [text[:4], text[4:6], text[6:]]
    elif text.endswith("日") and "年" in text and "月" in text:
        year, rest = text[:-1].split("年", 1)
        parts = [year] + rest.split("月", 1)
    else:
        separator = next((s for s in "-/." if s in text), None)
        parts = text.split(separator) if separator else []
    if len(parts) != 3 or not all(part.strip().isdigit() and part.isascii() for part in parts) or len(parts[0].strip()) != 4:
        raise CellError("“%s”不是日期；请写成 %s" % (text, DATE_FORMATS))
    try:
        return datetime.date(*(int(part) for part in parts)).isoformat()
    except ValueError:
        raise CellError("“%s”不是有效的日期（没有这一天）" % text)


def parse_count(text):
    """3, 3年, 第2档, 二档 → int."""
    number = text.removeprefix("第")
    for suffix in ("年", "档", "级"):
        number = number.removesuffix(suffix)
    if number.isascii() and number.isdigit():
        return int(number)
    if number in CHINESE_NUMBERS:
        return CHINESE_NUMBERS[number]
    raise CellError("“%s”应为整数，例如 0、1、2" % text)


def split_list(text, words):
    """The items of a cell; a known name that itself holds a separator (农村独生女户、双女（纯女）结扎户) stays whole."""
    long_names = sorted((word for word in words if any(s in word for s in LIST_SEPARATORS)), key=len, reverse=True)
    items, rest = [], text.strip()
    while rest:
        item = next((name for name in long_names if rest.startswith(name)
                     and rest[len(name):len(name) + 1] in ("",) + LIST_SEPARATORS), None)
        if item is None:
            ends = [rest.find(s) for s in LIST_SEPARATORS if s in rest]
            item = rest[:min(ends)] if ends else rest
        if item.strip():
            items.append(item.strip())
        rest = rest[len(item):].lstrip("".join(LIST_SEPARATORS) + " ")
    return items


def enum_words(fact):
    words = {}
    for value, label in fact.values:
        words[str(value)] = value
        words[label] = value
    words.update(VALUE_ALIASES.get(fact.key, {}))
    return words


def read_enum(fact, text, vocabularies):
    words = enum_words(fact)
    if text not in words:
        allowed = ENUM_HINTS.get(fact.key) or "、".join(label for _value, label in fact.values)
        raise CellError("不认识“%s”；可以写 %s" % (text, allowed))
    return words[text]


def read_id_list(fact, text, vocabularies):
    words = vocabularies.get(fact.key, {})
    ids = []
    for item in split_list(text, words):
        if item not in words:
            raise CellError("不认识“%s”；可以写的名称见本站“村居工作人员”页面" % item)
        if words[item] not in ids:
            ids.append(words[item])
    return ids


def read_flag(fact, text, vocabularies):
    if text in YES or text in NO:
        return text in YES
    raise CellError("“%s”应为 是 或 否" % text)


def read_integer(fact, text, vocabularies):
    words = vocabularies.get(fact.key, {})
    return words[text] if text in words else parse_count(text)


CELL_READERS = {
    "date": lambda fact, text, vocabularies: parse_roster_date(text),
    "integer": read_integer,
    "enum": read_enum,
    "id_list": read_id_list,
    "flag": read_flag,
}


def vocabularies_of(policy):
    """Accepted words → values for the facts the notice names: groups (id, full name, and the short names
    of policies/groups.yaml's `aliases`, which the compiled policy carries), add-ons (id, name) and tiers
    (the form's label, with or without the amount: 低档, 一档)."""
    groups = dict(policy["group_aliases"])
    for group_id, name in policy["vocabulary"].items():
        groups[group_id] = groups[name] = group_id
    add_ons = {}
    for add_on in policy.get("add_ons", []):
        add_ons[add_on["id"]] = add_ons[add_on["name"]] = add_on["id"]
    tiers = {}
    for tier in policy["form"]["tiers"]:
        label = tier["label"]
        for word in (label, label.split("（")[0], label.split(" ")[0]):
            tiers[word.strip()] = tier["value"]
    return {"groups": groups, "add_ons": add_ons, "tier": tiers}


# ---- the header ----

def header_words():
    """Header text → column key: every fact a cell can hold, by its label and its aliases."""
    words = {fact.label: key for key, fact in FACTS.items() if fact.kind in CELL_READERS}
    words.update(HEADER_ALIASES)
    return words


def map_header(header, encoding):
    """{column index: fact key (or NAME)}; raises RosterError for a missing or repeated column."""
    words = header_words()
    columns, seen = {}, {}
    for index, title in enumerate(header):
        key = words.get(title.strip())
        if key is None:
            continue
        if key in seen:
            raise RosterError("header", "第1行：“%s”和“%s”是同一项，只能留一列" % (seen[key], title.strip()))
        seen[key] = title.strip()
        columns[index] = key
    if "birth_date" not in columns.values():
        raise RosterError("header", "第1行（表头）没有“出生日期”列。文件按 %s 读取，表头是：%s" % (
            encoding, "，".join(header)))
    return columns


# ---- reading lines ----

def lines_of(stream):
    """The lines of a text stream read with universal newlines, without their ends. A line longer than
    LINE_LIMIT is read past in pieces and given as its length (an int): no line is ever held whole."""
    while True:
        line = stream.readline(LINE_LIMIT + 1)
        if not line:
            return
        if line.endswith("\n"):
            yield line[:-1]
        elif len(line) <= LINE_LIMIT:
            yield line  # the last line, with no end
        else:
            yield len(line) + rest_of_line(stream)


def rest_of_line(stream):
    """Reads to the end of the current line; returns how many characters it skipped."""
    skipped = 0
    while True:
        piece = stream.readline(LINE_LIMIT)
        skipped += len(piece.removesuffix("\n"))
        if not piece or piece.endswith("\n"):
            return skipped


def cells_of(line):
    """(cells, None) by the CSV rules; or (what the line still shows, why it cannot be read). Each line is
    one row: a quote never carries a cell into the next line."""
    if isinstance(line, int):
        return [], "这一行有 %d 个字，太长了（一行最多 %d 个字）；可能不是名单文件，或者复制时粘进了别的内容" % (line, LINE_LIMIT)
    try:
        return next(csv.reader([line], strict=True)), None
    except csv.Error:
        return next(csv.reader([line])), UNPAIRED_QUOTE if quote_left_open(line) else MISPLACED_QUOTE


def quote_left_open(line):
    """Whether one more quote at the end makes the line readable: a quoted cell that never closes."""
    try:
        next(csv.reader([line + '"'], strict=True))
    except csv.Error:
        return False
    return True


def is_blank(cells):
    return not any(cell.strip() for cell in cells)


def row_problem(cells, header, after_unpaired):
    """Why a readable row is still refused (its column count, an absurdly long cell), or None."""
    if len(cells) != len(header):
        hint = "上一行引号没有配对，这一行可能是它的后半截" if after_unpaired else "多半是某一格里多打或少打了逗号"
        return "这一行有 %d 列，表头有 %d 列；%s" % (len(cells), len(header), hint)
    for title, text in zip(header, cells):
        if len(text) > FIELD_LIMIT:
            return "“%s”这一格有 %d 个字，太长了（一格最多 %d 个字），不像名单里的内容" % (title, len(text), FIELD_LIMIT)
    return None


def fit(cells, width):
    """The cells under the header's columns: a short row padded, a long row's surplus joined into its last column."""
    if len(cells) <= width:
        return cells + [""] * (width - len(cells))
    return cells[:width - 1] + [",".join(cells[width - 1:])]


def read_header(line):
    if line is None:
        raise RosterError("header", EMPTY_FILE)
    cells, problem = cells_of(line)
    if problem:
        raise RosterError("header", "第1行（表头）：%s" % problem)
    if is_blank(cells):
        raise RosterError("header", EMPTY_FILE)
    return [cell.strip() for cell in cells]


# ---- pricing ----

class Row:
    def __init__(self, number, cells):
        self.number, self.cells = number, cells


class ColumnReader:
    """Reads the cells of one column as its fact. Rosters repeat the same words (低保, 在校学生) and
    dates thousands of times: each distinct text is read once."""

    def __init__(self, key, title, vocabularies):
        self.key, self.title, self.fact = key, title, FACTS[key]
        self.read = CELL_READERS[self.fact.kind]
        self.vocabularies = vocabularies
        self.seen = {}

    def value(self, text):
        """(value, None) or (None, the Chinese reason the text cannot be read)."""
        if text not in self.seen:
            try:
                self.seen[text] = (self.read(self.fact, text, self.vocabularies), None)
            except CellError as error:
                self.seen[text] = (None, str(error))
        return self.seen[text]


def column_readers(columns, titles, vocabularies):
    return {index: ColumnReader(key, titles[key], vocabularies) for index, key in columns.items() if key != NAME}


def member_of(row, readers, tiered):
    """The row's member, and notes for 说明 on cells the notice has no use for (a tier where it has none)."""
    member, notes = {"id": "第%d行" % row.number}, []
    for index, reader in readers.items():
        text = row.cells[index].strip()
        if not text:
            continue
        if reader.key == "tier" and not tiered:
            notes.append("“%s”一栏的“%s”没有用到：本通知不分缴费档次" % (reader.title, text))
            continue
        value, problem = reader.value(text)
        if problem:
            raise CellError("第%d行 %s：%s" % (row.number, reader.title, problem))
        member[reader.key] = value
    return member, notes


def quote_row(policy, paid_on, member, row, titles):
    """The member's result, or raises CellError naming the row and column."""
    try:
        return quote(policy, {"paid_on": paid_on, "members": [member]})["members"][0]
    except ScenarioError as error:
        key = error.field.split(".")[1] if error.field.startswith("members[") else error.field
        title = titles.get(key) or (FACTS[key].label if key in FACTS else key)
        raise CellError("第%d行 %s：%s" % (row.number, title, error.message))


def money_cell(value):
    return UNKNOWN if isinstance(value, dict) else str(value)


def waiting_cell(member):
    """The wait as the notice counts it (waiting.wait_length); 无 for none."""
    length = wait_length(member)
    if length is None:
        return UNKNOWN
    return length if member["waiting_days"] else "无"


def explanation(member):
    """What a staff member needs to check the figures: the rule, what the amount holds, the wait, what is unknown."""
    if not member["accepted"]:
        return "不能按本通知参保：%s" % member["reason"]
    applied = member["applied"]
    parts = [applied["rule"]["label"]]
    if applied.get("subsidy"):
        parts.append("补助：%s" % applied["subsidy"]["label"])
    if applied.get("surcharge") is not None:
        parts.append("含财政补助部分 %s" % money_words(applied["surcharge"], UNSTATED_MONEY))
    if member.get("repair"):
        repair = member["repair"]
        parts.append("含补缴 %d 年（每年 %s）共 %s" % (repair["years"], money_words(repair["per_year"], UNSTATED_MONEY),
                                                   money_words(repair["amount"], UNSTATED_MONEY)))
    parts += ["含%s %s" % (add_on["name"], money_words(add_on["price"], UNSTATED_MONEY)) for add_on in member["add_ons"]]
    parts.append(applied["waiting"]["says"])
    for field in ("pays", "subsidy", "reimbursed_later", "coverage_start", "waiting_days"):
        value = member.get(field)
        if isinstance(value, dict) and not any(value["unknown"] in part for part in parts):
            parts.append("%s：%s" % (UNKNOWN, value["unknown"]))
    return "；".join(parts)


def output_cells(member, notes):
    says = "；".join([explanation(member)] + notes)
    if not member["accepted"]:
        return ["", "", "", "", "", says]
    start = member["coverage_start"]
    return [money_cell(member[field]) for field, _title in MONEY_FIELDS] + [
        UNKNOWN if isinstance(start, dict) else start, waiting_cell(member), says]


class Tally:
    """Every input row counted once as priced, refused by the notice, in error or blank; the first errors;
    the totals by who pays, and the rows whose amount the notice leaves open."""

    def __init__(self):
        self.counts = dict.fromkeys(("priced", "refused", "errors", "blank"), 0)
        self.errors = []  # the first SHOWN_ERRORS; every error is in its row's 说明
        self.totals = {field: Decimal(0) for field, _title in MONEY_FIELDS}
        self.unknown = {field: [] for field, _title in MONEY_FIELDS}  # the first SHOWN_UNKNOWN_ROWS
        self.unknown_counts = dict.fromkeys(self.totals, 0)

    def rows(self):
        return sum(self.counts.values())

    def error(self, message):
        self.counts["errors"] += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(message)

    def add(self, member):
        if not member["accepted"]:
            self.counts["refused"] += 1
            return
        self.counts["priced"] += 1
        for field, _title in MONEY_FIELDS:
            if isinstance(member[field], dict):
                self.unknown_counts[field] += 1
                if len(self.unknown[field]) < SHOWN_UNKNOWN_ROWS:
                    self.unknown[field].append(member["id"])
            else:
                self.totals[field] += Decimal(str(member[field]))

    def unknown_words(self, field):
        """第3行、第7行, or the first rows and how many in all."""
        shown = "、".join(self.unknown[field])
        count = self.unknown_counts[field]
        return shown if count == len(self.unknown[field]) else "%s等 %d 行" % (shown, count)

    def warning(self):
        """What must be read before any total, or None."""
        counts = self.counts
        if counts["blank"] == self.rows():
            return "名单里没有人：表头（第1行）下面没有填写任何人"
        missing = ["%d 行出错" % counts["errors"]] if counts["errors"] else []
        missing += ["%d 行不能按本通知参保" % counts["refused"]] if counts["refused"] else []
        return "注意：%s，没有算进合计；原因见各行的“说明”" % "、".join(missing) if missing else None

    def accounting(self):
        counts = self.counts
        return "名单共 %d 行（不算表头）：已计算 %d 行，出错 %d 行，不能按本通知参保 %d 行，空行 %d 行" % (
            self.rows(), counts["priced"], counts["errors"], counts["refused"], counts["blank"])

    def totals_said(self):
        """[{label, amount, known, says}] by who pays; `says` is the sentence the CLI and the page show."""
        said = []
        for field, title in MONEY_FIELDS:
            known = str(money_to_json(self.totals[field]))
            if self.unknown_counts[field]:
                says = "%s合计：未写明（%s 未写明，其余合计 %s元）" % (title, self.unknown_words(field), known)
            else:
                says = "%s合计：%s元" % (title, known)
            said.append({"label": title, "amount": UNKNOWN if self.unknown_counts[field] else known, "known": known, "says": says})
        return said

    def summary(self):
        return {"rows": self.rows(), **self.counts, "warning": self.warning(), "accounting": self.accounting(),
                "totals": self.totals_said()}


class Roster:
    """A roster being priced as it is read. Creating it reads the header (RosterError when the file cannot
    be priced at all); `records()` then yields the header, one output row per input row in the input's
    order (a blank row stays blank, so 第N行 is row N of both files), and the closing rows."""

    def __init__(self, policy, paid_on, lines, encoding):
        self.policy, self.paid_on, self.encoding = policy, check_paid_on(policy, paid_on), encoding
        self.lines = iter(lines)
        self.header = read_header(next(self.lines, None))
        columns = map_header(self.header, encoding)
        self.titles = {key: self.header[index] for index, key in columns.items()}
        self.readers = column_readers(columns, self.titles, vocabularies_of(policy))
        self.tiered = bool(policy["contribution"].get("tiers"))
        self.columns = self.header + list(OUTPUT_COLUMNS)
        self.tally = Tally()

    def records(self):
        yield self.columns
        yield from self.rows()
        yield from self.closing_rows()

    def rows(self):
        after_unpaired = False
        for number, line in enumerate(self.lines, start=2):
            cells, problem = cells_of(line)
            if problem is None and is_blank(cells):
                self.tally.counts["blank"] += 1
                yield [""] * len(self.columns)
                continue
            problem = problem or row_problem(cells, self.header, after_unpaired)
            after_unpaired = problem == UNPAIRED_QUOTE
            yield self.priced_row(Row(number, cells), problem)

    def priced_row(self, row, problem):
        cells = fit(row.cells, len(self.header))
        try:
            if problem:
                raise CellError("第%d行：%s" % (row.number, problem))
            member, notes = member_of(row, self.readers, self.tiered)
            result = quote_row(self.policy, self.paid_on, member, row, self.titles)
        except CellError as error:
            self.tally.error(str(error))
            return cells + [""] * (len(OUTPUT_COLUMNS) - 1) + [str(error)]
        self.tally.add(result)
        return cells + output_cells(result, notes)

    def total_row(self):
        """合计, with the rows whose amount the notice leaves open named in its 说明."""
        cells = [TOTAL_LABEL] + [""] * (len(self.header) - 1)
        notes = []
        for field, title in MONEY_FIELDS:
            known = str(money_to_json(self.tally.totals[field]))
            if self.tally.unknown_counts[field]:
                cells.append(UNKNOWN)
                notes.append("%s：%s 未写明，其余合计 %s元" % (title, self.tally.unknown_words(field), known))
            else:
                cells.append(known)
        return cells + ["", "", "；".join(notes)]

    def closing_rows(self):
        """After the last row: the warning (if any), 合计, and how every row was counted."""
        warning = self.tally.warning()
        notes = [self.note_row(warning)] if warning else []
        return notes + [self.total_row(), self.note_row(self.tally.accounting())]

    def note_row(self, text):
        """A sentence in the first column; spreadsheets show it across the empty cells beside it."""
        return [text] + [""] * (len(self.columns) - 1)


def check_paid_on(policy, paid_on):
    try:
        day = parse_date(paid_on)
    except (TypeError, ValueError):
        raise RosterError("paid_on", "请填写缴费日期，格式为 年-月-日")
    window = window_on(policy, day)
    reason = outside_reason(policy, day) if window is None else closed_reason(window, day)
    if reason:
        raise RosterError("paid_on", reason)
    return day.isoformat()


def price_roster(policy, paid_on, text, encoding="UTF-8"):
    """Prices every row of the roster CSV `text` (held whole: the browser's row limit keeps it small; the
    command line streams a Roster instead). `encoding` names how the file was read, for messages.

    Returns {columns, rows, total, errors, encoding, summary, csv}; a bad row gets its error in 说明 and
    the other rows are still priced. Raises RosterError when nothing can be priced."""
    roster = Roster(policy, paid_on, lines_of(io.StringIO(text, newline=None)), encoding)
    rows = list(roster.rows())
    buffer = io.StringIO(newline="")
    write_csv(buffer, [roster.columns, *rows, *roster.closing_rows()])
    return {"columns": roster.columns, "rows": rows, "total": roster.total_row(), "errors": roster.tally.errors,
            "encoding": encoding, "summary": roster.tally.summary(), "csv": buffer.getvalue()}


def safe_cell(text):
    """The cell as spreadsheets show it as text (OWASP, CSV injection): a leading ' before =, +, -, @, tab or
    carriage return, so no formula runs; a plain number (-5, +3.5) stays a number."""
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(stream, records):
    """CSV with CRLF line ends (what Excel writes), every cell safe to open; the caller adds the UTF-8 BOM."""
    writer = csv.writer(stream)
    for record in records:
        writer.writerow([safe_cell(cell) for cell in record])


def roster_json(policy_json, request_json):
    """The browser's entry point: request {paid_on, csv, encoding} → result JSON, or {"error": {field, message}}."""
    request = json.loads(request_json)
    try:
        result = price_roster(json.loads(policy_json), request.get("paid_on"), request.get("csv") or "",
                              request.get("encoding") or "UTF-8")
    except RosterError as error:
        result = {"error": {"field": error.field, "message": error.message}}
    return json.dumps(result, ensure_ascii=False)
