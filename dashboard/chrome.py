"""Streamlit's own words in Chinese: the file uploader's button and size line and the
keyboard users' skip link are English inside Streamlit itself, so on a Chinese page they are
hidden (and so out of the page's text) and drawn again in Chinese by CSS."""

from __future__ import annotations

import streamlit as st

_HIDDEN = (
    '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p',
    '[data-testid="stFileUploaderDropzoneInstructions"] span',
    '[data-testid="stSkipToContent"]',
)
_ZH = {
    _HIDDEN[0]: ("选择文件", "0.875rem"),
    _HIDDEN[1]: ("单个文件不超过 200MB", "0.75rem"),
    _HIDDEN[2]: ("跳到正文", "1rem"),
}
CSS_ZH = (
    "<style>"
    + ",".join(_HIDDEN)
    + "{visibility:hidden;font-size:0;}"
    + "".join(
        f'{sel}::after{{content:"{text}";visibility:visible;font-size:{size};}}'
        for sel, (text, size) in _ZH.items()
    )
    + "</style>"
)


def localize_chrome(lang: str) -> None:
    """Draw Streamlit's own English words in Chinese on a Chinese page."""
    if lang == "zh":
        st.markdown(CSS_ZH, unsafe_allow_html=True)
