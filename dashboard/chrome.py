"""Streamlit's own words in Chinese: the file uploader's button and size line and the
keyboard users' skip link are English inside Streamlit itself, so on a Chinese page they are
hidden (and so out of the page's text) and drawn again in Chinese by CSS. And every message the
dashboard says is shown as text (``messages_as_text``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import streamlit as st

# the characters markdown gives a meaning to, escaped so that they show as themselves
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$])")


def md(text: object) -> str:
    """Text as plain text inside Streamlit markdown: every markdown character escaped, so
    ``![t](http://…)`` is not an image a visitor's browser fetches, nor ``:red[…]`` a colour."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def _as_text(say: Callable[..., Any]) -> Callable[..., Any]:
    def said(body: Any, *args: Any, **kwargs: Any) -> Any:
        return say(md(body) if isinstance(body, str) else body, *args, **kwargs)

    said.as_text = True  # type: ignore[attr-defined]
    return said


def messages_as_text() -> None:
    """``st.info``, ``success``, ``warning``, ``error``, ``caption`` and ``toast`` render markdown;
    what the dashboard says through them is its catalogue's text with names, ids, periods, file
    names and typed text put in, none of it meant as markdown (the catalogue has none): so all of
    it is shown as text, whatever a campaign's, unit's or file's name holds. Once per process."""
    for name in ("info", "success", "warning", "error", "caption", "toast"):
        say = getattr(st, name)
        if not getattr(say, "as_text", False):
            setattr(st, name, _as_text(say))


_HIDDEN = (
    '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p',
    '[data-testid="stFileUploaderDropzoneInstructions"] span',
    '[data-testid="stSkipToContent"]',
    # "Press Enter to submit form" / "to apply" under a text box (the count after it stays)
    '[data-testid="InputInstructions"] > span:first-child',
)
_ZH = {
    _HIDDEN[0]: ("选择文件", "0.875rem"),
    # the real limit is the role's, said on the page beside each uploader
    _HIDDEN[1]: ("或将文件拖放到此处", "0.75rem"),
    _HIDDEN[2]: ("跳到正文", "1rem"),
    _HIDDEN[3]: ("回车确认", "0.75rem"),
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
