"""Explanations: how every yuan of a payout was reached, and what a unit needs for more.

The payout derivation is recomputed here from the stored results with exact fractions, line
by line (stars, flags, gross, cap, secretary shares by tenure, secretary cap, budget scale
factor, rounding), and must land on the very amounts the engine stored; a test checks that
the explanations add up to the exported totals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import polars as pl

from scoring.analysis.derivation import unit_cells
from scoring.analysis.field_takes import field_headroom
from scoring.core.frames import to_polars
from scoring.core.i18n import t
from scoring.core.money import plain, ratio_decimal
from scoring.engine.awards import tenure_frame
from scoring.engine.run import Run
from scoring.rules.model import Rules
from scoring.store.campaign import Campaign


def _yuan(x: Fraction) -> str:
    return plain(ratio_decimal(x.numerator, x.denominator, 2))


def _cap_line(cap: Decimal | None, capped: Fraction, lang: str) -> str:
    """The cap step: the cap and what it leaves, or that the campaign sets none."""
    if cap is None:
        return t("explain.no_cap", lang, amount=_yuan(capped))
    return t("explain.cap", lang, cap=plain(cap), amount=_yuan(capped))


@dataclass
class Explanation:
    payee_type: str
    payee_id: str
    payee_name: str
    lines: list[str] = field(default_factory=list)
    final: Fraction = Fraction(0)


def _floor_to(x: Fraction, unit: Fraction) -> Fraction:
    return math.floor(x / unit) * unit


def explain_payouts(
    camp: Campaign, run: Run, lang: str = "zh", payee: str | None = None
) -> list[Explanation]:
    """Every payee's derivation (or one payee's: a unit id or a secretary id)."""
    con = camp.con
    rules = camp.rules
    aw = rules.awards
    n = len(rules.periods)
    factor = Fraction(run.summary["scale_factor_fraction"])
    unit_round = Fraction(aw.rounding)
    # one payee's derivation reads only what it depends on: the posts that secretary held and
    # the units involved (a nation has 700,000 units and 2.8 M posts)
    ten = tenure_frame(con, run.campaign_id, secretary_id=payee).filter(pl.col("secretary_id").is_not_null())
    units = None if payee is None else [payee, *ten["unit_id"].to_list()]
    annual = to_polars(
        con.cursor().sql(
            """
        SELECT a.unit_id, u.name, a.stars, a.flags, a.vetoed, coalesce(a.progress, false) AS progress,
               a.annual_rank, a.annual_score, b.annual_rank AS base_rank, b.annual_score AS base_score
        FROM annual_results a
        JOIN units u ON u.campaign_id = $cid AND u.unit_id = a.unit_id
        LEFT JOIN baselines b ON b.campaign_id = $cid AND b.unit_id = a.unit_id
        WHERE a.run_id = $run AND ($units IS NULL OR list_contains($units, a.unit_id))
        ORDER BY u.rowid""",
            params={"cid": run.campaign_id, "run": run.run_id, "units": units},
        )
    )
    community: dict[str, Fraction] = {}
    out: list[Explanation] = []
    for row in annual.iter_rows(named=True):
        e = Explanation("community", row["unit_id"], row["name"])
        if row["vetoed"]:
            community[row["unit_id"]] = Fraction(0)
            e.lines.append(t("explain.vetoed", lang))
            out.append(e)
            continue
        star = Fraction(aw.stars.get(row["stars"], Decimal(0)))
        flags = Fraction(aw.flag) * row["flags"]
        bonus = Fraction(aw.progress.amount) if aw.progress and row["progress"] else Fraction(0)
        gross = star + flags + bonus
        capped = gross if aw.community_cap is None else min(gross, Fraction(aw.community_cap))
        community[row["unit_id"]] = capped
        e.final = _floor_to(capped * factor, unit_round)
        e.lines += [
            t("explain.stars", lang, stars=row["stars"], amount=_yuan(star)),
            t("explain.flags", lang, flags=row["flags"], each=plain(aw.flag), amount=_yuan(flags)),
            *(
                [progress_line(aw.progress.by, aw.progress.top_n, row, _yuan(bonus), lang)]
                if aw.progress and row["progress"]
                else []
            ),
            t("explain.gross", lang, amount=_yuan(gross)),
            _cap_line(aw.community_cap, capped, lang),
            *_scale_lines(capped, factor, unit_round, e.final, lang),
        ]
        out.append(e)
    shares: dict[str, list[tuple[str, int]]] = {}
    names: dict[str, str] = {}
    for (sid, uid), group in ten.group_by(["secretary_id", "unit_id"], maintain_order=True):
        shares.setdefault(str(sid), []).append((str(uid), group.height))
        names.setdefault(str(sid), group["secretary_name"][0] or str(sid))
    share_rate = Fraction(aw.secretary_share)
    for sid, held in shares.items():
        e = Explanation("secretary", sid, names[sid])
        total = Fraction(0)
        for uid, k in held:
            part = community.get(uid, Fraction(0)) * share_rate * k / n
            total += part
            e.lines.append(
                t(
                    "explain.share",
                    lang,
                    unit=uid,
                    award=_yuan(community.get(uid, Fraction(0))),
                    share=plain(aw.secretary_share),
                    held=k,
                    n=n,
                    amount=_yuan(part),
                )
            )
        capped = total if aw.secretary_cap is None else min(total, Fraction(aw.secretary_cap))
        e.final = _floor_to(capped * factor, unit_round)
        e.lines += [
            t("explain.sec_total", lang, amount=_yuan(total)),
            _cap_line(aw.secretary_cap, capped, lang),
            *_scale_lines(capped, factor, unit_round, e.final, lang),
        ]
        if capped > 0:
            out.append(e)
    if payee is not None:
        out = [e for e in out if e.payee_id == payee]
    return out


def _scale_lines(capped: Fraction, factor: Fraction, unit: Fraction, final: Fraction, lang: str) -> list[str]:
    return [
        t(
            "explain.scale",
            lang,
            factor=f"{factor.numerator}/{factor.denominator}",
            amount=_yuan(capped * factor),
        ),
        t("explain.round", lang, unit=_yuan(unit), amount=_yuan(final)),
    ]


# ----------------------------------------------------------------- what it takes


def _gain(target: Decimal, current: Decimal) -> Decimal:
    return max(Decimal(0), target - current)


def what_it_takes(camp: Campaign, run: Run, unit_id: str, lang: str = "zh") -> dict[str, Any]:
    """The smallest annual-score gains for one rank up and the next star level, the period
    score gain for a flag in the latest period, and each indicator's headroom, as sentences."""
    con = camp.con
    rules = camp.rules
    annual = to_polars(
        con.cursor().sql(
            """
        SELECT unit_id, category, annual_score, annual_rank, stars, vetoed FROM annual_results
        WHERE run_id = $run""",
            params={"run": run.run_id},
        )
    )
    result: dict[str, Any] = {"unit_id": unit_id, "sentences": []}
    say = result["sentences"]
    mine = annual.filter(pl.col("unit_id") == unit_id)
    if mine.height == 0:  # the year is in progress: no annual rank or star to climb to yet
        say.append(t("takes.year_incomplete", lang))
        return result
    me = mine.row(0, named=True)
    if me["vetoed"]:
        say.append(t("takes.vetoed", lang))
        return result
    peers = annual.filter(
        (pl.col("category") == me["category"]) & ~pl.col("vetoed") & (pl.col("unit_id") != unit_id)
    )
    score: Decimal = me["annual_score"]
    step = Decimal("0.01")
    better = peers.filter(pl.col("annual_rank") < me["annual_rank"])
    if better.height:
        rank_gain = _gain(min(better["annual_score"].to_list()) + step, score)
        result["rank_gain"] = max(rank_gain, step)
        say.append(t("takes.rank", lang, gain=plain(result["rank_gain"]), rank=me["annual_rank"]))
    else:
        say.append(t("takes.top", lang))
    higher = [lv for lv in sorted(rules.stars, key=lambda s: s.stars) if lv.stars > me["stars"]]
    if higher:
        level = higher[0]
        needed = Decimal(0) if level.min_score is None else _gain(level.min_score, score)
        ok = True
        if level.max_share is not None:
            quota = math.floor(level.max_share * (peers.height + 1))
            others = sorted(peers["annual_score"].to_list(), reverse=True)
            if quota < 1:
                ok = False
            elif len(others) >= quota:
                needed = max(needed, _gain(others[quota - 1] + step, score))
        if ok:
            result["star_gain"] = needed
            result["next_stars"] = level.stars
            say.append(
                t(
                    "takes.stars",
                    lang,
                    gain=plain(needed),
                    stars=level.stars,
                    n=len(rules.periods),
                    total=plain(needed * _periods_factor(rules)),
                )
            )
        else:
            say.append(t("takes.stars_quota", lang, stars=level.stars))
    result.update(_flag_gain(con, run, rules, unit_id, me["category"], lang))
    if "flag_sentence" in result:
        say.append(result.pop("flag_sentence"))
    headroom = _headroom(con, run, rules, unit_id, lang)
    result["headroom"] = headroom
    say += [h["sentence"] for h in headroom[:5]]
    moving = [i.name for i in rules.indicators if i.field_kind]
    if moving and ("rank_gain" in result or "star_gain" in result or "flag_gain" in result):
        say.append(t("takes.field_note", lang, names="、".join(moving)))
    return result


def _periods_factor(rules: Rules) -> Decimal:
    """Period points needed in total per point of annual score."""
    return Decimal(len(rules.periods)) if rules.annual_score == "mean" else Decimal(1)


def _flag_gain(
    con: duckdb.DuckDBPyConnection, run: Run, rules: Rules, unit_id: str, category: str, lang: str
) -> dict[str, Any]:
    if rules.flags is None:
        return {}
    last = rules.periods[-1]
    rows = to_polars(
        con.cursor().sql(
            """
        SELECT unit_id, score, rank, flag, vetoed FROM period_results
        WHERE run_id = $run AND period = $p AND category = $c""",
            params={"run": run.run_id, "p": last, "c": category},
        )
    )
    me = rows.filter(pl.col("unit_id") == unit_id).row(0, named=True)
    if me["flag"]:
        return {"flag_gain": Decimal(0), "flag_sentence": t("takes.flag_held", lang, period=last)}
    others = sorted(
        rows.filter(~pl.col("vetoed") & (pl.col("unit_id") != unit_id))["score"].to_list(), reverse=True
    )
    needed = _gain(rules.flags.min_score, me["score"])
    if len(others) >= rules.flags.top_n:
        # ties at the edge all win, unless a tie-break orders them: then pass the edge
        edge = others[rules.flags.top_n - 1]
        if rules.ranking.tie_break:
            edge += Decimal("0.01")
        needed = max(needed, _gain(edge, me["score"]))
    return {"flag_gain": needed, "flag_sentence": t("takes.flag", lang, gain=plain(needed), period=last)}


def progress_line(by: str, top_n: int, row: dict[str, Any], amount: str, lang: str) -> str:
    """The progress award a unit won, with last year's and this year's figures and the gain."""
    if by == "rank":
        before, after = row["base_rank"], row["annual_rank"]
        gain = before - after
    else:
        before, after = plain(row["base_score"]), plain(row["annual_score"])
        gain = plain(Decimal(str(row["annual_score"])) - Decimal(str(row["base_score"])))
    return t(
        f"explain.progress_{by}", lang, before=before, after=after, gain=gain, top_n=top_n, amount=amount
    )


def _headroom(
    con: duckdb.DuckDBPyConnection, run: Run, rules: Rules, unit_id: str, lang: str
) -> list[dict[str, Any]]:
    """Each indicator's points still available in the latest period, largest first."""
    last = rules.periods[-1]
    cur = con.cursor()
    rows = unit_cells(cur, run, unit_id, last)
    out = field_headroom(cur, rules, run.campaign_id, last, unit_id, lang)
    for r in rows.iter_rows(named=True):
        ind = rules.indicator(r["indicator_id"])
        if r["points"] is None:  # 不涉及: the item does not apply, nothing to gain on it
            continue
        got: Decimal = r["points"]
        unit = ind.unit or ""
        if ind.kind == "penalty" and got < 0:
            out.append(
                {
                    "indicator_id": ind.id,
                    "available": -got,
                    "sentence": t("takes.penalty", lang, name=ind.name, points=plain(-got)),
                }
            )
        elif ind.kind == "tiers":
            better = [tr for tr in ind.tiers or [] if tr.points > got]
            if better:
                best = max(better, key=lambda tr: tr.points)
                bound = f"≥ {plain(best.min)}{unit}" if best.min is not None else f"≤ {plain(best.max)}{unit}"
                out.append(
                    {
                        "indicator_id": ind.id,
                        "available": best.points - got,
                        "sentence": t(
                            "takes.tier",
                            lang,
                            name=ind.name,
                            value=plain(r["value"]) + unit if r["value"] is not None else "—",
                            bound=bound,
                            points=plain(best.points),
                            gain=plain(best.points - got),
                        ),
                    }
                )
        elif ind.kind in ("score", "linear", "bonus") and ind.points is not None:
            room = ind.points - got
            if room > 0:
                key = "takes.linear" if ind.kind == "linear" else "takes.score"
                out.append(
                    {
                        "indicator_id": ind.id,
                        "available": room,
                        "sentence": t(
                            key,
                            lang,
                            name=ind.name,
                            value=plain(r["value"]) + unit if r["value"] is not None else "—",
                            gain=plain(room),
                            target=plain(ind.target) + unit if ind.target is not None else "",
                        ),
                    }
                )
    return sorted(out, key=lambda h: -h["available"])
