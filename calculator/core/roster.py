"""A village roster (代缴名单): CSV text in, every row priced, CSV text out.

Runs unchanged in CPython (`python -m calculator roster`) and in the browser worker (`roster_json`);
reading files and guessing their encoding is the caller's job. Each row is priced on its own, as a
household of one member: a roster lists people, not households.

A column maps to a member fact of `facts.FACTS` (by the fact's label or a header alias below); how
a cell is read follows the fact's kind, so a new fact needs at most a header alias here.
"""
import csv
import datetime
import io
import json
from decimal import Decimal

from .facts import FACTS, MONEY_WORDS, ScenarioError
from .quote import quote
from .values import parse_date
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
LIST_SEPARATORS = ("、", ";", "；", "，", ",")
DATE_FORMATS = "1980-05-01、1980/5/1、19800501 或 1980年5月1日"

# The words staff write for the groups of policies/groups.yaml (the full names and ids work too, and
# win where a short name is also a full name). docs/roster.md lists them all.
SHORT_GROUP_NAMES = {
    "特困": "tekun", "特困户": "tekun", "特困供养": "tekun", "五保": "tekun", "五保户": "tekun",
    "低保": "dibao", "低保户": "dibao",
    "事实孤儿": "unsupported_child", "事实无人抚养": "unsupported_child",
    "低收入": "low_income_family", "低收入户": "low_income_family", "低收入家庭": "low_income_family",
    "脱贫户": "poverty_registered", "脱贫人口": "poverty_registered", "建档立卡": "poverty_registered",
    "建档立卡户": "poverty_registered", "贫困户": "poverty_registered",
    "返贫": "returned_to_poverty", "致贫": "returned_to_poverty", "返贫致贫": "returned_to_poverty",
    "监测户": "monitored", "监测对象": "monitored", "防返贫监测对象": "monitored",
    "优抚": "entitled", "重点优抚": "key_entitled",
    "重度残疾": "severe_disability", "重残": "severe_disability",
    "残疾人": "disability", "残疾": "disability",
    "一户多残": "multi_disability_household",
    "独生子户": "only_son_family",
    "独生女户": "only_daughter_family", "纯女户": "only_daughter_family", "双女户": "only_daughter_family",
    "计生特殊家庭": "family_planning_special", "失独家庭": "family_planning_special",
    "尘肺病": "pneumoconiosis",
    "医疗救助对象": "medical_assistance",
    "民政备案救助对象": "civil_affairs_assisted", "民政救助对象": "civil_affairs_assisted",
    "五老": "wulao", "五老人员": "wulao",
    "精简退职": "retrenched_1960s",
    "道德模范": "moral_model", "道德先进": "moral_model",
    "困难学生": "poor_student",
    "老党员": "pre_1949_party_member",
    "当年退役军人": "discharged_soldier",
}
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
        words[label.split("（")[0]] = value
    words.update(VALUE_ALIASES.get(fact.key, {}))
    return words


def read_enum(fact, text, vocabularies):
    words = enum_words(fact)
    if text not in words:
        allowed = ENUM_HINTS.get(fact.key) or "、".join(label.split("（")[0] for _value, label in fact.values)
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
    """Accepted words → values for the facts the notice names: groups (id, full name, short name),
    add-ons (id, name) and tiers (the form's label, with or without the amount: 低档, 一档)."""
    groups = {word: group_id for word, group_id in SHORT_GROUP_NAMES.items() if group_id in policy["vocabulary"]}
    for group_id, name in policy["vocabulary"].items():  # a full name wins over a short name
        groups[group_id] = groups[name] = group_id
    add_ons = {}
    for add_on in policy.get("add_ons", []):
        add_ons[add_on["id"]] = add_ons[add_on["name"]] = add_on["id"]
    tiers = {}
    for tier in policy["form"].get("tiers", []):
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
            encoding, "，".join(header) or "（空）"))
    return columns


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


def member_of(row, readers):
    member = {"id": "第%d行" % row.number}
    for index, reader in readers.items():
        text = row.cells[index].strip() if index < len(row.cells) else ""
        if not text:
            continue
        value, problem = reader.value(text)
        if problem:
            raise CellError("第%d行 %s：%s" % (row.number, reader.title, problem))
        member[reader.key] = value
    return member


def price_row(policy, paid_on, member, row, titles):
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
    """The wait as the notice counts it: months where it says months (3个月), else days; 无 for none."""
    days = member["waiting_days"]
    if isinstance(days, dict):
        return UNKNOWN
    months = member["applied"]["waiting"].get("months")
    if months:
        return "%d个月" % months
    return "%d天" % days if days else "无"


def explanation(member):
    """What a staff member needs to check the figures: the rule, what the amount holds, the wait, what is unknown."""
    if not member["accepted"]:
        return "不能按本通知参保：%s" % member["reason"]
    applied = member["applied"]
    parts = [applied["rule"]["label"]]
    if applied.get("subsidy"):
        parts.append("补助：%s" % applied["subsidy"]["label"])
    if applied.get("surcharge") is not None:
        parts.append("含财政补助部分 %s" % money_words(applied["surcharge"]))
    if member.get("repair"):
        repair = member["repair"]
        parts.append("含补缴 %d 年（每年 %s）共 %s" % (repair["years"], money_words(repair["per_year"]), money_words(repair["amount"])))
    parts += ["含%s %s" % (add_on["name"], money_words(add_on["price"])) for add_on in member.get("add_ons", [])]
    parts.append(applied["waiting"]["says"])
    for field in ("pays", "subsidy", "reimbursed_later", "coverage_start", "waiting_days"):
        value = member.get(field)
        if isinstance(value, dict) and not any(value["unknown"] in part for part in parts):
            parts.append("%s：%s" % (UNKNOWN, value["unknown"]))
    return "；".join(parts)


def money_words(value):
    return "%s元" % value if not isinstance(value, dict) else "%s（%s）" % (UNKNOWN, value["unknown"])


def output_cells(member):
    if not member["accepted"]:
        return ["", "", "", "", "", explanation(member)]
    start = member["coverage_start"]
    return [money_cell(member[field]) for field, _title in MONEY_FIELDS] + [
        UNKNOWN if isinstance(start, dict) else start, waiting_cell(member), explanation(member)]


def totals_of(members):
    """({field: Decimal total of the known amounts}, {field: the rows whose amount the notice leaves open})."""
    totals, unknown_rows = {}, {}
    for field, _title in MONEY_FIELDS:
        known = [member[field] for member in members if not isinstance(member[field], dict)]
        unknown_rows[field] = [member["id"] for member in members if isinstance(member[field], dict)]
        totals[field] = sum((Decimal(str(value)) for value in known), Decimal(0))
    return totals, unknown_rows


def money_text(amount):
    return str(int(amount)) if amount == amount.to_integral_value() else str(amount.quantize(Decimal("0.01")))


def total_row(width, totals, unknown_rows):
    cells = [TOTAL_LABEL] + [""] * (width - 1)
    notes = []
    for field, title in MONEY_FIELDS:
        if unknown_rows[field]:
            cells.append(UNKNOWN)
            notes.append("%s：%s 未写明，其余合计 %s元" % (title, "、".join(unknown_rows[field]), money_text(totals[field])))
        else:
            cells.append(money_text(totals[field]))
    return cells + ["", "", "；".join(notes)]


def read_rows(text):
    """(header, [Row]) — row numbers as Excel shows them (the header is row 1); blank rows skipped."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or not any(cell.strip() for cell in records[0]):
        raise RosterError("header", "文件是空的，或第1行不是表头")
    header = [cell.strip() for cell in records[0]]
    rows = [Row(number, cells) for number, cells in enumerate(records[1:], start=2) if any(cell.strip() for cell in cells)]
    return header, rows


def check_paid_on(policy, paid_on):
    try:
        day = parse_date(paid_on)
    except (TypeError, ValueError):
        raise RosterError("paid_on", "请填写缴费日期，格式为 年-月-日")
    window = window_on(policy, day)
    reason = outside_reason(policy, day) if window is None else closed_reason(policy, window, day)
    if reason:
        raise RosterError("paid_on", reason)
    return day.isoformat()


def price_roster(policy, paid_on, text, encoding="UTF-8"):
    """Prices every row of the roster CSV `text`. `encoding` names how the file was read, for messages.

    Returns {columns, rows, total, errors, encoding, summary, csv}; a bad row gets its error in 说明 and in
    `errors`, and the other rows are still priced. Raises RosterError when nothing can be priced."""
    paid_on = check_paid_on(policy, paid_on)
    header, rows = read_rows(text)
    columns = map_header(header, encoding)
    titles = {key: header[index] for index, key in columns.items()}
    readers = column_readers(columns, titles, vocabularies_of(policy))
    width = max([len(header)] + [len(row.cells) for row in rows])
    accepted, refused, errors, out_rows = [], 0, [], []
    for row in rows:
        cells = row.cells + [""] * (width - len(row.cells))
        try:
            member = price_row(policy, paid_on, member_of(row, readers), row, titles)
        except CellError as error:
            errors.append(str(error))
            out_rows.append(cells + [""] * (len(OUTPUT_COLUMNS) - 1) + [str(error)])
            continue
        if member["accepted"]:
            accepted.append(member)
        else:
            refused += 1
        out_rows.append(cells + output_cells(member))
    columns_out = header + [""] * (width - len(header)) + list(OUTPUT_COLUMNS)
    totals, unknown_rows = totals_of(accepted)
    total = total_row(width, totals, unknown_rows)
    return {
        "columns": columns_out, "rows": out_rows, "total": total, "errors": errors, "encoding": encoding,
        "summary": {"rows": len(rows), "priced": len(accepted), "refused": refused, "errors": len(errors),
                    "totals": [{"label": title, "amount": UNKNOWN if unknown_rows[field] else money_text(totals[field]),
                                "known": money_text(totals[field]), "unknown_rows": unknown_rows[field]}
                               for field, title in MONEY_FIELDS]},
        "csv": to_csv([columns_out] + out_rows + [total]),
    }


def to_csv(records):
    """CSV text with CRLF line ends (what Excel writes); the caller adds the UTF-8 BOM."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(records)
    return buffer.getvalue()


def roster_json(policy_json, request_json):
    """The browser's entry point: request {paid_on, csv, encoding} → result JSON, or {"error": {field, message}}."""
    request = json.loads(request_json)
    try:
        result = price_roster(json.loads(policy_json), request.get("paid_on"), request.get("csv") or "",
                              request.get("encoding") or "UTF-8")
    except RosterError as error:
        result = {"error": {"field": error.field, "message": error.message}}
    return json.dumps(result, ensure_ascii=False)
