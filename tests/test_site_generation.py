"""Page generation without MkDocs: the CLI, the policy folder it reads, and the search word cutting."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from build_scripts import pages, search_terms

REPO_ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("保险", "居民", "新生儿", "低保", "补缴", "等待期", "南安", "学生")


def run_cli(out, **env):
    return subprocess.run([sys.executable, "-m", "build_scripts.pages", "--out", str(out)], cwd=REPO_ROOT,
                          env=dict(os.environ, **env), capture_output=True, text=True, check=True)


def test_cli_writes_a_page_and_a_notice_per_policy(tmp_path, policies):
    run_cli(tmp_path)
    for policy_id in policies:
        page = (tmp_path / "counties" / policy_id / "index.md").read_text(encoding="utf-8")
        assert page.startswith("---\ntitle: ")
        assert pages.PRERENDERED_START in page and pages.PRERENDERED_END in page
        assert 'id="L1"' in (tmp_path / "counties" / policy_id / "notice.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "counties" / "index.json").read_text(encoding="utf-8"))["provinces"]


def test_policies_folder_comes_from_the_environment(tmp_path, policies):
    policies_dir = tmp_path / "policies"
    shutil.copytree(REPO_ROOT / "policies", policies_dir)
    kept = sorted(policies)[::2]
    for policy_id in set(policies) - set(kept):
        (policies_dir / (policy_id + ".yaml")).unlink()
    run_cli(tmp_path / "out", YIBAO_POLICIES_DIR=str(policies_dir))
    written = sorted(path.name for path in (tmp_path / "out" / "counties").iterdir() if path.is_dir())
    assert written == kept


def test_latest_notice_comes_first(policies):
    """Newest coverage year first, then the most recently issued notice (dates from the notices)."""
    ordered = pages.load_policies(pages.policies_dir())
    assert sorted(policy["id"] for policy in ordered) == sorted(policies)
    keys = [(-policy["coverage_year"], policy["document"]["date"]) for policy in ordered]
    for (year, date), (next_year, next_date) in zip(keys, keys[1:]):
        assert year < next_year or (year == next_year and str(date) >= str(next_date))


def test_page_code_reads_results_not_the_trace_nor_the_conditions():
    """Pages learn what applied from the result's `applied` fields and make example people with the
    core's registry: no page code reads trace steps or tests a rule's conditions itself."""
    page_code = list((REPO_ROOT / "build_scripts").glob("*.py")) + list((REPO_ROOT / "templates").rglob("*.j2"))
    reading = re.compile(r"""\[["']trace["']\]|\.trace\b|["']fiscal-surcharge["']|\bholds\(|\bCONDITIONS\b|def _meet\b""")
    offending = ["%s: %s" % (path.relative_to(REPO_ROOT), match.group()) for path in page_code
                 for match in reading.finditer(path.read_text(encoding="utf-8"))]
    assert offending == []


@pytest.mark.parametrize("name, short", [("南安市", "南安"), ("福山区", "福山"), ("灵源街道", "灵源"),
                                         ("山头镇", "山头"), ("泗县", "泗县"), ("福建省", "福建")])
def test_short_place_name(name, short):
    assert search_terms.short_place_name(name) == short


def test_every_search_term_in_the_notices_starts_a_word(policies):
    search_terms.tune_jieba(search_terms.place_terms(policy["jurisdiction"] for policy in policies.values()))
    for notice in (REPO_ROOT / "policies" / "notices").glob("*.txt"):
        for run in re.findall(r"[\u4e00-\u9fff]+", notice.read_text(encoding="utf-8")):
            words = list(jieba.cut(run))
            for query in QUERIES:
                assert run.count(query) == sum(word.startswith(query) for word in words), (notice.name, query, words)


def test_every_search_term_is_cut_as_one_word():
    """A term stays whole even when it holds another (大学生, 学生): a query for it can find it."""
    search_terms.tune_jieba()
    for term in search_terms.SEARCH_TERMS:
        assert jieba.lcut(term) == [term], term


@pytest.mark.parametrize("sentence, words", [
    ("你缴多少政府补多少", ["你", "缴多少", "政府", "补多少"]),  # 补 would turn the query 补缴 into 补*
    ("特困人员孤儿等", ["特困", "人员", "孤儿等"]),  # 等 (of 等待期) at the end joins the word before
    ("每人缴多少钱", ["每人缴", "多少钱"]),  # 缴 (of 缴费) does not hide the term after it
    ("集中缴费期过后补缴", ["集中", "缴费", "期", "过后", "补缴"]),
])
def test_no_word_the_index_holds_begins_a_search_term(sentence, words):
    """Material's search cuts a query at the longest index word that begins it (补缴 → 补*)."""
    search_terms.tune_jieba()
    assert jieba.cut(sentence) == words
