"""Read a run's results as polars frames, and write the files the spec lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from scoring.core.frames import to_polars
from scoring.core.money import dumps
from scoring.engine.points import cell_points_sql, install_macros
from scoring.engine.run import Run, check_current, year_complete
from scoring.store.campaign import Campaign


def _con(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    cur = con.cursor()
    install_macros(cur)
    return cur


def period_results(con: duckdb.DuckDBPyConnection, run: Run) -> pl.DataFrame:
    """period, category, unit_id, unit_name, town, score, rank, flag, vetoed (typed)."""
    return to_polars(
        _con(con).sql(
            """
        SELECT r.period, r.category, r.unit_id, u.name AS unit_name, u.town, r.score, r.rank,
               r.flag, r.vetoed
        FROM period_results r
        JOIN units u ON u.campaign_id = $cid AND u.unit_id = r.unit_id
        JOIN periods p ON p.campaign_id = $cid AND p.period = r.period
        JOIN categories c ON c.campaign_id = $cid AND c.category = r.category
        WHERE r.run_id = $run
        ORDER BY p.period_no, c.category_no, r.rank NULLS LAST, r.unit_id""",
            params={"cid": run.campaign_id, "run": run.run_id},
        )
    )


def annual_results(con: duckdb.DuckDBPyConnection, run: Run) -> pl.DataFrame:
    """category, unit_id, unit_name, town, annual_score, annual_rank, stars, flags, vetoed,
    progress (won the progress award), base_rank and base_score (last year's, where known)."""
    return to_polars(
        _con(con).sql(
            """
        SELECT r.category, r.unit_id, u.name AS unit_name, u.town, r.annual_score,
               r.annual_rank, r.stars, r.flags, r.vetoed, coalesce(r.progress, false) AS progress,
               b.annual_rank AS base_rank, b.annual_score AS base_score
        FROM annual_results r
        JOIN units u ON u.campaign_id = $cid AND u.unit_id = r.unit_id
        LEFT JOIN baselines b ON b.campaign_id = $cid AND b.unit_id = r.unit_id
        JOIN categories c ON c.campaign_id = $cid AND c.category = r.category
        WHERE r.run_id = $run
        ORDER BY c.category_no, r.annual_rank NULLS LAST, r.unit_id""",
            params={"cid": run.campaign_id, "run": run.run_id},
        )
    )


def points_frame(con: duckdb.DuckDBPyConnection, run: Run) -> pl.DataFrame:
    """Every applicable cell's value and points (the run's, which must be current)."""
    cur = _con(con)
    check_current(cur, run)
    return to_polars(cur.sql(cell_points_sql(ordered=True), params={"cid": run.campaign_id}))


def payouts_frame(con: duckdb.DuckDBPyConnection, run: Run) -> pl.DataFrame:
    """payee_type, payee_id, payee_name, gross, capped, final (yuan; final exact)."""
    return to_polars(
        _con(con).sql(
            """
        SELECT payee_type, payee_id, payee_name, yuan(gross_num, denominator) AS gross,
               yuan(capped_num, denominator) AS capped,
               CAST(final_fen AS DECIMAL(38,0)) * 0.01 AS final
        FROM payouts WHERE run_id = $run
        ORDER BY payee_type = 'secretary', rowid""",
            params={"run": run.run_id},
        )
    )


def export(
    camp: Campaign,
    run: Run,
    out: Path,
    points_format: str = "csv",
    on_file: Callable[[int, int, str], None] | None = None,
    on_cursor: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> list[Path]:
    """Write period_results.csv, annual_results.csv, points.csv, payouts.csv, summary.json.

    ``on_file`` is told (files written, files in all, next file's name) as each file starts;
    ``on_cursor`` the cursor that writes them (whose ``query_progress`` a display may follow).

    The files are written by DuckDB itself (COPY), streaming, at any size; ``points_format``
    "parquet" writes points.parquet instead of the (largest) points.csv.
    """
    out.mkdir(parents=True, exist_ok=True)
    cur = _con(camp.con)
    if on_cursor is not None:
        on_cursor(cur)
    check_current(cur, run)
    # the ids and the file's path are bound as parameters, never written into the SQL
    ids = {"cid": run.campaign_id, "run": run.run_id}
    complete = year_complete(run.summary)
    queries = {
        "period_results.csv": """
            SELECT cell_text(r.period) AS period, cell_text(r.category) AS category,
                   cell_text(r.unit_id) AS unit_id, cell_text(u.name) AS unit_name,
                   plain(r.score) AS score,
                   coalesce(CAST(r.rank AS VARCHAR), '') AS rank, r.flag::INTEGER AS flag,
                   r.vetoed::INTEGER AS vetoed
            FROM period_results r
            JOIN units u ON u.campaign_id = $cid AND u.unit_id = r.unit_id
            JOIN periods p ON p.campaign_id = $cid AND p.period = r.period
            JOIN categories c ON c.campaign_id = $cid AND c.category = r.category
            WHERE r.run_id = $run
            ORDER BY p.period_no, c.category_no, r.rank NULLS LAST, r.unit_id""",
        "annual_results.csv": """
            SELECT cell_text(r.category) AS category, cell_text(r.unit_id) AS unit_id,
                   cell_text(u.name) AS unit_name, plain(r.annual_score) AS annual_score,
                   coalesce(CAST(r.annual_rank AS VARCHAR), '') AS annual_rank, r.stars,
                   r.flags, r.vetoed::INTEGER AS vetoed{progress}
            FROM annual_results r
            JOIN units u ON u.campaign_id = $cid AND u.unit_id = r.unit_id
            JOIN categories c ON c.campaign_id = $cid AND c.category = r.category
            WHERE r.run_id = $run
            ORDER BY c.category_no, r.annual_rank NULLS LAST, r.unit_id""".replace(
            # the progress award's column only where the campaign has one (spec outputs)
            "{progress}",
            ", coalesce(r.progress, false)::INTEGER AS progress" if camp.rules.awards.progress else "",
        ),
        # by period, unit and indicator, the missing cells that scored 0 included; CSV text
        # made once per distinct (indicator, value)
        "points.csv": cell_points_sql(
            with_missing=_zero_cells(run),
            as_text=points_format != "parquet",
            ordered=True,
        ),
        "payouts.csv": """
            SELECT payee_type, cell_text(payee_id) AS payee_id, cell_text(payee_name) AS payee_name,
                   plain(yuan(gross_num, denominator)) AS gross,
                   plain(yuan(capped_num, denominator)) AS capped,
                   plain(CAST(final_fen AS DECIMAL(38,0)) * 0.01) AS final
            FROM payouts WHERE run_id = $run
            ORDER BY payee_type = 'secretary', rowid""",
    }
    if not complete:  # the year does not exist yet: no annual results, no payouts
        for name in ("annual_results.csv", "payouts.csv"):
            del queries[name]
            (out / name).unlink(missing_ok=True)
    written = []
    for k, (name, sql) in enumerate(queries.items()):
        path = out / name
        options = "FORMAT csv, HEADER true"
        if name == "points.csv" and points_format == "parquet":
            path, options = out / "points.parquet", "FORMAT parquet"
        if on_file is not None:
            on_file(k, len(queries), path.name)
        path.unlink(missing_ok=True)
        used = {k: v for k, v in ids.items() if f"${k}" in sql}  # each query names what it needs
        cur.execute(f"COPY ({sql}) TO $path ({options})", {**used, "path": str(path)})
        written.append(path)
    path = out / "summary.json"
    from scoring.workflow.year import objections, year_final

    status = "final" if year_final(cur, run.campaign_id) else ("draft" if complete else "incomplete")
    # the corrections objections made, so that finance sees the results are corrected ones
    upheld = objections(cur, run.campaign_id).filter(pl.col("outcome") == "upheld")
    corrections = [
        {
            "objection_no": r["objection_no"],
            "unit_id": r["unit_id"],
            "period": r["period"],
            "correction": r["correction"],
        }
        for r in upheld.sort("objection_no").iter_rows(named=True)
    ]
    summary = {**run.summary, "status": status, "corrections": corrections}
    path.write_text(dumps(summary, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    return written


def _zero_cells(run: Run) -> bool | list[int]:
    """The missing cells points.csv lists (with 0 points): under ``missing: zero`` those of
    the scored periods; under ``missing: error`` a scored period has none."""
    periods = run.summary.get("periods")
    if periods is None:  # a run made before periods were scored one by one
        return bool(run.summary.get("missing_values"))
    if run.summary.get("missing_rule") != "zero":
        return False
    return [k for k, p in enumerate(periods, start=1) if p["status"] == "scored" and p["missing"]]
