"""An independent, deliberately naive reading of the spec's computation, for tests.

Pure Python with Fractions, loops over rows, no DuckDB and no code shared with the engine:
it reads the campaign folder itself and computes steps 1-9 the way the spec words them.
The engine must agree with it exactly.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

NA = "不涉及"  # a cell whose item does not apply to the unit (values.csv: 不涉及 or NA)
BASE = ("score", "linear", "tiers", "relative", "rank_points")


def F(x: Any) -> Fraction:
    return Fraction(str(x))


def round2(x: Fraction) -> Fraction:
    """Half away from zero to 2 decimals."""
    scaled = abs(x) * 100
    q = math.floor(scaled)
    if scaled - q >= Fraction(1, 2):
        q += 1
    return Fraction(q if x >= 0 else -q, 100)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def indicator_points(ind: dict[str, Any], value: Fraction) -> Fraction:
    kind = ind["kind"]
    if kind == "linear":
        lo, hi, pts = F(ind["floor"]), F(ind["target"]), F(ind["points"])
        frac = min(max((value - lo) / (hi - lo), Fraction(0)), Fraction(1))
        return round2(pts * frac)
    if kind == "tiers":
        for tier in ind["tiers"]:
            # a tier holds when every bound it states holds (min and max together: a range)
            if ("min" not in tier or F(tier["min"]) <= value) and (
                "max" not in tier or value <= F(tier["max"])
            ):
                return round2(F(tier["points"]))
        return Fraction(0)
    if kind in ("bonus", "penalty") and "each" in ind:  # a count: each x count, up to points
        got = round2(min(F(ind["each"]) * value, F(ind["points"])))
        return got if kind == "bonus" else -got
    if kind in ("score", "bonus"):
        return round2(value)
    if kind == "penalty":
        return -round2(value)
    return Fraction(0)


def item_max(ind: dict[str, Any]) -> Fraction:
    """A base item's maximum (spec step 2)."""
    if ind["kind"] == "tiers":
        return max(F(t["points"]) for t in ind["tiers"])
    if ind["kind"] == "rank_points":
        return max([*(F(x) for x in ind["points_by_rank"]), F(ind.get("rest", 0))])
    return F(ind["points"])


def field_points(ind: dict[str, Any], value: Fraction, field: list[Fraction]) -> Fraction:
    """relative and rank_points, as the spec words them, against the field's values (the
    category's units with a value for the indicator in the period, this unit's included)."""
    lower = ind.get("better", "higher") == "lower"
    if ind["kind"] == "rank_points":
        better = sum(1 for o in field if (o < value if lower else o > value))
        places = [F(x) for x in ind["points_by_rank"]]
        place = better + 1
        return round2(places[place - 1] if place <= len(places) else F(ind.get("rest", 0)))
    pts, lo, hi = F(ind["points"]), min(field), max(field)
    if ind.get("method", "ratio") == "ratio":
        if not lower:
            return Fraction(0) if hi == 0 else round2(pts * value / hi)
        return pts if value == 0 else round2(pts * lo / value)
    if hi == lo:
        return round2(pts)
    return round2(pts * ((hi - value) if lower else (value - lo)) / (hi - lo))


def _survey_values(folder: Path, rules: dict[str, Any]) -> dict[tuple[str, str, str], Fraction]:
    """The values residents' answers supply, as the format words it: each respondent's score is
    the mean of their counted answers; the value is the mean score scaled to 0..100, or the
    percentage satisfied, rounded; fewer than min_responses respondents: no value."""
    path = folder / "surveys.csv"
    if not rules.get("surveys") or not path.exists():
        return {}
    answers: dict[tuple[str, str, str], dict[str, list[Fraction]]] = defaultdict(lambda: defaultdict(list))
    for r in _rows(path):
        if r.get("status", "").lower() not in ("excluded", "剔除", "无效"):
            answers[(r["unit_id"], r["period"], r["indicator_id"])][r["respondent_id"]].append(F(r["answer"]))
    out = {}
    for survey in rules["surveys"]:
        low, high = (F(x) for x in survey["scale"])
        for (unit, period, ind), people in answers.items():
            if ind != survey["indicator"] or len(people) < survey.get("min_responses", 1):
                continue
            scores = [sum(a, Fraction(0)) / len(a) for a in people.values()]
            if survey.get("measure", "mean") == "share":
                satisfied = sum(1 for x in scores if x >= F(survey["satisfied_from"]))
                out[(unit, period, ind)] = round2(Fraction(100 * satisfied, len(scores)))
            else:
                mean = sum(scores, Fraction(0)) / len(scores)
                out[(unit, period, ind)] = round2(100 * (mean - low) / (high - low))
    return out


def competition_ranks(keys: dict[str, tuple[Fraction, ...]]) -> dict[str, int]:
    """Rank = 1 + number of units with a strictly better key (higher first)."""
    return {u: 1 + sum(1 for o in keys.values() if o > k) for u, k in keys.items()}


def compute(folder: Path) -> dict[str, Any]:
    rules = yaml.safe_load((folder / "campaign.yaml").read_text(encoding="utf-8-sig"))
    periods = [str(p) for p in rules["campaign"]["periods"]]
    inds = {i["id"]: i for i in rules["indicators"]}
    units = _rows(folder / "units.csv")
    cat = {u["unit_id"]: u["category"] for u in units}
    values: dict[tuple[str, str, str], Any] = {}
    for r in _rows(folder / "values.csv"):
        if r["value"].upper() in (NA, "NA"):
            values[(r["unit_id"], r["period"], r["indicator_id"])] = NA
        elif r["value"] != "":
            values[(r["unit_id"], r["period"], r["indicator_id"])] = F(r["value"])
    values.update(_survey_values(folder, rules))
    tie_break = (rules.get("ranking") or {}).get("tie_break") or []
    mean = rules.get("annual_score", "mean") == "mean"

    def applies(i: dict[str, Any], c: str) -> bool:
        return "categories" not in i or i["categories"] is None or c in i["categories"]

    pts: dict[tuple[str, str, str], Fraction | None] = {}
    score: dict[tuple[str, str], Fraction] = {}
    veto: dict[tuple[str, str], bool] = {}
    for u in units:
        uid = u["unit_id"]
        for p in periods:
            base, extra, vetoed = Fraction(0), Fraction(0), False
            whole, not_applying = Fraction(0), Fraction(0)  # M and the maxima of the 不涉及 items
            for iid, ind in inds.items():
                if not applies(ind, cat[uid]):
                    continue
                v = values.get((uid, p, iid))
                if ind["kind"] in BASE:
                    whole += item_max(ind)
                if v == NA:  # no points, not in the field; its maximum leaves A
                    pts[(uid, p, iid)] = None
                    not_applying += item_max(ind)
                    continue
                if v is not None and ind["kind"] in ("relative", "rank_points"):
                    others = [values.get((o, p, iid)) for o in cat if cat[o] == cat[uid]]
                    got = field_points(ind, v, [x for x in others if x is not None and x != NA])
                else:
                    got = Fraction(0) if v is None else indicator_points(ind, v)
                pts[(uid, p, iid)] = got
                if ind["kind"] in BASE:
                    base += got
                else:
                    extra += got
                vetoed = vetoed or (ind["kind"] == "veto" and v == 1)
            if not_applying == 0:
                score[(uid, p)] = round2(base + extra)
            elif whole == not_applying:
                score[(uid, p)] = round2(extra)
            else:  # B x M / A + E
                score[(uid, p)] = round2(base * whole / (whole - not_applying) + extra)
            veto[(uid, p)] = vetoed

    # step 3: a period with no value has not started; under missing: error a period lacking an
    # applicable value is not scored; the year exists only once every period is scored
    started = {p for (_, p, _) in values}

    def complete(p: str) -> bool:
        return all(
            (uid, p, iid) in values for uid in cat for iid, ind in inds.items() if applies(ind, cat[uid])
        )

    missing_rule = rules.get("missing", "error")
    scored = [p for p in periods if p in started and (missing_rule == "zero" or complete(p))]
    status = {
        p: "scored" if p in scored else ("incomplete" if p in started else "not_started") for p in periods
    }

    flags_rule = rules.get("flags")
    period_rank: dict[tuple[str, str], int | None] = {}
    flag: dict[tuple[str, str], bool] = {}
    for p in scored:
        for c in {u["category"] for u in units}:
            keys = {
                uid: (score[(uid, p)], *(pts.get((uid, p, t)) or Fraction(0) for t in tie_break))
                for uid in cat
                if cat[uid] == c and not veto[(uid, p)]
            }
            ranks = competition_ranks(keys)
            for uid in (x for x in cat if cat[x] == c):
                period_rank[(uid, p)] = ranks.get(uid)
                r = ranks.get(uid)
                flag[(uid, p)] = bool(
                    flags_rule
                    and r is not None
                    and r <= flags_rule["top_n"]
                    and score[(uid, p)] >= F(flags_rule.get("min_score", 0))
                )

    base = {"points": pts, "score": score, "veto": veto, "period_rank": period_rank, "flag": flag}
    base |= {"scored_periods": scored, "period_status": status, "year_complete": scored == periods}
    if scored != periods:
        return base

    def combine(xs: list[Fraction]) -> Fraction:
        return round2(sum(xs, Fraction(0)) / len(xs)) if mean else round2(sum(xs, Fraction(0)))

    annual = {uid: combine([score[(uid, p)] for p in periods]) for uid in cat}
    year_veto = {uid: any(veto[(uid, p)] for p in periods) for uid in cat}
    flags_won = {uid: sum(flag[(uid, p)] for p in periods) for uid in cat}
    annual_rank: dict[str, int | None] = {}
    stars: dict[str, int] = {}
    levels = sorted(rules.get("stars") or [], key=lambda s: -int(s["stars"]))
    for c in {u["category"] for u in units}:
        keys = {
            uid: (
                annual[uid],
                *(combine([pts.get((uid, p, t)) or Fraction(0) for p in periods]) for t in tie_break),
            )
            for uid in cat
            if cat[uid] == c and not year_veto[uid]
        }
        ranks = competition_ranks(keys)
        n = len(keys)
        for uid in (x for x in cat if cat[x] == c):
            r = ranks.get(uid)
            annual_rank[uid] = r
            stars[uid] = 0
            if r is None:
                continue
            for lvl in levels:
                ok = "min_score" not in lvl or F(lvl["min_score"]) <= annual[uid]
                if "max_share" in lvl:
                    ok = ok and r <= math.floor(F(lvl["max_share"]) * n)
                if ok:
                    stars[uid] = int(lvl["stars"])
                    break

    aw = rules.get("awards") or {}
    won = _progress(folder, aw.get("progress"), cat, annual, annual_rank, year_veto)
    star_amt = {int(k): F(v) for k, v in (aw.get("stars") or {}).items()}
    community_gross, community = {}, {}
    for uid in cat:
        if year_veto[uid]:
            community_gross[uid] = community[uid] = Fraction(0)
            continue
        g = star_amt.get(stars[uid], Fraction(0)) + F(aw.get("flag", 0)) * flags_won[uid]
        if uid in won:
            g += F(aw["progress"]["amount"])
        community_gross[uid] = g
        cap = aw.get("community_cap")
        community[uid] = g if cap is None else min(g, F(cap))
    # tenure
    sec_rows = _rows(folder / "secretaries.csv") if (folder / "secretaries.csv").exists() else []
    listed: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for r in sec_rows:
        listed[r["unit_id"]][r["period"]] = (r["secretary_id"], r["secretary_name"])
    held: dict[tuple[str, str], int] = defaultdict(int)
    sec_name: dict[str, str] = {}
    for u in units:
        uid = u["unit_id"]
        for p in periods:
            if uid in listed:
                sid, sname = listed[uid].get(p, ("", ""))
            else:
                sid, sname = u["secretary_id"], u["secretary_name"]
            if sid:
                held[(sid, uid)] += 1
                sec_name.setdefault(sid, sname or sid)
    share = F(aw.get("secretary_share", 0))
    sec_gross: dict[str, Fraction] = defaultdict(Fraction)
    for (sid, uid), k in held.items():
        sec_gross[sid] += community[uid] * share * k / len(periods)
    sec_cap = aw.get("secretary_cap")
    sec = {s: (g if sec_cap is None else min(g, F(sec_cap))) for s, g in sec_gross.items()}
    total = sum(community.values(), Fraction(0)) + sum(sec.values(), Fraction(0))
    budget = aw.get("budget")
    factor = Fraction(1)
    if budget is not None and total > F(budget):
        factor = F(budget) / total
    unit = F(aw.get("rounding", 1))

    def final(x: Fraction) -> Fraction:
        return math.floor(x * factor / unit) * unit

    payouts = []
    for u in units:
        if community[u["unit_id"]] > 0:
            uid = u["unit_id"]
            payouts.append(("community", uid, community_gross[uid], community[uid], final(community[uid])))
    for sid, g in sec_gross.items():
        if sec[sid] > 0:
            payouts.append(("secretary", sid, g, sec[sid], final(sec[sid])))
    total_final = sum((p[4] for p in payouts), Fraction(0))
    return base | {
        "annual": annual,
        "year_veto": year_veto,
        "annual_rank": annual_rank,
        "stars": stars,
        "flags": flags_won,
        "progress": won,
        "payouts": payouts,
        "total_before_scaling": total,
        "scale_factor": factor,
        "total_final": total_final,
        "unallocated": None if budget is None else F(budget) - total_final,
    }


def _progress(
    folder: Path,
    rule: dict[str, Any] | None,
    cat: dict[str, str],
    annual: dict[str, Fraction],
    annual_rank: dict[str, int | None],
    year_veto: dict[str, bool],
) -> set[str]:
    """进步奖 as the spec words it: per category, over the units not vetoed for the year with a
    baseline row and a gain > 0, gains ranked higher first (competition style); place ≤ top_n."""
    path = folder / "baseline.csv"
    if not rule or not path.exists():
        return set()
    base = {r["unit_id"]: r for r in _rows(path)}
    gains: dict[str, Fraction] = {}
    for uid, row in base.items():
        if year_veto[uid]:
            continue
        if rule.get("by", "rank") == "rank":
            if row["annual_rank"] == "" or annual_rank[uid] is None:
                continue
            gain = Fraction(int(row["annual_rank"]) - annual_rank[uid])
        else:
            if row["annual_score"] == "":
                continue
            gain = annual[uid] - F(row["annual_score"])
        if gain > 0:
            gains[uid] = gain
    won = set()
    for c in set(cat.values()):
        mine = {u: g for u, g in gains.items() if cat[u] == c}
        for u, g in mine.items():
            if 1 + sum(1 for o in mine.values() if o > g) <= int(rule["top_n"]):
                won.add(u)
    return won
