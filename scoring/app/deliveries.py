"""Departments' deliveries (一套表): a department's own file, tried first, then confirmed.

``preview`` reads the file as its source declares (``scoring.ingest.sources``) and says, row by
row, what it would add, change, leave as it is, hold until a period's months are all there, pass
over, or reject, and why; nothing is written. ``confirm`` writes what the preview found, and only
when it rejected nothing: the values through the same save as the entry grid (the user's
department, towns and areas, locks and reasons, stale values, the value checks, outliers, the
audit, re-scoring), then the delivery itself and its monthly values, audited
(``source_delivery``). What each department has delivered, per period, is ``scoring.delivery_status``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.app.delivery_rows import NO_PENDING, respondents, row_table
from scoring.app.entry import SaveResult, save_values
from scoring.app.service import units as units_frame
from scoring.core.errors import CampaignError, Problem, named
from scoring.core.frames import each, register, to_polars
from scoring.core.i18n import t
from scoring.core.money import plain
from scoring.engine.run import OnStage
from scoring.ingest.bounds import staged
from scoring.ingest.source_gather import gather
from scoring.ingest.source_surveys import survey_values
from scoring.ingest.sources import read_source
from scoring.ingest.validate import check_values
from scoring.rules.model import Rules, Source
from scoring.store.campaign import Campaign, open_campaign
from scoring.store.cells import stored_at_sql
from scoring.store.db import now, record_event, transaction
from scoring.workflow.locks import refuse_closed_periods

OUTCOMES = ("add", "change", "same", "pending", "empty", "skipped", "rejected")


@dataclass
class Delivery:
    """What a department's file would do, row by row, before anything is written."""

    campaign_id: str
    source: Source
    file: str
    sha256: str
    rows: pl.DataFrame  # row by row: _row, unit_text, unit_id, period, month, indicator_id, raw,
    #                     value, outcome, old, new, detail
    values: pl.DataFrame  # the periods' values to write: unit_id, period, indicator_id, value, old, _row
    months: pl.DataFrame  # the monthly values to keep: unit_id, indicator_id, month, value, _row
    periods: list[str] = field(default_factory=list)  # the periods the file delivers
    problems: list[Problem] = field(default_factory=list)
    indicator_names: dict[str, str] = field(default_factory=dict)  # id → name, as readers see them
    answers: pl.DataFrame | None = None  # a survey export's answers, replacing its cells' stored ones
    repeats: dict[int, tuple[int, int | None]] = field(default_factory=dict)  # possible repeated sheets

    def count(self, outcome: str) -> int:
        return self.rows.filter(pl.col("outcome") == outcome).height

    @property
    def rejected(self) -> int:
        return self.rows.filter(pl.col("outcome") == "rejected")["_row"].n_unique()


def find_source(rules: Rules, source_id: str) -> Source:
    source = rules.source(source_id)
    if source is None:
        known = "、".join(s.id for s in rules.sources) or "—"
        raise CampaignError(
            [Problem("source", None, None, "source_unknown", {"source": source_id, "known": known})]
        )
    return source


def may_deliver(user: User, source: Source) -> None:
    """Refuse a source outside the user's departments (a user without one may deliver any)."""
    require(user, "enter_values")
    if user.departments and source.department not in user.departments:
        params = {
            "user": user.username,
            "departments": "、".join(user.departments),
            "source": source.name,
            "department": source.department,
        }
        raise CampaignError([Problem("source", None, None, "source_forbidden", params)])


def sources_for(rules: Rules, user: User) -> list[Source]:
    """The sources a user may deliver: their departments', or all of them."""
    return [s for s in rules.sources if not user.departments or s.department in user.departments]


def preview(
    camp: Campaign,
    source_id: str,
    name: str,
    payload: bytes,
    user: User,
    period: str | None = None,
    lang: str = "zh",
    any_year: bool = False,
) -> Delivery:
    """Read a department's file and say what it would do (its details in ``lang``); nothing is
    written. ``any_year``: read it even if its title or name says another year."""
    con, cid = camp.con, camp.id
    rules = camp.rules
    source = find_source(rules, source_id)
    may_deliver(user, source)
    units = units_frame(con, cid)
    kinds = (".xlsx", ".csv", ".xls", ".et")  # an old workbook is refused by the reader, in words
    with staged(payload, name, "source", kinds) as path:  # bounded before it is read
        read = read_source(rules, units, source, path, name, period, any_year)
    rows = read.rows
    refuse_closed_periods(con, cid, rows["period"].drop_nulls().unique().to_list(), name)
    months = rows.filter(pl.col("month").is_not_null()).select(
        "unit_id", "indicator_id", "month", "value", "_row"
    )
    made = survey_values(rules, rows, name) if source.shape == "survey" else None
    if made is not None:
        values = made.values.select("unit_id", "period", "indicator_id", "value", "_row")
        pending = NO_PENDING
    elif source.monthly:
        merged = pl.concat(
            [
                stored_months(con, cid, source.id).join(
                    months, on=["unit_id", "indicator_id", "month"], how="anti"
                ),
                months,
            ]
        )
        values, pending = gather(rules, source, merged)
        touched = rows.select("unit_id", "period", "indicator_id").unique()
        values = values.join(touched, on=["unit_id", "period", "indicator_id"], how="semi").drop("months")
        pending = pending.join(touched, on=["unit_id", "period", "indicator_id"], how="semi")
    else:
        values = rows.select("unit_id", "period", "indicator_id", "value", "_row")
        pending = NO_PENDING
    problems = list(read.problems) + (made.problems if made is not None else [])
    problems += _value_problems(rules, source, units, values.filter(pl.col("value") != ""), name)
    names = {i.id: i.name for i in rules.indicators}
    problems = [  # indicators by their names, as a department's clerk knows them
        replace(p, params=q.params)
        for p, q in zip(problems, named(CampaignError(problems), names).problems, strict=True)
    ]
    values = _with_old(con, cid, values)
    table = row_table(rows, values, pending, read.skipped, problems, lang, read.repeats)
    if made is not None:
        table = respondents(table, made.values, rules, lang)
    return Delivery(
        cid,
        source,
        name,
        hashlib.sha256(payload).hexdigest(),
        table,
        values,
        months,
        sorted(set(rows["period"].drop_nulls().to_list()), key=rules.periods.index),
        problems,
        {i.id: i.name for i in rules.indicators},
        made.answers if made is not None else None,
        read.repeats,
    )


def stored_months(con: duckdb.DuckDBPyConnection, cid: str, source_id: str) -> pl.DataFrame:
    """The monthly values a source has delivered so far."""
    frame = to_polars(
        con.cursor().sql(
            """SELECT unit_id, indicator_id, month, CAST(value AS VARCHAR) AS value,
                      CAST(source_row AS BIGINT) AS _row
               FROM source_months WHERE campaign_id = $cid AND source_id = $sid""",
            params={"cid": cid, "sid": source_id},
        )
    )
    return frame.with_columns(each(frame, "value", _plain_text))


def _plain_text(text: str) -> str:
    """A stored DECIMAL's text (12.500000000) as a value is written (12.5)."""
    return plain(Decimal(text))


def _value_problems(
    rules: Rules, source: Source, units: pl.DataFrame, values: pl.DataFrame, file: str
) -> list[Problem]:
    """The value checks of an import (range, decimals, kind), by the row that made the value
    and the file's column for its indicator."""
    if values.height == 0:
        return []
    try:
        check_values(rules, units, values.select("unit_id", "period", "indicator_id", "value", "_row"), file)
    except CampaignError as exc:
        column = {c.indicator: c.column for c in source.columns}
        return [replace(p, column=column.get(str(p.params.get("indicator")), p.column)) for p in exc.problems]
    return []


def _with_old(con: duckdb.DuckDBPyConnection, cid: str, values: pl.DataFrame) -> pl.DataFrame:
    """The values with the stored value each would replace (``old``, as text; empty: none)."""
    cur = con.cursor()
    register(cur, "_delivered", values)
    try:
        current = to_polars(
            cur.sql(
                "SELECT unit_id, period, indicator_id, CAST(value AS VARCHAR) AS old "
                f"FROM {stored_at_sql('_delivered')} x",
                params={"cid": cid},
            )
        )
    finally:
        cur.unregister("_delivered")
    current = current.with_columns(each(current, "old", _plain_text))
    return values.join(current, on=["unit_id", "period", "indicator_id"], how="left").with_columns(
        pl.col("old").fill_null("")
    )


def confirm(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    user: User,
    reason: str | None = None,
    confirm_note: str | None = None,
    on_stage: OnStage | None = None,
) -> SaveResult | None:
    """Write what a preview found, when it rejected nothing: the values (through the entry's
    save, which checks everything again) with the delivery and its months, in one transaction.
    Returns the save's result (None when no period's value changes: months still waiting, or the
    same values)."""
    may_deliver(user, delivery.source)
    if delivery.problems:
        raise CampaignError(
            [
                Problem(delivery.file, None, None, "source_rejected", {"n": delivery.rejected}),
                *delivery.problems,
            ]
        )
    cid, src = delivery.campaign_id, delivery.source
    changes = delivery.values.filter(pl.col("old") != pl.col("value")).with_columns(
        pl.lit(t("src.note", "zh", source=src.name, file=delivery.file)).alias("note")
    )
    answers = None if delivery.answers is None else _answers_writer(cid, delivery.answers)
    result = None
    if changes.height:
        result = save_values(
            open_campaign(con, cid),
            changes.select("unit_id", "period", "indicator_id", "value", "note", "old", "_row"),
            user,
            file=delivery.file,
            reason=reason,
            confirm_note=confirm_note,
            on_stage=on_stage,
            answers=answers,
            # the delivery and its months in the values' own transaction: whole, or not at all
            also=lambda c: _record(c, delivery, user, changes.height),
        )
        return result
    with transaction(con):  # no value changes: the answers (which may still differ) and the delivery
        if answers is not None:
            answers(con)
        _record(con, delivery, user, changes.height)
    return result


def _answers_writer(cid: str, answers: pl.DataFrame) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """Writing a survey export's answers: they replace the stored answers of the cells they
    answer (the unit's sheets for that period), and leave every other cell's."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        register(con, "_answers", answers)
        try:
            con.execute(
                """DELETE FROM survey_answers s WHERE campaign_id = $cid AND EXISTS (
                     SELECT 1 FROM _answers a WHERE a.unit_id = s.unit_id AND a.period = s.period
                       AND a.indicator_id = s.indicator_id)""",
                {"cid": cid},
            )
            con.execute(
                """INSERT INTO survey_answers SELECT $cid, unit_id, period, indicator_id,
                     respondent_id, item, answer, status, source_row FROM _answers""",
                {"cid": cid},
            )
        finally:
            con.unregister("_answers")

    return write


def _record(con: duckdb.DuckDBPyConnection, delivery: Delivery, user: User, written: int) -> None:
    cid, src, stamp = delivery.campaign_id, delivery.source, now()
    months = delivery.months
    with transaction(con):
        number = con.execute("SELECT nextval('delivery_seq')").fetchall()[0][0]
        register(con, "_months", months)
        try:
            con.execute(
                """DELETE FROM source_months s WHERE campaign_id = $cid AND source_id = $sid
                   AND EXISTS (SELECT 1 FROM _months m WHERE m.unit_id = s.unit_id
                               AND m.indicator_id = s.indicator_id AND m.month = s.month)""",
                {"cid": cid, "sid": src.id},
            )
            con.execute(
                """INSERT INTO source_months SELECT $cid, $sid, unit_id, indicator_id, month,
                          CAST(value AS DECIMAL(38,9)), $no, _row FROM _months""",
                {"cid": cid, "sid": src.id, "no": number},
            )
        finally:
            con.unregister("_months")
        for period in delivery.periods:
            in_period = sorted(
                set(
                    delivery.rows.filter((pl.col("period") == period) & pl.col("month").is_not_null())[
                        "month"
                    ].to_list()
                )
            )
            con.execute(
                "INSERT INTO source_deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    number,
                    cid,
                    src.id,
                    period,
                    delivery.file,
                    delivery.sha256,
                    delivery.rows["_row"].n_unique(),
                    written,
                    in_period,
                    user.username,
                    stamp,
                ],
            )
        detail = f"{src.id} {delivery.file}: {', '.join(delivery.periods)}; {written}"
        record_event(con, "source_delivery", user.username, detail, cid)


def summary(delivery: Delivery, lang: str = "zh") -> str:
    """What a delivery does, in a sentence, then what the reader must know: the units passed
    over as outside the campaign (by name), the possible repeated sheets, how a dash and a
    month with no figure are taken."""
    said = [
        t(
            "src.summary",
            lang,
            rows=delivery.rows["_row"].n_unique(),
            add=delivery.count("add"),
            change=delivery.count("change"),
            same=delivery.count("same"),
            pending=delivery.count("pending"),
            skipped=delivery.rows.filter(pl.col("outcome") == "skipped")["_row"].n_unique(),
            rejected=delivery.rejected,
        )
    ]
    outside = delivery.rows.filter(
        (pl.col("outcome") == "skipped") & (pl.col("detail") == t("src.skipped_unit", lang))
    )["unit_text"]
    if outside.len():
        said.append(
            t(
                "src.skipped_units",
                lang,
                n=outside.len(),
                names="、".join(outside.unique(maintain_order=True)),
            )
        )
    if delivery.repeats:
        said.append(t("src.repeats", lang, n=len(delivery.repeats)))
    src = delivery.source
    if src.monthly or src.dash == "zero":
        said.append(
            t(f"src.dash_{src.dash}", lang)
            + (t(f"src.incomplete_{src.incomplete}", lang) if src.monthly else "")
        )
    return "\n".join(said)


def shown(delivery: Delivery, lang: str = "zh") -> pl.DataFrame:
    """The row table as a reader sees it: the row number, the indicator's name, the outcome in
    words."""
    rows = delivery.rows.rename({"_row": "row"}).with_columns(
        pl.col("indicator_id").replace(delivery.indicator_names),
        pl.col("matched").replace_strict(
            {h: t(f"src.matched.{h}", lang) for h in ("id", "name", "alias", "office")}, default=None
        ),
        pl.col("outcome").replace_strict({o: t(f"src.outcome.{o}", lang) for o in OUTCOMES}),
        pl.col("status").replace(
            {"counted": t("src.sheet_counted", lang), "excluded": t("src.sheet_excluded", lang)}
        ),
    )
    if delivery.source.shape != "survey":  # answer sheets are a survey export's only
        rows = rows.drop("respondent", "status")
    return rows
