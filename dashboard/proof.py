"""A unit's proof (佐证材料) on a page: one kept file shown in place (photos drawn, PDFs in a
new tab, every file downloadable) and a unit's period as a zip: what the evidence, the
self-assessment and the entry pages share."""

from __future__ import annotations

import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L
from scoring.app.evidence import evidence_file, unit_zip


def show(cid: str, no: int, key: str) -> None:
    """Kept proof file ``no`` in place, read for the signed-in user (refused outside their
    scope): a photo drawn (one whose content cannot be drawn, damaged after its first bytes,
    is named instead of failing the page), a PDF opened in a new tab, and every file offered
    for download."""
    user = session.current_user()
    assert user is not None  # the page required one
    with data.db() as con:
        name, kind, payload = evidence_file(con, cid, no, user)
    if kind in ("jpg", "png"):
        try:
            st.image(payload, caption=name)
        except Exception:  # the image library raises many types for a damaged file
            st.text(L("ev.not_drawn", name=name))
    elif kind == "pdf":
        st.link_button(common.md(L("ev.open_pdf", name=name)), pdf_address(payload, key))
    st.download_button(common.md(L("ev.download_file", name=name)), payload, file_name=name, key=key)


def pdf_address(payload: bytes, key: str) -> str:
    """Where the browser opens a PDF as itself (Content-Type application/pdf, shown by the
    browser's own viewer, not downloaded): Streamlit's media store keeps it for this session
    while the page shows it, as it keeps a picture. The address is relative (``media/…``), so
    that it holds behind a web server's path prefix too."""
    from streamlit.runtime import Runtime

    url = Runtime.instance().media_file_mgr.add(payload, "application/pdf", coordinates=f"proof.{key}")
    return url.lstrip("/")


def unit_archive(cid: str, unit: str, period: str, files: int, key: str) -> None:
    """The unit's 台账 of the period as a zip (what ``starscore evidence export`` writes for it),
    made when the download is asked for, not on every rerun of the page."""
    user = session.current_user()
    assert user is not None

    def archive() -> bytes:
        with data.db(in_session=False) as con:
            return unit_zip(con, cid, unit, period, user)

    st.download_button(
        L("sf.zip", n=files),
        archive,
        file_name=f"{unit}-{period}.zip",
        mime="application/zip",
        key=key,
        on_click="ignore",
    )
