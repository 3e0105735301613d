"""In a served dashboard, a visitor of the public page cannot push a file into the server's
memory through Streamlit's upload address (its own session id, read from the page's websocket,
and the page's XSRF cookie): refused before the body is read. Slow: a server and a browser."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from scoring.accounts.access import add_user
from scoring.bench import serve
from scoring.store.db import connect

pytestmark = pytest.mark.slow
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PUT = """async ([sid]) => {
    const xsrf = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || "";
    const body = new FormData();
    body.append("file", new Blob([new Uint8Array(40 * 1024 * 1024)]), "big.bin");
    const r = await fetch(`/_stcore/upload_file/${sid}/f1`,
        {method: "PUT", body, headers: {"X-Xsrftoken": decodeURIComponent(xsrf)}});
    return r.status;
}"""


def test_the_public_page_s_visitor_cannot_upload(demo_db):
    reason = serve.chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    db = Path(tempfile.mkdtemp(prefix="starscore-upload-")) / "dash.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db)
    add_user(con, "管理员甲", "admin-pass-2026", "admin")  # not the open mode of a database without users
    con.close()
    with serve.serving(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=serve.CHROMIUM, args=serve.CHROMIUM_FLAGS)
        page = browser.new_page()
        seen: list[bytes] = []
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda f: seen.extend(UUID.findall(f if isinstance(f, bytes) else f.encode())),
            ),
        )
        page.goto(f"{url}/public")
        serve.settle(page)
        ids = list(dict.fromkeys(s.decode() for s in seen))
        assert ids  # the page's session id is among them
        assert [page.evaluate(PUT, [sid]) for sid in ids] == [400] * len(ids)
        browser.close()
