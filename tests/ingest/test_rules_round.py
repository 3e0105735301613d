"""campaign.yaml's problems in one round: the field errors (unknown keys, wrong kinds, bad
numbers) and the rule checks (a tie-break that names nothing, a rounding of 0, a rank list that
increases) reported together, each at its line, in Chinese; nothing reported twice."""

from __future__ import annotations

import pytest

from scoring.core.errors import CampaignError
from scoring.rules.parse import parse_rules

BROKEN = """format: starscore/1
campaign: {id: ex, name: 例, periods: [P1]}
categories: [{id: c, name: 类}]
indicators:
  - {id: x, name: 收入, kind: relative, points: 10, extra_field: 1}
  - {id: r, name: 排名, kind: rank_points, points_by_rank: [1, 3]}
  - {id: y, name: 乙, kind: lienar, points: 5, floor: 3}
ranking: {tie_break: [y, zz]}
awards: {rounding: 0, flag: abc}
"""


def test_field_errors_and_rule_checks_come_in_one_round():
    with pytest.raises(CampaignError) as caught:
        parse_rules(BROKEN)
    got = {(p.row, p.code) for p in caught.value.problems}
    assert got == {
        (5, "rule_extra"),
        (6, "rank_points_increase"),
        (7, "rule_choice"),
        (8, "unknown_tie_break"),
        (9, "rule_number"),
        (9, "rounding_positive"),
    }
    text = caught.value.render("zh")
    assert "Extra inputs" not in text and "不认识的字段" in text and "并列排序指标 zz 不存在" in text
    # the broken indicator y is stood in for: its own fields (floor on a kind that has none)
    # are not reported again, and the tie-break that names it still finds it


def test_a_missing_required_part_still_reports_the_field_errors():
    with pytest.raises(CampaignError) as caught:
        parse_rules(BROKEN.replace("categories: [{id: c, name: 类}]\n", ""))
    codes = {p.code for p in caught.value.problems}
    assert "rule_missing" in codes and "rule_extra" in codes
