"""Misuses of counts (each) and 不涉及 are refused by file, row and column, in Chinese."""

from __future__ import annotations

import pytest

from scoring.core.errors import CampaignError
from scoring.ingest.validate import read_campaign
from scoring.rules.parse import parse_rules
from tests.helpers import write_folder

RULES = """format: starscore/1
campaign: {{id: x, name: 例, year: 2024, periods: [P1]}}
categories: [{{id: c, name: 类}}]
indicators:
{indicators}
"""


def _problems(text: str) -> set[tuple[str | None, str]]:
    with pytest.raises(CampaignError) as info:
        parse_rules(RULES.format(indicators=text))
    return {(p.column, p.code) for p in info.value.problems}


def test_each_only_on_bonus_and_penalty_and_above_zero():
    assert ("indicators.0.each", "each_kind") in _problems(
        "  - {id: s, name: S, kind: score, points: 10, each: 2}"
    )
    assert ("indicators.0.each", "each_positive") in _problems(
        "  - {id: p, name: P, kind: penalty, points: 10, each: 0}"
    )


def test_not_applicable_only_on_base_items_not_surveyed():
    assert ("indicators.0.not_applicable", "na_kind") in _problems(
        "  - {id: h, name: H, kind: bonus, points: 5, not_applicable: allowed}"
    )
    text = (
        "  - {id: sat, name: 满意度, kind: score, points: 100, not_applicable: allowed}\n"
        "surveys: [{indicator: sat, scale: [1, 5]}]"
    )
    assert ("indicators.0.not_applicable", "na_surveyed") in _problems(text)


def test_values_misusing_na_and_counts_are_named(tmp_path):
    indicators = (
        "  - {id: s, name: 服务站, kind: score, points: 10, not_applicable: allowed}\n"
        "  - {id: t, name: 党建, kind: score, points: 10}\n"
        "  - {id: p, name: 安全事件, kind: penalty, points: 10, each: 2}"
    )
    folder = write_folder(
        tmp_path / "c",
        {
            "campaign.yaml": RULES.format(indicators=indicators),
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\nu1,甲村,c,,\n",
            "values.csv": "unit_id,period,indicator_id,value\nu1,P1,s,不涉及\nu1,P1,t,不涉及\nu1,P1,p,-1\n",
        },
    )
    with pytest.raises(CampaignError) as info:
        read_campaign(folder)
    got = {(p.file, p.row, p.column, p.code) for p in info.value.problems}
    assert got == {
        ("values.csv", 3, "value", "na_not_allowed"),
        ("values.csv", 4, "value", "count_negative"),
    }
    words = "\n".join(p.message("zh") for p in info.value.problems)
    assert "不允许填“不涉及”" in words and "次数，不能为负" in words


def test_counts_above_the_points_are_accepted(tmp_path):
    folder = write_folder(
        tmp_path / "c",
        {
            "campaign.yaml": RULES.format(
                indicators="  - {id: p, name: 安全事件, kind: penalty, points: 10, each: 2}"
            ),
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\nu1,甲村,c,,\n",
            "values.csv": "unit_id,period,indicator_id,value\nu1,P1,p,12\n",
        },
    )
    assert read_campaign(folder).values.height == 1
