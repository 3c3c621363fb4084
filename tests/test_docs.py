"""The staff guide (policies/README.md) keeps up with the condition registry."""
import re

from calculator.core import facts
from calculator.policyfile import POLICIES_DIR


def test_the_staff_guide_lists_every_condition():
    guide = (POLICIES_DIR / "README.md").read_text(encoding="utf-8")
    conditions_table = guide.split("### 条件（when）")[1].split("\n### ")[0]
    listed = set(re.findall(r"`([a-z_]+)", conditions_table))
    assert set(facts.CONDITIONS) <= listed, "policies/README.md 的条件表缺少：%s" % sorted(set(facts.CONDITIONS) - listed)
