"""Page generation without MkDocs: the CLI and the policy folder it reads."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from build_scripts import county_sentences, pages

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_cli(out, **env):
    return subprocess.run([sys.executable, "-m", "build_scripts.pages", "--out", str(out)], cwd=REPO_ROOT,
                          env=dict(os.environ, **env), capture_output=True, text=True, check=True)


def test_cli_writes_a_page_and_a_notice_per_policy(tmp_path, policies):
    run_cli(tmp_path)
    for policy_id in policies:
        page = (tmp_path / "counties" / policy_id / "index.html").read_text(encoding="utf-8")
        assert page.startswith("<!doctype html>") and policies[policy_id]["name"] + " 城乡居民医保明白纸</h1>" in page
        assert '<h1 class="county-title"' in page and '<div class="county">' in page
        assert 'id="L1"' in (tmp_path / "counties" / policy_id / "notice.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "counties" / "index.json").read_text(encoding="utf-8"))["provinces"]


def test_a_province_wide_notice_is_found_from_every_city_of_its_province(policies):
    """A notice with no city and no county comes first in its province, and the picker lists it again
    under each city of that province that has notices of its own."""
    county = next(policy for policy in policies.values() if policy["jurisdiction"]["county"])
    wide = dict(county, id="wide-test", jurisdiction={"province": county["jurisdiction"]["province"], "city": None, "county": None})
    tree = pages.place_tree([county, wide])
    [(province, cities)] = tree
    assert [city for city, _ in cities] == [pages.province_wide_label(province), county["jurisdiction"]["city"]]
    [index_province] = json.loads(pages.picker_index([county, wide]))["provinces"]
    for city in index_province["cities"]:
        urls = [notice["url"] for entry in city["counties"] for notice in entry["notices"]]
        assert pages.county_url(wide) in urls
    places = {notice["url"]: notice["place"] for city in index_province["cities"] for entry in city["counties"]
              for notice in entry["notices"]}
    assert places[pages.county_url(wide)] == province
    assert "None" not in county_sentences.place_name(wide) and county_sentences.place_name(wide) == province


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
    """Newest coverage year first, then the most recently issued notice (dates from the notices; a notice
    without a date is placed by its first payment day)."""
    ordered = pages.load_policies(pages.policies_dir())
    assert sorted(policy["id"] for policy in ordered) == sorted(policies)
    keys = [(-policy["coverage_year"], policy["document"]["date"] or policy["windows"][0]["from"]) for policy in ordered]
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


def test_the_latest_notices_are_each_places_newest_and_a_page_knows_its_places_others():
    from build_scripts import pages as site_pages
    older = {"id": "a-2022", "coverage_year": 2022, "name": "甲县 2022年度", "document": {"date": "2021-09-01"},
             "windows": [{"id": "w", "label": "集中缴费期", "from": "2021-09-01", "to": "2021-12-31"}],
             "coverage": {"start": "2022-01-01", "end": "2022-12-31"},
             "jurisdiction": {"province": "甲省", "city": "甲市", "county": "甲县"}}
    newer = dict(older, id="a-2023", coverage_year=2023, name="甲县 2023年度", document={"date": "2022-09-01"})
    wide = dict(older, id="p-2023", coverage_year=2023, name="甲省 2023年度", document={"date": "2022-08-01"},
                jurisdiction={"province": "甲省", "city": None, "county": None})
    assert [p["id"] for p in site_pages.newest_per_place([older, newer, wide])] == ["a-2023", "p-2023"]
    related = site_pages.related_notices([older, newer, wide])
    assert [p["id"] for p in related["a-2022"]] == ["a-2023", "p-2023"]
    assert [p["id"] for p in related["p-2023"]] == []
