"""A village's own account on a phone (a 390-px-wide Chromium, touch, as a phone's browser is),
on a campaign in the middle of its year: it signs in on the page itself, reads its to-do,
self-scores, uploads a photo as proof; the town's evaluator assesses one item lower with a
reason and sees 自评 beside 考评 on the entry page; the unit replies from its phone; it is refused
a board; the leader sees the counts on the approval page. Screenshots for the manual's unit
chapter are taken when asked (``STARSCORE_SHOTS=1``)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import polars as pl
import pytest

from dashboard.i18n import LABELS
from scoring.accounts.access import User, add_user
from scoring.app.entry import save_values
from scoring.app.evidence import add_evidence
from scoring.bench import serve
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.dashboard.midyear import build_midyear
from tests.dashboard.test_browser import SHOTS, TAKE_SHOTS

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
CID = "jiujiang-2023"


def png(width: int = 120, height: int = 80) -> bytes:
    """A real (drawable) red picture, as a phone's photo is to the server."""
    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def sign_in(page, url: str, name: str, password: str, where: str) -> None:
    page.goto(f"{url}/{where}")
    serve.settle(page)
    page.get_by_label(LABELS["auth.username"]["zh"]).fill(name)
    page.get_by_label(LABELS["auth.password"]["zh"]).fill(password)
    if page.viewport_size and page.viewport_size["width"] < 500:
        shot(page, "unit-signin")
    page.get_by_role("button", name=LABELS["auth.login"]["zh"]).click()
    serve.settle(page)
    for _ in range(120):
        if any(c["name"] == "starscore_session" for c in page.context.cookies()):
            break
        page.wait_for_timeout(250)
    page.goto(f"{url}/{where}")  # a sign-in opens the user's first page: back to this one
    serve.settle(page)


def choose(page, key: str, text: str) -> None:
    page.locator(f".st-key-{key} input").click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    serve.settle(page)


def fill_then_click(page, field: str, text: str, button: str) -> None:
    """Type into a box, leave it (its value reaches the server), then press the button."""
    page.locator(field).fill(text)
    page.keyboard.press("Tab")
    serve.settle(page)
    page.locator(button).click()
    serve.settle(page)


def shot(page, name: str, near: str | None = None) -> None:
    """The screen as the user sees it, scrolled to the text ``near`` (the page scrolls inside
    its own frame: a full-page picture would show its top only)."""
    if TAKE_SHOTS:
        if near is not None:
            page.get_by_text(near).first.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.slow
@pytest.mark.browser
def test_a_unit_self_assesses_proves_and_replies_from_a_phone(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    if reason := serve.chromium_missing():
        pytest.skip(reason)
    db = build_midyear(tmp_path / "c", tmp_path / "m.duckdb")
    con = connect(db)
    town = con.execute("SELECT town FROM units WHERE unit_id = 'JJ001'").fetchall()[0][0]
    add_user(con, "山旺社区", "unit-pass-2026", "unit", units=["JJ001"])
    add_user(con, "评分员乙", "eval-pass-2026", "evaluator", towns=[town])
    add_user(con, "赵领导", "leader-pass-2026", "leader")
    con.close()
    photo = tmp_path / "奖牌.png"
    photo.write_bytes(png())
    with serve.serving(db) as url, sync_playwright() as p:
        browser = serve.launch(p)
        phone = browser.new_context(**PHONE)
        page = phone.new_page()
        sign_in(page, url, "山旺社区", "unit-pass-2026", "self")
        text = page.inner_text("body")
        assert "我的自评" in text and "未自评 24/24 项" in text
        shot(page, "unit-todo")
        choose(page, "sf_period", "2023Q3")
        for indicator, value in (("party_building", "14"), ("secretary_lead", "6"), ("honours", "2")):
            page.locator(f".st-key-sf_v_JJ001_2023Q3_{indicator} input").fill(value)
        page.get_by_role("button", name="保存自评").click()
        serve.settle(page)
        assert "已保存 3 项自评" in page.inner_text("body")
        choose(page, "sf_item", "荣誉")
        page.locator("[class*=st-key-sf_files] input[type=file]").set_input_files([str(photo)])
        serve.settle(page)
        fill_then_click(page, ".st-key-sf_note input", "区级表彰奖牌", ".st-key-sf_upload button")
        assert "已上传 1 份佐证材料" in page.inner_text("body")
        shot(page, "unit-proof", "区级表彰奖牌")
        shot(page, "unit-form", "自评表")
        phone.close()

        con = connect(db)  # the town's evaluator assesses party building lower, with a reason
        lower = pl.DataFrame(
            {
                "unit_id": ["JJ001"],
                "period": ["2023Q3"],
                "indicator_id": ["party_building"],
                "value": ["12"],
                "_row": [1],
            }
        )
        evaluator = User("评分员乙", "evaluator", towns=(town,))
        save_values(
            open_campaign(con, CID), lower, evaluator, reason="三会一课记录缺两次", confirm_note="核实"
        )
        con.close()
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        sign_in(page, url, "评分员乙", "eval-pass-2026", "entry")
        choose(page, "en_period", "2023Q3")
        page.get_by_text("自评与佐证材料（对照考评）").click()
        serve.settle(page)
        assert "自评 14" in page.content() and "佐证 1" in page.content()
        shot(page, "entry-self", "自评与佐证材料（对照考评）")
        page.close()

        phone = browser.new_context(**PHONE)
        page = phone.new_page()
        sign_in(page, url, "山旺社区", "unit-pass-2026", "self")
        text = page.inner_text("body")
        assert "待回复 1 项" in text and "三会一课记录缺两次" in text  # opened on the period to reply
        fill_then_click(
            page,
            ".st-key-sf_reply_JJ001_2023Q3_party_building textarea",
            "记录已补交街道党建办",
            ".st-key-sf_send_JJ001_2023Q3_party_building button",
        )
        assert "本单位回复：记录已补交街道党建办" in page.inner_text("body")
        shot(page, "unit-reply", "本单位回复：记录已补交街道党建办")
        page.goto(f"{url}/leaderboard")
        serve.settle(page)
        assert LABELS["auth.forbidden_page"]["zh"] in page.inner_text("body")
        phone.close()

        con = connect(db)  # a PDF of the unit's, as a leader opens it: in a new tab, as a PDF
        add_evidence(
            open_campaign(con, CID), "JJ001", "2023Q3", "party_building", "会议纪要.pdf", PDF, evaluator
        )
        con.close()
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        sign_in(page, url, "赵领导", "leader-pass-2026", "evidence")
        choose(page, "ev_period", "2023Q3")
        page.get_by_text("#", exact=False).filter(has_text="会议纪要").first.click()
        serve.settle(page)
        with page.context.expect_page() as opened:
            page.get_by_text("在新标签页打开").first.click()
        tab = opened.value
        tab.wait_for_load_state()
        served = tab.request.get(tab.url)
        assert served.headers["content-type"] == "application/pdf" and served.body() == PDF
        assert "attachment" not in served.headers.get("content-disposition", "")
        tab.close()
        page.goto(f"{url}/workflow")
        serve.settle(page)
        choose(page, "wf_t_period", "2023Q3")
        choose(page, "wf_t_town", town)
        assert "考评与自评不同 1 格" in page.inner_text("body")
        shot(page, "workflow-self", "街镇操作")
        browser.close()
