"""The workflow as people read it, on the terminal and the dashboard alike: each period's state,
the period × town matrix (state, who, when), the year's publication, the objection register and
an evaluator's to-do, in words (填报中, 已提交…), names and local times with the zone named."""

from __future__ import annotations

import polars as pl

from scoring.core.frames import each
from scoring.core.i18n import t
from scoring.core.localtime import label, local_columns, show, show_deadline
from scoring.store.campaign import Campaign
from scoring.workflow.locks import deadlines, exceptions
from scoring.workflow.states import statuses, town_matrix
from scoring.workflow.year import objections, year_status


def _word(frame: pl.DataFrame, prefix: str, lang: str, column: str = "status") -> pl.Expr:
    """A column of codes in words, as a native lookup (no Python function inside polars)."""
    codes = [c for c in frame[column].unique().to_list() if c is not None]
    return pl.col(column).replace_strict({c: t(f"{prefix}.{c}", lang) for c in codes}, return_dtype=pl.String)


def town_name(town: str | None, lang: str = "zh") -> str:
    return town or t("town.none", lang)


def periods_view(camp: Campaign, lang: str = "zh") -> pl.DataFrame:
    """期次, 状态, 操作人, 时间, 理由, 异议期至, 填报截止, 待处理异议 — one row a period."""
    con, cid = camp.con, camp.id
    tz = camp.zone
    zone = label(tz, lang)
    due = deadlines(camp)
    pending = objections(con, cid).filter(pl.col("outcome") == "pending")["period"].to_list()
    frame = local_columns(statuses(con, cid), tz)
    frame = frame.with_columns(
        _word(frame, "state", lang).alias("status"),
        each(frame, "period", lambda p: show_deadline(due.get(p), tz, lang)).alias("due"),
        each(frame, "period", pending.count, pl.Int64).alias("pending"),
    )
    return frame.select(
        pl.col("period").alias(t("wcol.period", lang)),
        pl.col("status").alias(t("wcol.status", lang)),
        pl.col("changed_by").alias(t("wcol.who", lang)),
        pl.col("changed_at").alias(t("wcol.when", lang, zone=zone)),
        pl.col("reason").alias(t("wcol.reason", lang)),
        pl.col("objection_ends").alias(t("wcol.objection_ends", lang, zone=zone)),
        pl.col("due").alias(t("wcol.deadline", lang)),
        pl.col("pending").alias(t("wcol.pending", lang)),
    )


def matrix_view(camp: Campaign, lang: str = "zh") -> pl.DataFrame:
    """街镇 × 期次: each cell the town's state in the period, who moved it and when (local),
    and a return's message."""
    con, cid = camp.con, camp.id
    tz = camp.zone
    frame = local_columns(town_matrix(con, cid), tz)
    periods = list(dict.fromkeys(frame["period"].to_list()))
    cells = frame.with_columns(
        pl.concat_str(
            [
                _word(frame, "state", lang),
                pl.when(pl.col("changed_by").is_not_null())
                .then(
                    pl.concat_str(
                        [pl.lit(" · "), pl.col("changed_by"), pl.lit(" "), pl.col("changed_at").str.slice(5)]
                    )
                )
                .otherwise(pl.lit("")),
                pl.when(pl.col("message").is_not_null() & (pl.col("status") == "returned"))
                .then(pl.concat_str([pl.lit("："), pl.col("message")]))
                .otherwise(pl.lit("")),
            ]
        ).alias("cell"),
        each(frame, "town", lambda x: town_name(x, lang)),
    )
    wide = cells.pivot(on="period", index="town", values="cell", maintain_order=True)
    return wide.select(pl.col("town").alias(t("wcol.town", lang)), *periods)


def year_line(camp: Campaign, lang: str = "zh") -> str:
    """The year's state in one line ("全年结果：公示中，异议期至 …")."""
    con, cid = camp.con, camp.id
    tz = camp.zone
    year = year_status(con, cid)
    return t(
        f"year.status.{year['status']}",
        lang,
        who=year["changed_by"] or "",
        at=show(year["changed_at"], tz, lang),
        until=show(year["objection_ends"], tz, lang),
    )


def objections_view(camp: Campaign, lang: str = "zh") -> pl.DataFrame:
    con, cid = camp.con, camp.id
    tz = camp.zone
    zone = label(tz, lang)
    frame = local_columns(objections(con, cid), tz)
    frame = frame.with_columns(
        _word(frame, "state", lang, "outcome"),
        pl.col("period").fill_null(t("year.label", lang)),
    )
    return frame.select(
        pl.col("objection_no").alias(t("wcol.no", lang)),
        pl.col("period").alias(t("wcol.period", lang)),
        pl.col("unit_name").alias(t("wcol.unit", lang)),
        pl.col("raised_by").alias(t("wcol.raised_by", lang)),
        pl.col("text").alias(t("wcol.text", lang)),
        pl.col("received_at").alias(t("wcol.received", lang, zone=zone)),
        pl.col("outcome").alias(t("wcol.outcome", lang)),
        pl.col("response").alias(t("wcol.response", lang)),
        pl.col("correction").alias(t("wcol.correction", lang)),
        pl.col("handled_by").alias(t("wcol.handled_by", lang)),
        pl.col("handled_at").alias(t("wcol.handled_at", lang, zone=zone)),
    )


def exceptions_view(camp: Campaign, lang: str = "zh") -> pl.DataFrame:
    con, cid = camp.con, camp.id
    tz = camp.zone
    zone = label(tz, lang)
    rules = camp.rules
    names = {i.id: i.name for i in rules.indicators}
    units = con.execute("SELECT unit_id, name FROM units WHERE campaign_id = ?", [cid]).fetchall()
    unit_names = {u: f"{n}（{u}）" for u, n in units}
    frame = local_columns(exceptions(con, cid, open_only=False), tz)
    return frame.select(
        pl.col("exception_no").alias(t("wcol.no", lang)),
        pl.col("period").alias(t("wcol.period", lang)),
        pl.col("town").alias(t("wcol.town", lang)),
        pl.col("unit_id").replace(unit_names).alias(t("wcol.unit", lang)),
        pl.col("indicator_id").replace(names).alias(t("wcol.indicator", lang)),
        pl.col("reason").alias(t("wcol.reason", lang)),
        pl.col("granted_by").alias(t("wcol.who", lang)),
        pl.col("granted_at").alias(t("wcol.when", lang, zone=zone)),
        pl.col("closed_at").alias(t("wcol.closed_at", lang, zone=zone)),
    )
