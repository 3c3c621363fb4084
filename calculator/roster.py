"""Roster files for `python -m calculator roster`: reading the bytes Excel saves, writing what Excel opens.

The pricing itself is `calculator.core.roster` (the browser runs the same code on the text the page
decodes); here only the encoding and the file system.
"""
import codecs
import sys
from pathlib import Path

from .core.roster import RosterError, price_roster

# Excel on Chinese Windows saves "CSV (逗号分隔)" as GB18030 (GBK), "CSV UTF-8" with a BOM.
ENCODINGS = (("utf-8", "UTF-8"), ("gb18030", "GB18030"))
XLSX_MAGIC = b"PK\x03\x04"


def decode_roster(data, source):
    """(text, name of the encoding); raises RosterError naming the file when it is no CSV we can read."""
    if data.startswith(XLSX_MAGIC):
        raise RosterError("file", "%s 是 Excel 工作簿，不是 CSV：请在 Excel 里“另存为”“CSV UTF-8（逗号分隔）”" % source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RosterError("file", "%s 是 UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”" % source)
    if data.startswith(codecs.BOM_UTF8):
        return decode_as(data[len(codecs.BOM_UTF8):], "utf-8", "UTF-8（带 BOM）", source), "UTF-8（带 BOM）"
    for codec, name in ENCODINGS:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise RosterError("file", "%s 既不是 UTF-8 也不是 GB18030 编码的文本，请在 Excel 里另存为“CSV UTF-8（逗号分隔）”" % source)


def decode_as(data, codec, name, source):
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise RosterError("file", "%s 开头标明是 %s，但第 %d 个字节起不是 %s 文本" % (source, name, error.start + 4, name))


def price_file(policy, paid_on, path):
    """The priced roster of the CSV file at `path` (see core.roster.price_roster)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RosterError("file", "读不了 %s：%s" % (path, error.strerror))
    text, encoding = decode_roster(data, path.name)
    try:
        return price_roster(policy, paid_on, text, encoding)
    except RosterError as error:
        raise RosterError(error.field, "%s：%s" % (path.name, error.message))


def result_bytes(result):
    """UTF-8 with a BOM, so Excel opens it with the Chinese intact; the same bytes the browser downloads."""
    return codecs.BOM_UTF8 + result["csv"].encode("utf-8")


def write_result(result, out):
    if out is None:
        sys.stdout.buffer.write(result_bytes(result))
        sys.stdout.flush()
    else:
        Path(out).write_bytes(result_bytes(result))


def summary_lines(policy, paid_on, result):
    """What the staff member reads on stderr: each bad row, then the counts and the totals by who pays."""
    summary = result["summary"]
    lines = list(result["errors"])
    refused = "，不能按本通知参保 %d 行" % summary["refused"] if summary["refused"] else ""
    lines.append("%s，缴费日期 %s：已计算 %d 行，出错 %d 行%s（文件按 %s 读取）" % (
        policy["name"], paid_on, summary["priced"], summary["errors"], refused, result["encoding"]))
    lines.append("；".join(total_text(total) for total in summary["totals"]))
    return lines


def total_text(total):
    if total["unknown_rows"]:
        return "%s合计 未写明（%s 未写明，其余合计 %s元）" % (total["label"], "、".join(total["unknown_rows"]), total["known"])
    return "%s合计 %s元" % (total["label"], total["amount"])
