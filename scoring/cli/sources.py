"""``starscore source``: deliver a department's own file (一套表) as its source declares, a dry
run first (what it adds, changes and rejects, row by row) and written with ``--yes``; the
campaign's sources; and per period what each department has delivered."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import duckdb

from scoring.accounts.access import User
from scoring.cli.support import EXIT_PROBLEMS, err, h, open_db, operator, out, print_frame
from scoring.core.i18n import t
from scoring.store.campaign import open_campaign

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def cmd_source(args: argparse.Namespace) -> int:
    if args.source_command == "import":
        return _import(args)
    if args.source_command == "status":
        return _status(args)
    return _list(args)


def _import(args: argparse.Namespace) -> int:
    from scoring.app.deliveries import confirm, preview, shown, summary
    from scoring.workflow.outliers import OutlierWarning

    if not args.source or not args.file:
        err(t("cli.source_args", args.lang))
        return EXIT_PROBLEMS
    path = Path(args.file)
    con = open_db(args)
    try:
        d = preview(
            open_campaign(con, args.campaign),
            args.source,
            path.name,
            path.read_bytes(),
            operator(args),
            args.period,
            args.lang,
            args.any_year,
        )
        print_frame(shown(d, args.lang), args.lang)
        out(summary(d, args.lang))
        if d.problems:
            err(t("src.refused", args.lang, n=d.rejected))
            err("\n".join(p.render(args.lang) for p in d.problems))
            return EXIT_PROBLEMS
        if not args.yes:
            out(t("src.dry_run", args.lang))
            return 0
        try:
            result = confirm(con, d, operator(args), reason=args.reason, confirm_note=args.confirm)
        except OutlierWarning as warning:
            print_frame(warning.flagged, args.lang)
            err(t("cli.outlier", args.lang))
            return EXIT_PROBLEMS
    finally:
        con.close()
    run = result.run.run_id if result is not None and result.run else "-"
    changed = result.written + result.cleared if result is not None else 0
    periods = "、".join(d.periods) or "-"
    out(t("src.written", args.lang, source=d.source.name, file=d.file, periods=periods, n=changed, run=run))
    return 0


def deliver_demo_sources(
    con: duckdb.DuckDBPyConnection, cid: str, folder: Path, user: User, lang: str
) -> None:
    """The demo's departments deliver their 2023Q1 files (drawn from the demo's values, so no
    value changes): the departments' page then starts with a quarter delivered."""
    from scoring.app.deliveries import confirm, preview
    from scoring.samples.demo_sources import DELIVERED

    for source_id, file, period in DELIVERED:
        path = folder / "sources" / file
        d = preview(open_campaign(con, cid), source_id, file, path.read_bytes(), user, period, lang)
        confirm(con, d, user)
        out(t("src.demo_delivered", lang, source=d.source.name, department=d.source.department, file=file))


def _status(args: argparse.Namespace) -> int:
    import polars as pl

    from scoring.app.delivery_status import status_view

    con = open_db(args)
    try:
        table = status_view(open_campaign(con, args.campaign), args.lang)
    finally:
        con.close()
    if args.period:
        table = table.filter(pl.col("period") == args.period)
    table = table.drop("source_id")
    print_frame(table, args.lang)
    return 0


def _list(args: argparse.Namespace) -> int:
    import polars as pl

    from scoring.store.campaign import open_campaign

    con = open_db(args)
    try:
        rules = open_campaign(con, args.campaign).rules
    finally:
        con.close()
    rows = [
        {
            "source_id": s.id,
            "source": s.name,
            "department": s.department,
            "indicator": "、".join(rules.indicator(c.indicator).name for c in s.columns),
        }
        for s in rules.sources
    ]
    print_frame(
        pl.DataFrame(
            rows, schema=dict.fromkeys(("source_id", "source", "department", "indicator"), pl.String)
        ),
        args.lang,
    )
    return 0


def register_sources(add: Add) -> None:
    p = add(
        "source",
        cmd_source,
        h("help.departments_own_files_list_the"),
    )
    p.add_argument("source_command", choices=["list", "import", "status"])
    p.add_argument("--campaign", required=True, help=h("help.campaign_id"))
    p.add_argument("--source", help=h("help.import_the_source_s_id"))
    p.add_argument("--file", help=h("help.import_the_department_s_file"))
    p.add_argument(
        "--period",
        help=h("help.import_the_file_s_period"),
    )
    p.add_argument("--any-year", action="store_true", help=h("help.source_any_year"))
    p.add_argument("--yes", action="store_true", help=h("help.import_write_it_without_only"))
    p.add_argument("--reason", help=h("help.why_values_change_needed_once"))
    p.add_argument("--confirm", help=h("help.confirming_comment_for_values_flagged"))
