"""Every file a person hands in is bounded before it is parsed: a workbook that expands past
its limit (an xlsx bomb), a table of too many columns or rows are refused in words, by file,
with memory staying small."""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import pytest

from scoring.accounts.users import read_users_sheet
from scoring.app.entry import read_upload
from scoring.core.errors import CampaignError
from scoring.ingest import bounds
from scoring.ingest.validate import read_campaign
from tests.helpers import DEMO, write_folder


def _bomb(path: Path, mb: int) -> bytes:
    """A workbook-shaped zip whose sheet expands to ``mb`` megabytes of blanks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("xl/worksheets/sheet1.xml", "w") as f:
        block = b" " * (1 << 20)
        for _ in range(mb):
            f.write(block)
    return path.read_bytes()


def test_an_xlsx_bomb_is_refused_before_it_is_parsed(tmp_path):
    data = _bomb(tmp_path / "bomb.xlsx", bounds.MAX_EXPANDED_MB + 10)
    assert len(data) < 2_000_000  # a small upload
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for read in (lambda: read_upload("填报.xlsx", data), lambda: read_users_sheet(data, "用户.xlsx")):
        with pytest.raises(CampaignError) as info:
            read()
        assert [p.code for p in info.value.problems] == ["file_expands_too_far"]
        assert "解压后超过" in info.value.render("zh")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100  # streamed: nowhere near the expanded size


def test_a_campaign_folder_s_workbook_is_bounded_too(tmp_path):
    folder = write_folder(
        tmp_path / "c", {n: (DEMO / n).read_text(encoding="utf-8") for n in ("campaign.yaml", "units.csv")}
    )
    _bomb(folder / "values.xlsx", bounds.MAX_EXPANDED_MB + 1)
    with pytest.raises(CampaignError) as info:
        read_campaign(folder)
    assert [(p.file, p.code) for p in info.value.problems] == [("values.xlsx", "file_expands_too_far")]


def test_a_table_of_too_many_columns_or_rows_is_refused(tmp_path, monkeypatch):
    wide = ",".join(f"c{i}" for i in range(bounds.MAX_COLUMNS + 1)).encode() + b"\n"
    with pytest.raises(CampaignError) as info:
        read_upload("values.csv", wide)
    assert [p.code for p in info.value.problems] == ["file_too_many_columns"]
    monkeypatch.setattr(bounds, "MAX_ROWS", 50)
    long = b"unit_id,period,indicator_id,value\n" + b"JJ001,2023Q1,honours,1\n" * 51
    with pytest.raises(CampaignError) as info:
        read_upload("values.csv", long)
    assert [p.code for p in info.value.problems] == ["file_too_many_rows"]
    assert read_upload("values.csv", long[: -len(b"JJ001,2023Q1,honours,1\n")]).height == 50
