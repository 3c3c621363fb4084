"""Roster files for `python -m calculator roster`: reading the bytes Excel saves, writing what Excel opens.

The pricing itself is `calculator.core.roster` (the browser runs the same code on the text the page
decodes); here only the encoding and the file system. The file is streamed: read once through to
find its encoding, then once more row by row, each result row written as it is priced.
"""
import codecs
import io
import sys
from pathlib import Path

from .core.roster import Roster, RosterError, lines_of, write_csv

# Excel on Chinese Windows saves "CSV (逗号分隔)" as GB18030 (GBK), "CSV UTF-8" with a BOM.
ENCODINGS = (("utf-8", "UTF-8"), ("gb18030", "GB18030"))
XLSX_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20


def detect_encoding(raw, source):
    """(codec to read with, its name for messages) of a binary file; raises RosterError naming the file
    when it is no CSV we can read."""
    head = raw.read(len(XLSX_MAGIC))
    if head.startswith(XLSX_MAGIC):
        raise RosterError("file", "%s 是 Excel 工作簿，不是 CSV：请在 Excel 里“另存为”“CSV UTF-8（逗号分隔）”" % source)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RosterError("file", "%s 是 UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”" % source)
    if head.startswith(codecs.BOM_UTF8):
        bad = first_bad_byte(raw, "utf-8")
        if bad is not None:
            raise RosterError("file", "%s 开头标明是 UTF-8（带 BOM），但第 %d 个字节起不是 UTF-8 文本" % (source, bad + 1))
        return "utf-8-sig", "UTF-8（带 BOM）"
    for codec, name in ENCODINGS:
        if first_bad_byte(raw, codec) is None:
            return codec, name
    raise RosterError("file", "%s 既不是 UTF-8 也不是 GB18030 编码的文本，请在 Excel 里另存为“CSV UTF-8（逗号分隔）”" % source)


def first_bad_byte(raw, codec):
    """The offset of the first byte of `raw` that is not `codec` text, or None; reads in chunks."""
    raw.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    while True:
        chunk = raw.read(CHUNK)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            return offset - pending + error.start
        if not chunk:
            return None
        offset += len(chunk)


def price_file(policy, paid_on, path, out):
    """Prices the roster CSV at `path` into `out` (a path; None: stdout) as it reads it; returns the Roster,
    whose tally then holds the counts and totals. Raises RosterError (nothing written) when the file
    cannot be priced at all."""
    path = Path(path)
    try:
        with path.open("rb") as raw:
            codec, encoding = detect_encoding(raw, path.name)
            raw.seek(0)
            text = io.TextIOWrapper(raw, encoding=codec, newline=None)
            try:
                roster = Roster(policy, paid_on, lines_of(text), encoding)
            except RosterError as error:
                raise RosterError(error.field, "%s：%s" % (path.name, error.message))
            write_result(roster, out)
    except OSError as error:
        raise RosterError("file", "读不了 %s：%s" % (path, error.strerror))
    return roster


def write_result(roster, out):
    """UTF-8 with a BOM, so Excel opens it with the Chinese intact; the same bytes the browser downloads.
    A file is written beside `out` and renamed when complete: a failure never leaves half a result."""
    if out is None:
        write_records(sys.stdout.buffer, roster)
        return
    out = Path(out)
    part = out.with_name(out.name + ".part")
    try:
        with part.open("wb") as stream:
            write_records(stream, roster)
        part.replace(out)
    except OSError as error:
        part.unlink(missing_ok=True)
        raise RosterError("out", "写不了 %s：%s" % (out, error.strerror))


def write_records(binary, roster):
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    write_csv(text, roster.records())
    text.flush()
    text.detach()


def summary_lines(policy, paid_on, roster):
    """What the staff member reads on stderr: the warning first, then the bad rows, the counts and the totals."""
    summary = roster.tally.summary()
    lines = [summary["warning"]] if summary["warning"] else []
    lines += roster.tally.errors
    if summary["errors"] > len(roster.tally.errors):
        lines.append("……另有 %d 行出错，见结果文件的“说明”列" % (summary["errors"] - len(roster.tally.errors)))
    lines.append("%s，缴费日期 %s：%s（文件按 %s 读取）" % (policy["name"], paid_on, summary["accounting"], roster.encoding))
    lines.append("；".join(total["says"] for total in summary["totals"]))
    return lines
