"""What the browser test reads on a page: Latin-only words on a Chinese page (outside an
allow-list of ids, file names, units and product names), the words "None", "null", "false",
"true" and "nan" anywhere, and Chinese in an English page's labels (outside the campaign's own
names, which are Chinese data)."""

from __future__ import annotations

import csv
import re
from functools import cache
from typing import Any

import yaml

from tests.helpers import DEMO

# a word of Latin letters (digits, _ - . @ inside it: an id, a file name, a run id)
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_\-.@/:]*")
# text that is not words: a command a message tells to type, an address, a file name, an id
NOT_WORDS = [
    re.compile(r"starscore(?: [a-z][a-z\-]*)+"),
    re.compile(r"https?://\S+"),
    re.compile(r"\S+\.(?:csv|xlsx|xls|yaml|parquet|duckdb|html|pdf|zip|png)\b"),
    re.compile(r"\b\d{4}Q\d\b"),  # a period label such as 2023Q1
    re.compile(r"\b[\w\-]+@[0-9a-f]{6,}-[0-9a-f]{6,}\b"),  # a run id
    re.compile(r"\bv?\d+(?:\.\d+)+\b"),
]
# words a Chinese office uses as they are
# Language: the language switch says its name in both languages (语言 Language)
ALLOWED = {"Language", "XLSX", "YAML", "ZIP", "PARQUET", "MB", "JPG", "PNG", "DOCX"} | {
    "Excel",
    "CSV",
    "PDF",
    "zip",
    "xlsx",
    "csv",
    "English",
    "starscore",
    "ID",
    "DuckDB",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
}
RAW = {"None", "null", "false", "true", "nan", "NaN", "NaT", "Infinity"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# an English page's labels: headings, widget labels, buttons, captions, tabs, table headers
LABELS = (
    "h1, h2, h3, h4, [data-testid='stWidgetLabel'], button, [data-testid='stCaptionContainer'],"
    " [data-testid='stMetricLabel'], [data-testid='stExpander'] summary, [role='tab'],"
    " [data-testid='stSidebarNavLink'], [role='columnheader'], th, [data-testid='stAlertContainer']"
)


@cache
def campaign_words() -> tuple[set[str], list[str]]:
    """The demo campaign's own ids (Latin) and names (Chinese), longest names first."""
    rules = yaml.safe_load((DEMO / "campaign.yaml").read_text(encoding="utf-8"))
    ids = {rules["campaign"]["id"], *(str(p) for p in rules["campaign"]["periods"])}
    names = {rules["campaign"]["name"], *(c["name"] for c in rules["categories"])}
    for ind in rules["indicators"]:
        ids.add(ind["id"])
        names |= {ind["name"], ind.get("area") or "", ind.get("unit") or ""}
    ids |= {c["id"] for c in rules["categories"]}
    for file in ("units.csv", "secretaries.csv", "surveys.csv"):
        path = DEMO / file
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for key, value in row.items():
                    if key.endswith("_id") or key == "category":
                        ids.add(value)
                    elif key in ("name", "secretary_name", "town", "item"):
                        names.add(value)
    names.discard("")
    return ids, sorted(names, key=len, reverse=True)


def page_text(page: Any) -> str:
    """The text a reader reads on the page: icons (drawn from their names by an icon font)
    taken out first."""
    # a table's accessible cells (its headers among them) are drawn once it is in view
    # (a table in a folded expander is not shown, so neither read nor waited for: waiting for
    # its header cells took the 3 s timeout each, 10 s of the walk on the entry and sources pages)
    tables = [t for t in page.locator('[data-testid="stDataFrame"]').all() if t.is_visible()]
    for table in tables:
        table.scroll_into_view_if_needed()
        try:  # its header cells once drawn (a fixed 300 ms a table before)
            table.locator("th").first.wait_for(state="attached", timeout=3000)
        except Exception:  # a table that draws no header cell: read as it is
            page.wait_for_timeout(300)
    if tables:
        page.locator("th").first.wait_for(state="attached", timeout=30000)
    # a rerun still going (on a busy machine) shows Streamlit's own "Running… Stop": read after it
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)
    page.evaluate(
        "() => document.querySelectorAll('[data-testid=\"stIconMaterial\"]').forEach(e => e.remove())"
    )
    return str(page.inner_text("body"))


def latin_words(text: str, strict: bool = False) -> set[str]:
    """The Latin-only words of a Chinese page that are neither ids, file names and units nor
    allowed, and any raw None/null/false/true/nan. ``strict``: an indicator's or a category's id
    counts as a word too (a Chinese reader is shown their names), only the units' and the
    campaign's ids are allowed."""
    ids, _ = campaign_words()
    if strict:
        rules = yaml.safe_load((DEMO / "campaign.yaml").read_text(encoding="utf-8"))
        ids = {rules["campaign"]["id"], *(str(p) for p in rules["campaign"]["periods"])}
    for pattern in NOT_WORDS:
        text = pattern.sub(" ", text)
    found = set()
    for word in LATIN.findall(text):
        word = word.rstrip(".:-/")
        if word in RAW or (
            word not in ids and word not in ALLOWED and not re.fullmatch(r"(JJ|S|R)\d+", word)
        ):
            found.add(word)
    return found


def chinese_labels(page: Any) -> set[str]:
    """The labels of an English page that still hold Chinese once the campaign's own names are
    taken out (and the language choice, which names 中文 in Chinese)."""
    _, names = campaign_words()
    found = set()
    page_text(page)  # icons out
    texts = page.locator(LABELS).all_inner_texts()
    for text in texts:
        for name in names:
            text = text.replace(name, "")
        text = text.replace("中文", "").replace("语言", "")
        if CJK.search(text):
            found.add(text.strip()[:80])
    body = page.inner_text("body")
    for word in RAW & set(LATIN.findall(body)):
        found.add(word)
    return found
