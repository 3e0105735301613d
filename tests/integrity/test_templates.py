"""The wide entry template: units down, indicators across, Chinese headers, locked unit columns,
a 0/1 drop-down for a veto, ranges as hints; read back, it gives the same values, and an edited
cell is the only change."""

from __future__ import annotations

import io
import re
import zipfile

from scoring.app.entry import preview_upload, read_upload
from scoring.outputs.template import wide_template
from scoring.store.campaign import open_campaign
from scoring.store.db import connect

CID = "jiujiang-2023"


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode() + z.read("xl/sharedStrings.xml").decode()


def test_the_wide_template_reads_back_to_the_stored_values(demo_copy):
    con = connect(demo_copy)
    data = wide_template(open_campaign(con, CID), "2023Q1", "urban", "湾里街道")
    rows = read_upload("模板.xlsx", data)
    stored = con.sql(
        "SELECT v.unit_id, v.indicator_id, v.value FROM indicator_values v "
        "JOIN units u USING (campaign_id, unit_id) WHERE v.campaign_id = $cid AND v.period = '2023Q1' "
        "AND u.town = '湾里街道' AND u.category = 'urban'",
        params={"cid": CID},
    ).pl()
    assert set(rows["period"]) == {"2023Q1"} and rows.height == stored.height
    assert (
        preview_upload(open_campaign(con, CID), "模板.xlsx", data).height == 0
    )  # unchanged: nothing to change
    con.close()
    xml = _sheet_xml(data)
    for header in ("单位编号", "单位名称", "街镇", "党建引领", "0–15", "0 或 1（1 = 否决）"):
        assert header in xml, header
    assert "<sheetProtection" in xml  # the unit columns are locked, the value cells open
    assert re.search(r'<dataValidation type="list"[^>]*>\s*<formula1>"0,1"</formula1>', xml)  # the veto


def test_an_edited_cell_is_the_only_change(demo_copy, tmp_path):
    import fastexcel
    import xlsxwriter

    con = connect(demo_copy)
    data = wide_template(open_campaign(con, CID), "2023Q1", "urban", "湾里街道")
    (tmp_path / "t.xlsx").write_bytes(data)
    cells = (
        fastexcel.read_excel(tmp_path / "t.xlsx").load_sheet(0, header_row=None, dtypes="string").to_polars()
    )
    grid = [list(r) for r in cells.iter_rows()]
    col = grid[1].index("honours")
    row = next(k for k, r in enumerate(grid) if r[0] == "JJ001")
    grid[row][col] = "3"
    with xlsxwriter.Workbook(str(tmp_path / "edited.xlsx")) as book:  # as a user's Excel saves it
        sheet = book.add_worksheet()
        for r, values in enumerate(grid):
            for c, v in enumerate(values):
                if v is not None:
                    sheet.write_string(r, c, v)
    diff = preview_upload(open_campaign(con, CID), "edited.xlsx", (tmp_path / "edited.xlsx").read_bytes())
    con.close()
    assert diff.select("unit_id", "indicator_id", "new").rows() == [("JJ001", "honours", "3")]
