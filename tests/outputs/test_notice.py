"""The public notice (公示): HTML from the stored published results; the PDF, printed by
headless Chromium, is rendered to images and its text checked."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from scoring.accounts.access import LOCAL_ADMIN
from scoring.core.errors import CampaignError
from scoring.core.localtime import show
from scoring.outputs.notice import notice_html, notice_pdf
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.workflow.periods import move, statuses
from scoring.workflow.year import move_year
from tests.dashboard.test_browser import _ensure_chromium
from tests.helpers import actor, run_cli

CID = "jiujiang-2023"
PERIODS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4")


def _publish(db: Path, final: bool) -> None:
    con = connect(db)
    for p in PERIODS if final else PERIODS[:1]:
        for step in ("submit", "approve", "publish"):
            move(open_campaign(con, CID), p, step, actor(step))
    if final:
        for p in PERIODS:
            move(open_campaign(con, CID), p, "finalize", LOCAL_ADMIN, at=now() + timedelta(days=6))
        move_year(open_campaign(con, CID), "publish", LOCAL_ADMIN, at=now() + timedelta(days=6))
    con.close()


def test_nothing_published_is_a_clear_error(demo_copy):
    con = connect(demo_copy)
    with pytest.raises(CampaignError) as info:
        notice_html(open_campaign(con, CID), "en")
    con.close()
    assert info.value.problems[0].code == "nothing_published"


def test_published_period_notice(demo_copy):
    _publish(demo_copy, final=False)
    con = connect(demo_copy)
    page = notice_html(open_campaign(con, CID), "zh")
    ends = statuses(con, CID).row(0, named=True)["objection_ends"]
    con.close()
    assert "评比结果公示" in page and "2023Q1 排名与流动红旗 · 城市社区" in page
    assert "如有异议" in page and "奖励名单" not in page
    # the window in Beijing time, five days to the same minute
    start = show(ends - timedelta(days=5), "Asia/Shanghai")
    end = show(ends, "Asia/Shanghai")
    assert end.endswith("北京时间")
    assert f"2023Q1：{start} 起公示，至 {end} 止（状态：公示中）" in page
    # a flag in words (a printed notice's fonts may have no emoji), scores to 2 decimals
    assert "流动红旗</td>" in page and "🚩" not in page
    assert ">85.40</td>" in page  # 宁山社区's 2023Q1 score, 85.4


def test_final_year_notice_lists_rankings_and_awards(demo_copy):
    _publish(demo_copy, final=True)
    con = connect(demo_copy)
    page = notice_html(open_campaign(con, CID), "zh")
    con.close()
    assert "年度排名与星级 · 农村（村）" in page and "奖励名单" in page
    assert "全年星级与奖励：" in page and "（状态：公示中）" in page  # the year's own window
    assert (
        "奖励合计 11,991,000 元" in page
        and ">146,000</td>" in page
        and "曹石社区" in page
        and "★★★★★" in page
    )


def _poppler() -> str | None:
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return None
    if shutil.which("apt-get") is None:
        return "poppler-utils (pdftoppm) is not installed and apt-get is not available"
    proc = subprocess.run(
        ["bash", "-c", "apt-get install -y -qq poppler-utils"], capture_output=True, text=True, timeout=600
    )
    return None if proc.returncode == 0 and shutil.which("pdftoppm") else "no pdftoppm"


@pytest.mark.browser
def test_pdf_renders_with_its_key_text(demo_copy, tmp_path, capsys):
    reason = _ensure_chromium() or _poppler()
    if reason:
        pytest.skip(reason)
    _publish(demo_copy, final=True)
    rc, _out, err = run_cli(
        capsys, "notice", "--campaign", CID, "--out", tmp_path, "--pdf", "--db", demo_copy
    )
    assert rc == 0, err
    pdf = tmp_path / "notice.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "评比结果公示" in text and "奖励名单" in text and "曹石社区" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    page = next(tmp_path.glob("page*.png"))
    assert page.stat().st_size > 10_000
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "yes" in fonts  # the fonts are embedded
    print(f"notice page image: {page}")


def test_notice_pdf_without_browser_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr("scoring.outputs.notice.find_browser", lambda: None)
    with pytest.raises(CampaignError) as info:
        notice_pdf("<html></html>", tmp_path / "x.pdf")
    assert "install chromium" in info.value.render("en")
