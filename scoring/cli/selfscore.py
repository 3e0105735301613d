"""``starscore selfscore``: a unit's self-assessment (自评): a period's self-scores imported from
a sheet (unit_id, indicator_id, value), listed beside the assessed values with the assessor's
reason and the unit's reply, and the unit's one reply to an assessed value."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from scoring.cli.support import acting, h, needed, open_db, out, print_frame, require_options
from scoring.core.errors import CampaignError, Problem
from scoring.core.i18n import t

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def read_sheet(path: Path):  # -> pl.DataFrame
    """A sheet of self-scores as text rows with their sheet row numbers, bounded before it is read."""
    import polars as pl

    from scoring.ingest.bounds import staged

    with staged(path.read_bytes(), path.name, "self_scores", (".xlsx", ".csv")) as staged_path:
        try:
            if staged_path.suffix == ".xlsx":
                frame = pl.read_excel(staged_path, infer_schema_length=0)
            else:
                frame = pl.read_csv(staged_path, infer_schema=False, encoding="utf8-lossy")
        except Exception as exc:  # the readers raise many types for a damaged file
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CampaignError(
                [Problem(path.name, None, None, "file_unreadable", {"detail": detail})]
            ) from None
    missing = [c for c in ("unit_id", "indicator_id", "value") if c not in frame.columns]
    if missing:
        raise CampaignError(
            [
                Problem(path.name, 1, c, "column_missing", {"columns": "unit_id, indicator_id, value"})
                for c in missing
            ]
        )
    return (
        frame.select("unit_id", "indicator_id", "value")
        .with_row_index("_row", offset=2)
        .with_columns(pl.col("_row").cast(pl.Int64))
    )


def cmd_selfscore(args: argparse.Namespace) -> int:
    from scoring.app import selfscore
    from scoring.app.names import unit_towns
    from scoring.store.campaign import open_campaign

    con = open_db(args)
    try:
        if args.selfscore_command == "import":
            if not args.period or not args.file:
                raise needed("--period" if not args.period else "FILE")
            rows = read_sheet(Path(args.file))
            n = selfscore.import_self_scores(
                open_campaign(con, args.campaign), args.period, rows, Path(args.file).name, acting(args, con)
            )
            out(t("cli.self_imported", args.lang, n=n, period=args.period))
        elif args.selfscore_command == "reply":
            require_options(args, "--unit", "--period", "--indicator")
            selfscore.reply(
                con, args.campaign, args.unit, args.period, args.indicator, args.text or "", acting(args, con)
            )
            out(t("cli.self_replied", args.lang))
        else:
            if not args.period:
                raise needed("--period")
            user = acting(args, con)
            rows = selfscore.side_by_side(con, args.campaign, args.period, args.unit)
            towns = unit_towns(con, args.campaign)
            seen = [user.sees_unit(u, towns.get(u)) for u in rows["unit_id"].to_list()]
            print_frame(rows.filter(seen) if rows.height else rows, args.lang)
    finally:
        con.close()
    return 0


def register_selfscore(add: Add) -> None:
    p = add("selfscore", cmd_selfscore, h("help.selfscore"))
    p.add_argument("selfscore_command", choices=["list", "import", "reply"])
    p.add_argument("file", nargs="?", help=h("help.selfscore_file"))
    p.add_argument("--campaign", required=True, help=h("help.campaign_id"))
    p.add_argument("--account", help=h("help.acting_account"))
    for name in ("--period", "--unit", "--indicator", "--text"):
        p.add_argument(name)
