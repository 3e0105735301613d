"""The ``starscore`` command line.

Every command exits 0 on success and non-zero on any error; a user's mistake is printed as
a list of located problems (``CampaignError``), never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from scoring import __version__
from scoring.cli.admin import register_admin
from scoring.cli.evidence import register_evidence
from scoring.cli.office import register_office
from scoring.cli.selfscore import register_selfscore
from scoring.cli.sources import deliver_demo_sources, register_sources
from scoring.cli.support import (
    EXIT_PROBLEMS,
    HELP_LANG,
    Stages,
    choose_help_language,
    dashboard_command,
    err,
    h,
    indicator_names,
    open_db,
    operator,
    os_user,
    out,
    scored,
)
from scoring.cli.surveys import register_surveys, survey_lines
from scoring.core.errors import CampaignError, named
from scoring.core.i18n import t
from scoring.core.money import plain
from scoring.engine.run import STAGES, year_complete
from scoring.store.campaign import Campaign
from scoring.store.db import DEFAULT_DB


def cmd_validate(args: argparse.Namespace) -> int:
    from scoring.ingest.validate import read_campaign

    data = read_campaign(Path(args.folder))
    _warn(args.lang, data)
    out(
        t(
            "cli.valid",
            args.lang,
            folder=args.folder,
            units=data.units.height,
            values=data.values.height,
            missing=data.missing_count,
        )
    )
    return 0


def _import(args: argparse.Namespace, stages: Stages):
    from scoring.app.imports import ImportPlan, import_campaign, plan_text
    from scoring.ingest.validate import read_campaign

    stages.start(0, "stage.read")
    data = read_campaign(Path(args.folder))
    con = open_db(args)
    stages.watch(con)
    stages.start(1, "stage.store")
    plan = ImportPlan()
    import_campaign(
        con,
        data,
        source=str(Path(args.folder).resolve()),
        who=args.user,
        reason=getattr(args, "reason", None),
        confirm=getattr(args, "yes", False),
        plan=plan,
    )
    if not plan.new_campaign and (plan.added or plan.changed or plan.deleted or plan.master):
        err(plan_text(plan, args.lang))
    return con, data


def _warn(lang: str, data) -> None:
    for problem in data.warnings:
        err(t("cli.warning", lang, message=problem.render(lang)))


def _imported(lang: str, data) -> None:
    _warn(lang, data)
    out(t("cli.imported", lang, id=data.rules.id, units=data.units.height, values=data.values.height))
    for line in survey_lines(data, lang):
        out(line)


def cmd_import(args: argparse.Namespace) -> int:
    if args.dry_run:
        from scoring.app.imports import plan_text, preview_import
        from scoring.ingest.validate import read_campaign

        data = read_campaign(Path(args.folder))
        con = open_db(args)
        plan = preview_import(con, data, who=args.user, reason=args.reason)
        con.close()
        out(plan_text(plan, args.lang) + t("cli.import_dry_run", args.lang))
        return 0
    stages = Stages(args.lang, 2)
    try:
        con, data = _import(args, stages=stages)
    finally:
        stages.close()
    _imported(args.lang, data)
    con.close()
    return 0


def _score(con, cid: str, lang: str, stages: Stages, offset: int = 0):
    from scoring.engine.run import score

    return score(con, cid, on_stage=stages.within(offset))


MISSING_SHOWN = 20  # missing values listed per period on the terminal


def _scored_message(run, lang: str) -> bool:
    """Say what a run scored; for a year in progress, each period's state and what is missing
    (on stderr). Returns whether the year is complete."""
    s = run.summary
    if not year_complete(s):
        scored = [p["period"] for p in s["periods"] if p["status"] == "scored"]
        out(
            t(
                "cli.scored_periods",
                lang,
                id=run.campaign_id,
                run=run.run_id,
                periods="、".join(scored) or t("none", lang),
            )
        )
        err(t("cli.year_incomplete", lang))
        for p in s["periods"]:
            err(t(f"cli.period_state.{p['status']}", lang, period=p["period"], n=p["missing"]))
            if p["status"] != "incomplete":
                continue
            listed = [m for m in s["missing"] if m["period"] == p["period"]][:MISSING_SHOWN]
            for m in listed:
                err(t("cli.missing_cell", lang, unit=m["unit_id"], indicator=m["indicator_id"]))
            if p["missing"] > len(listed):
                err(t("cli.missing_more", lang, n=p["missing"] - len(listed)))
        return False
    if s["missing_values"]:
        err(t("cli.missing_warning", lang, n=s["missing_values"]))
    budget = t("cli.no_budget", lang) if s["budget"] is None else plain(s["budget"])
    left = "-" if s["unallocated"] is None else plain(s["unallocated"])
    out(
        t(
            "cli.scored",
            lang,
            id=run.campaign_id,
            run=run.run_id,
            total=plain(s["total_final"]),
            budget=budget,
            factor=s["scale_factor_fraction"],
            left=left,
        )
    )
    return True


def cmd_score(args: argparse.Namespace) -> int:
    con = open_db(args)
    stages = Stages(args.lang, len(STAGES))
    stages.watch(con)
    try:
        run = _score(con, args.campaign, args.lang, stages)
    finally:
        stages.close()
    _scored_message(run, args.lang)
    con.close()
    return 0


EXPORT_FILES = 4  # the files COPY writes (summary.json follows at once)


def _export(camp, run, folder: Path, points_format: str, stages: Stages, offset: int = 0) -> list[Path]:
    from scoring.outputs.results import export

    return export(
        camp,
        run,
        folder,
        points_format=points_format,
        on_file=lambda done, total, name: stages.start(offset + done, "stage.export_file", file=name),
        on_cursor=stages.watch,
    )


def cmd_export(args: argparse.Namespace) -> int:
    from scoring.engine.recheck import refuse_unverified

    camp, run = scored(args)
    con = camp.con
    if year_complete(run.summary):  # finance's files come only from a run that recomputes the same
        try:
            refuse_unverified(con, args.campaign, run.run_id)
        except CampaignError:
            con.close()
            raise
    stages = Stages(args.lang, EXPORT_FILES)
    try:
        files = _export(camp, run, Path(args.out), args.points_format, stages)
    finally:
        stages.close()
    out(t("cli.exported", args.lang, out=args.out, files=", ".join(p.name for p in files)))
    con.close()
    if not year_complete(run.summary):  # what exists is written; the year's files are not
        _scored_message(run, args.lang)
        return 1
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    stages = Stages(args.lang, 2 + len(STAGES) + EXPORT_FILES)
    try:
        con, data = _import(args, stages=stages)
        run = _score(con, data.rules.id, args.lang, stages, offset=2)
        camp = Campaign(con, data.rules.id, data.rules)  # the rules just read, not parsed again
        files = _export(camp, run, Path(args.out), args.points_format, stages, offset=2 + len(STAGES))
    finally:
        stages.close()
    _imported(args.lang, data)
    complete = _scored_message(run, args.lang)
    out(t("cli.exported", args.lang, out=args.out, files=", ".join(p.name for p in files)))
    con.close()
    return 0 if complete else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from scoring.samples.demo import write_demo

    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="starscore-demo-"))
    write_demo(folder)
    args.folder = str(folder)
    stages = Stages(args.lang, 2 + len(STAGES))
    try:
        con, data = _import(args, stages=stages)
        run = _score(con, data.rules.id, args.lang, stages, offset=2)
    finally:
        stages.close()
    _imported(args.lang, data)
    _scored_message(run, args.lang)
    deliver_demo_sources(con, data.rules.id, folder, operator(args), args.lang)
    con.close()
    out(t("cli.demo_built", args.lang, folder=folder, db=args.db))
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from scoring.store.db import connect
    from scoring.store.lifecycle import never_used

    fresh = not Path(args.db).exists()
    if not fresh:  # the demo goes only into a database never used (no campaign, user or log)
        con = connect(args.db, wait_seconds=args.wait)
        fresh = never_used(con)
        con.close()
    if fresh:
        cmd_demo(argparse.Namespace(**{**vars(args), "folder": None}))
    env = {
        **os.environ,
        "STARSCORE_DB": str(Path(args.db).resolve()),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    cmd = dashboard_command(args.port, args.address)
    return subprocess.call(cmd, env=env)


def _output_options(p: argparse.ArgumentParser) -> None:
    """The options of the commands that write the result files."""
    p.add_argument("--out", required=True, help=h("help.folder_for_the_result_files"))
    p.add_argument(
        "--points-format",
        choices=["csv", "parquet"],
        default="csv",
        help=h("help.points_csv_default_or_points"),
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=["zh", "en"], default=HELP_LANG[0], help=h("help.language_of_messages_zh_default")
    )
    common.add_argument("--db", default=DEFAULT_DB, help=h("help.db", db=DEFAULT_DB))
    common.add_argument(
        "--wait",
        type=float,
        default=10.0,
        help=h("help.seconds_to_wait_while_another"),
    )
    common.add_argument("--user", default=os_user(), help=h("help.name_recorded_in_the_audit"))
    parser = argparse.ArgumentParser(
        prog="starscore",
        description=h("help.score_campaigns_points_ranks_flags"),
    )
    parser.add_argument(
        "--version", action="version", version=f"starscore {__version__}", help=h("help.version")
    )
    # also before the command (starscore --lang en run …): both take the language chosen from the
    # command line before parsing, so neither default overrides the other
    parser.add_argument(
        "--lang", choices=["zh", "en"], default=HELP_LANG[0], help=h("help.language_of_messages_zh_default")
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=text, description=text)
        p.set_defaults(func=func)
        return p

    p = add("run", cmd_run, h("help.import_a_campaign_folder_score"))
    p.add_argument("folder", help=h("help.campaign_folder_campaign_yaml_units"))
    _output_options(p)
    p.add_argument("--reason", help=h("help.why_values_change_needed_once"))
    p.add_argument("--yes", action="store_true", help=h("help.confirm_changing_values_entered_since"))
    p = add("validate", cmd_validate, h("help.check_a_campaign_folder_and"))
    p.add_argument("folder")
    p = add("import", cmd_import, h("help.check_a_campaign_folder_and_2"))
    p.add_argument("folder")
    p.add_argument("--reason", help=h("help.why_values_change_needed_once"))
    p.add_argument("--yes", action="store_true", help=h("help.confirm_changing_values_entered_since"))
    p.add_argument("--dry-run", action="store_true", help=h("help.only_say_what_the_import"))
    p = add("score", cmd_score, h("help.score_a_stored_campaign_and"))
    p.add_argument("--campaign", required=True, help=h("help.campaign_id"))
    p = add("export", cmd_export, h("help.write_the_latest_run_s"))
    p.add_argument("--campaign", required=True, help=h("help.campaign_id"))
    _output_options(p)
    register_admin(add)
    register_office(add)
    register_surveys(add)
    register_sources(add)
    register_evidence(add)
    register_selfscore(add)
    p = add("demo", cmd_demo, h("help.build_the_demo_campaign_109"))
    p.add_argument("--folder", help=h("help.also_keep_the_demo_campaign"))
    p = add(
        "dashboard",
        cmd_dashboard,
        h("help.start_the_dashboard_building_the"),
    )
    p.add_argument("--port", type=int, default=8501)
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help=h("help.address_to_listen_on_default"),
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    choose_help_language(given)  # --help, argparse's words and the default --lang follow it
    parser = build_parser()
    args = parser.parse_args(given)
    try:
        return int(args.func(args))
    except CampaignError as exc:
        exc = named(exc, indicator_names(args))  # indicators by name, as on the dashboard
        err(t("cli.problems_found", args.lang, n=len(exc.problems)))
        err(exc.render(args.lang))
        if any(p.code == "four_eyes" for p in exc.problems):
            err(t("cli.four_eyes_hint", args.lang))
        return EXIT_PROBLEMS
    except OSError as exc:  # a folder that cannot be read or written, a full disk…
        err(t("cli.os_error", args.lang, detail=str(exc)))
        return EXIT_PROBLEMS
    except (duckdb.IOException, duckdb.OutOfMemoryException) as exc:  # the database's disk is full…
        err(t("cli.db_io_error", args.lang, detail=str(exc).splitlines()[0][:300]))
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
