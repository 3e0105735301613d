"""The public notice (公示): a printable results report from the stored published results.

HTML always; PDF by printing that HTML with headless Chromium, which embeds the fonts it
uses (on a machine without a CJK font, install one, e.g. Debian's fonts-wqy-microhei).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import polars as pl

from scoring.core.errors import CampaignError, Problem
from scoring.core.i18n import t
from scoring.core.localtime import add_local_days, show
from scoring.engine.run import Run
from scoring.outputs.results import annual_results, payouts_frame, period_results
from scoring.store.campaign import Campaign
from scoring.store.seal import head
from scoring.workflow.periods import statuses
from scoring.workflow.year import objection_counts, year_status

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei",
       "PingFang SC", sans-serif; font-size: 10.5pt; color: #111; }
h1 { text-align: center; font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; margin: 6mm 0 2mm; }
p.meta { text-align: center; color: #444; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
th, td { border: 1px solid #aaa; padding: 1.2mm 2mm; text-align: left; }
th { background: #f0f0f0; } td.n { text-align: right; }
.window { border: 1px solid #c92a2a; padding: 3mm; margin: 4mm 0; }
"""


def _score(x: Decimal | None) -> str:
    """A score as the notice prints it: always 2 decimals (92.20), so the column aligns."""
    return "" if x is None else f"{x:.2f}"


def _amount(x: Decimal) -> str:
    """An amount in yuan with thousands separators (149,200; fen only where there are any)."""
    return f"{x:,.2f}" if x != x.to_integral_value() else f"{x:,.0f}"


def _e(x: object) -> str:
    return html.escape("" if x is None else str(x))


def _table(headers: list[str], rows: list[list[object]], numeric: set[int]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(v)}</td>' if k in numeric else f"<td>{_e(v)}</td>" for k, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _progress(annual: pl.DataFrame, by: str, names: dict[str, str], lang: str) -> str:
    """The progress award's winners: category, unit, last year's and this year's rank or score."""
    won = annual.filter(pl.col("progress"))
    before, after = ("base_rank", "annual_rank") if by == "rank" else ("base_score", "annual_score")
    rows = [
        [names.get(r["category"], r["category"]), r["unit_name"], _plain(r[before]), _plain(r[after])]
        for r in won.iter_rows(named=True)
    ]
    head = [t(f"notice.col.{c}", lang) for c in ("category", "unit", f"last_{by}", f"this_{by}")]
    title = f"<h2>{_e(t('notice.progress', lang))}</h2>"
    return title + (_table(head, rows, {2, 3}) if rows else f"<p>{_e(t('notice.progress_none', lang))}</p>")


def _plain(x: object) -> str:
    return "" if x is None else _score(x) if isinstance(x, Decimal) else str(x)


def notice_html(camp: Campaign, lang: str = "zh") -> str:
    con, cid = camp.con, camp.id
    rules = camp.rules
    status = statuses(con, cid)
    published = status.filter(pl.col("status").is_in(["published", "final"]))
    if published.height == 0:
        raise CampaignError([Problem("notice", None, None, "nothing_published", {"id": cid})])
    latest = published.sort("changed_at").row(-1, named=True)
    year = year_status(con, cid)
    year_shown = year["status"] in ("published", "final")  # the year's own 公示
    run = Run.by_id(year["run_id"] if year_shown else latest["run_id"], cid)
    tz, days = rules.campaign.timezone, rules.campaign.objection_days
    names = {c.id: c.name for c in rules.categories}
    parts = [
        f"<h1>{_e(t('notice.title', lang, name=rules.campaign.name))}</h1>",
        f'<p class="meta">{_e(t("notice.meta", lang, run=run.run_id))}</p>',
    ]
    lines = [
        t(
            "notice.window_period",
            lang,
            period=r["period"],
            status=t(f"notice.status.{r['status']}", lang),
            start=show(add_local_days(r["objection_ends"], -days, tz), tz, lang),
            end=show(r["objection_ends"], tz, lang),
        )
        for r in published.iter_rows(named=True)
    ]
    if year_shown:
        lines.append(
            t(
                "notice.window_period",
                lang,
                period=t("notice.year", lang),
                status=t(f"notice.status.{year['status']}", lang),
                start=show(add_local_days(year["objection_ends"], -days, tz), tz, lang),
                end=show(year["objection_ends"], tz, lang),
            )
        )
    counts = objection_counts(con, cid)
    if counts["total"]:
        lines.append(t("notice.objections", lang, **counts))
    # the audit trail's head as this notice is made: printed (and filed with the notice), it
    # shows later that no row before it was rewritten, not even by the database's owner
    lines.append(t("notice.chain_head", lang, head=head(con)))
    window = "".join(f"<li>{_e(line)}</li>" for line in lines)
    contact = rules.campaign.contact or t("notice.no_contact", lang)
    parts.append(
        f'<div class="window"><b>{_e(t("notice.window", lang))}</b><ul>{window}</ul>'
        f"{_e(t('notice.contact', lang, contact=contact))}</div>"
    )
    if year_shown:
        annual = annual_results(con, run)
        for cat, name in names.items():
            rows = annual.filter(pl.col("category") == cat)
            parts.append(f"<h2>{_e(t('notice.annual', lang, category=name))}</h2>")
            parts.append(
                _table(
                    [t(f"notice.col.{c}", lang) for c in ("rank", "unit", "town", "score", "stars", "flags")],
                    [
                        [
                            r["annual_rank"] or t("notice.vetoed", lang),
                            r["unit_name"],
                            r["town"] or "",
                            _score(r["annual_score"]),
                            "★" * int(r["stars"]),
                            r["flags"],
                        ]
                        for r in rows.iter_rows(named=True)
                    ],
                    {0, 3, 5},
                )
            )
        if rules.awards.progress is not None:  # 进步奖: who won it, from where to where
            parts.append(_progress(annual, rules.awards.progress.by, names, lang))
        pays = payouts_frame(con, run)
        parts.append(f"<h2>{_e(t('notice.awards', lang))}</h2>")
        parts.append(
            _table(
                [t(f"notice.col.{c}", lang) for c in ("type", "id", "name", "final")],
                [
                    [
                        t(f"notice.type.{r['payee_type']}", lang),
                        r["payee_id"],
                        r["payee_name"],
                        _amount(r["final"]),
                    ]
                    for r in pays.iter_rows(named=True)
                ],
                {3},
            )
        )
        parts.append(f"<p>{_e(t('notice.total', lang, total=_amount(sum(pays['final'].to_list()))))}</p>")
    else:
        for r in published.iter_rows(named=True):
            frame = period_results(con, Run.by_id(r["run_id"], cid)).filter(pl.col("period") == r["period"])
            for cat, name in names.items():
                rows = frame.filter(pl.col("category") == cat)
                parts.append(f"<h2>{_e(t('notice.period', lang, period=r['period'], category=name))}</h2>")
                parts.append(
                    _table(
                        [t(f"notice.col.{c}", lang) for c in ("rank", "unit", "town", "score", "flags")],
                        [
                            [
                                x["rank"] or t("notice.vetoed", lang),
                                x["unit_name"],
                                x["town"] or "",
                                _score(x["score"]),
                                # words, not an emoji: a printed notice's fonts may have none
                                t("notice.flag_won", lang) if x["flag"] else "",
                            ]
                            for x in rows.iter_rows(named=True)
                        ],
                        {0, 3},
                    )
                )
    body = "\n".join(parts)
    return (
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{_e(rules.campaign.name)}</title>'
        f"<style>{CSS}</style></head><body>{body}</body></html>"
    )


def find_browser() -> str | None:
    return next((p for p in (shutil.which(b) for b in BROWSERS) if p), None)


def notice_pdf(page: str, out: Path) -> Path:
    """Print the notice's HTML to PDF with headless Chromium (fonts embedded)."""
    browser = find_browser()
    if browser is None:
        raise CampaignError([Problem("notice", None, None, "no_browser", {})])
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "notice.html"
        source.write_text(page, encoding="utf-8")
        proc = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                source.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if proc.returncode != 0 or not out.exists():
        raise CampaignError(
            [Problem("notice", None, None, "pdf_failed", {"detail": proc.stderr.strip()[-200:]})]
        )
    return out
