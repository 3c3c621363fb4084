"""The build cache (build_scripts/build_cache.py): what a build reads from it is what the same inputs
make, and an edit makes again only what it touches."""
import shutil

import pytest

from build_scripts import build_cache, pages, policy_cache
from calculator import policyfile

SITE_URL = "https://yibao.example.org/"


@pytest.fixture
def policies_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(build_cache.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "policies"
    shutil.copytree(policyfile.POLICIES_DIR, folder)
    return folder


def compiled_without_cache(folder):
    policies, errors = policyfile.check_policies(folder)
    assert not errors
    return policies


def counting_compiles(monkeypatch):
    compiled = []
    real = policyfile.check_policy_files

    def check_policy_files(paths, vocabulary, layers):
        compiled.extend(path.name for path in paths)
        return real(paths, vocabulary, layers)

    monkeypatch.setattr(policyfile, "check_policy_files", check_policy_files)
    return compiled


def test_cached_policies_are_those_the_loader_compiles(policies_dir, monkeypatch):
    compiled = counting_compiles(monkeypatch)
    first, _ = policy_cache.check_policies(policies_dir)
    again, _ = policy_cache.check_policies(policies_dir)
    assert len(compiled) == len(first)  # the second load compiled nothing
    assert first == again == compiled_without_cache(policies_dir)


def test_an_edited_policy_alone_is_compiled_again(policies_dir, monkeypatch):
    policy_cache.check_policies(policies_dir)
    compiled = counting_compiles(monkeypatch)
    path = policies_dir / "nanan-2023.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nname: ", "\nname: 修订", 1), encoding="utf-8")
    policies, _ = policy_cache.check_policies(policies_dir)
    assert compiled == ["nanan-2023.yaml"]
    assert next(p for p in policies if p["id"] == "nanan-2023")["name"].startswith("修订")


def test_an_edited_notice_compiles_its_policy_again(policies_dir, monkeypatch):
    policy_cache.check_policies(policies_dir)
    compiled = counting_compiles(monkeypatch)
    notice = policies_dir / "notices" / "nanan-2023.txt"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    policy_cache.check_policies(policies_dir)
    assert compiled == ["nanan-2023.yaml"]


def test_a_policy_with_problems_is_reported_on_every_build(policies_dir):
    path = policies_dir / "nanan-2023.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nnotice: ", "\nnotice: missing-", 1), encoding="utf-8")
    for _ in range(2):
        policies, errors = policy_cache.check_policies(policies_dir)
        assert errors and "nanan-2023" not in {p["id"] for p in policies}


def test_rendered_files_from_the_cache_are_those_rendered_anew(policies_dir, monkeypatch):
    policies = pages.load_policies(policies_dir)
    first = pages.render_site(policies, policies_dir, SITE_URL)
    monkeypatch.setattr(pages, "render_county", lambda *args, **kwargs: pytest.fail("rendered again"))
    assert pages.render_site(policies, policies_dir, SITE_URL) == first
