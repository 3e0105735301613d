"""starscore dashboard: ``streamlit run dashboard/app.py`` (or ``starscore dashboard``)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `streamlit run dashboard/app.py` finds the packages
    sys.path.insert(0, str(ROOT))

from dashboard import data  # noqa: E402
from dashboard.i18n import L  # noqa: E402

VIEWS = ROOT / "dashboard" / "views"

st.set_page_config(page_title="starscore", page_icon="⭐", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = "zh"

with st.spinner(L("app.building_demo")):
    data.ensure_demo()

with st.sidebar:
    st.radio(
        L("app.language"),
        ["zh", "en"],
        key="lang",
        horizontal=True,
        format_func=lambda v: "中文" if v == "zh" else "English",
    )
    camps = data.campaigns()
    ids = camps["campaign_id"].to_list()
    names = dict(zip(ids, camps["name"].to_list(), strict=True))
    if ids:
        if st.session_state.get("campaign_next") in ids:
            st.session_state["campaign"] = st.session_state.pop("campaign_next")
        if st.session_state.get("campaign") not in ids:
            st.session_state["campaign"] = ids[0]
        st.selectbox(L("app.campaign"), ids, key="campaign", format_func=lambda c: f"{names.get(c, c)} ({c})")

pages = [
    st.Page(
        VIEWS / "leaderboard.py",
        title=L("nav.leaderboard"),
        icon=":material/leaderboard:",
        url_path="leaderboard",
        default=True,
    ),
    st.Page(VIEWS / "profile.py", title=L("nav.profile"), icon=":material/home_work:", url_path="profile"),
    st.Page(VIEWS / "entry.py", title=L("nav.entry"), icon=":material/edit_note:", url_path="entry"),
    st.Page(VIEWS / "payouts.py", title=L("nav.payouts"), icon=":material/payments:", url_path="payouts"),
    st.Page(VIEWS / "rules.py", title=L("nav.rules"), icon=":material/gavel:", url_path="rules"),
    st.Page(
        VIEWS / "campaigns.py", title=L("nav.campaigns"), icon=":material/folder_open:", url_path="campaigns"
    ),
]
st.navigation(pages).run()
