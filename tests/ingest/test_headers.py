"""Chinese column headers are read as the format's names; a missing column is named with the
Chinese header that would do."""

from __future__ import annotations

import pytest

from scoring.core.errors import CampaignError
from scoring.ingest.validate import read_campaign
from tests.helpers import DEMO, demo_text, write_folder

UNITS_ZH = "单位编号,单位名称,类别,书记编号,书记姓名,街镇,户数"
VALUES_ZH = "单位编号,期次,指标编号,数值,录入人,备注"


def _folder(tmp_path, units_header: str, values_header: str):
    files = {f: demo_text(f) for f in ("campaign.yaml", "units.csv", "values.csv")}
    units = files["units.csv"].split("\n", 1)
    values = files["values.csv"].split("\n", 1)
    files["units.csv"] = f"{units_header}\n{units[1]}"
    files["values.csv"] = f"{values_header}\n{values[1]}"
    return write_folder(tmp_path / "c", files)


def test_chinese_headers_read_as_the_format_s_names(tmp_path):
    plain = read_campaign(DEMO)
    chinese = read_campaign(_folder(tmp_path, UNITS_ZH, VALUES_ZH))
    assert chinese.units.height == plain.units.height == 109
    assert chinese.values.height == plain.values.height
    assert chinese.units["town"].to_list() == plain.units["town"].to_list()


def test_a_missing_column_is_named_with_its_chinese_header(tmp_path):
    with pytest.raises(CampaignError) as info:
        read_campaign(_folder(tmp_path, UNITS_ZH, "单位编号,期次,指标编号,分值,录入人,备注"))
    text = info.value.render("zh")
    assert "values.csv" in text and "value（数值）" in text and "unit_id（单位编号）" in text


def test_a_wrong_category_is_one_problem_not_one_per_value(tmp_path):
    files = {f: demo_text(f) for f in ("campaign.yaml", "units.csv", "values.csv")}
    files["units.csv"] = files["units.csv"].replace("JJ001,山旺社区,urban,", "JJ001,山旺社区,urbn,", 1)
    assert "urbn" in files["units.csv"]
    with pytest.raises(CampaignError) as info:
        read_campaign(write_folder(tmp_path / "c", files))
    assert [(p.file, p.code) for p in info.value.problems] == [("units.csv", "unknown_category")]


def test_campaign_yaml_field_errors_read_in_chinese():
    from scoring.rules.parse import parse_rules

    text = (
        (DEMO / "campaign.yaml")
        .read_text(encoding="utf-8")
        .replace("annual_score: mean", "annual_score: median")
    )
    with pytest.raises(CampaignError) as info:
        parse_rules(text)
    zh = info.value.render("zh")
    assert "“median”不是可用的取值（应为：mean, sum）" in zh
    assert "Input should" not in zh and "Extra inputs" not in zh
