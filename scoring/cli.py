"""The ``starscore`` command line.

Every command exits 0 on success and non-zero on any error; a user's mistake is printed as
a list of located problems (``CampaignError``), never as a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from scoring import __version__
from scoring.access import User
from scoring.errors import CampaignError, Problem
from scoring.i18n import t
from scoring.money import plain
from scoring.store import DEFAULT_DB

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


def _operator(args: argparse.Namespace) -> User:
    """The command line acts as the machine's operator, with the admin role."""
    return User(args.user, "admin")


def _progress(text: str) -> None:
    """A step of long work, on standard error (standard output stays the result)."""
    print(f"… {text}", file=sys.stderr, flush=True)


def _out(text: str) -> None:
    print(text, flush=True)


def _open(args: argparse.Namespace):
    from scoring.store import connect

    def waiting(detail: str) -> None:
        _progress(t("cli.waiting", args.lang, seconds=args.wait, detail=detail))

    return connect(args.db, wait_seconds=args.wait, on_wait=waiting)


def cmd_validate(args: argparse.Namespace) -> int:
    from scoring.validate import read_campaign

    data = read_campaign(Path(args.folder), require_complete=True)
    _out(
        t(
            "cli.valid",
            args.lang,
            folder=args.folder,
            units=data.units.height,
            values=data.values.height,
            missing=data.missing.height,
        )
    )
    return 0


def _import(args: argparse.Namespace, require_complete: bool):
    from scoring.store import store_campaign
    from scoring.validate import read_campaign

    _progress(t("cli.step_read", args.lang, folder=args.folder))
    data = read_campaign(Path(args.folder), require_complete=require_complete)
    con = _open(args)
    _progress(t("cli.step_write", args.lang, n=data.values.height))
    store_campaign(
        con,
        data,
        source=str(Path(args.folder).resolve()),
        who=args.user,
        reason=getattr(args, "reason", None),
    )
    _out(t("cli.imported", args.lang, id=data.rules.id, units=data.units.height, values=data.values.height))
    return con, data.rules.id


def cmd_import(args: argparse.Namespace) -> int:
    con, _ = _import(args, require_complete=False)
    con.close()
    return 0


def _score(con, cid: str, lang: str):
    from scoring.engine import score

    _progress(t("cli.step_score", lang, id=cid))
    run = score(con, cid)
    s = run.summary
    if s["missing_values"]:
        print(t("cli.missing_warning", lang, n=s["missing_values"]), file=sys.stderr)
    budget = t("cli.no_budget", lang) if s["budget"] is None else plain(s["budget"])
    left = "-" if s["unallocated"] is None else plain(s["unallocated"])
    _out(
        t(
            "cli.scored",
            lang,
            id=cid,
            run=run.run_id,
            total=plain(s["total_final"]),
            budget=budget,
            factor=s["scale_factor_fraction"],
            left=left,
        )
    )
    return run


def cmd_score(args: argparse.Namespace) -> int:
    con = _open(args)
    _score(con, args.campaign, args.lang)
    con.close()
    return 0


def _export(con, run, out: Path, lang: str, points_format: str = "csv") -> None:
    from scoring.results import export

    files = export(con, run, out, points_format=points_format)
    _out(t("cli.exported", lang, out=out, files=", ".join(p.name for p in files)))


def cmd_export(args: argparse.Namespace) -> int:
    con, run = _scored(args)
    _export(con, run, Path(args.out), args.lang, args.points_format)
    con.close()
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    con, cid = _import(args, require_complete=True)
    run = _score(con, cid, args.lang)
    _export(con, run, Path(args.out), args.lang, args.points_format)
    con.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from scoring.demo import write_demo

    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="starscore-demo-"))
    write_demo(folder)
    args.folder = str(folder)
    con, cid = _import(args, require_complete=True)
    _score(con, cid, args.lang)
    con.close()
    _out(t("cli.demo_built", args.lang, folder=folder, db=args.db))
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from scoring.store import campaign_ids, connect

    if not Path(args.db).exists():
        cmd_demo(argparse.Namespace(**{**vars(args), "folder": None}))
    else:
        con = connect(args.db, wait_seconds=args.wait)
        if not campaign_ids(con):
            con.close()
            cmd_demo(argparse.Namespace(**{**vars(args), "folder": None}))
        else:
            con.close()
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    env = {
        **os.environ,
        "STARSCORE_DB": str(Path(args.db).resolve()),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless=true",
        f"--server.port={args.port}",
    ]
    return subprocess.call(cmd, env=env)


def cmd_audit(args: argparse.Namespace) -> int:
    from scoring.audit import history
    from scoring.store import load_rules_from_db

    con = _open(args)
    load_rules_from_db(con, args.campaign)
    frame = history(con, args.campaign, args.unit, args.period, args.indicator)
    con.close()
    _print_frame(frame)
    return 0


def cmd_period(args: argparse.Namespace) -> int:
    from scoring import workflow

    con = _open(args)
    if args.action:
        if not args.period:
            raise CampaignError([Problem("workflow", None, "period", "period_needed", {})])
        new = workflow.move(con, args.campaign, args.period, args.action, _operator(args), args.reason)
        _out(t("cli.period_moved", args.lang, period=args.period, status=new))
    _print_frame(workflow.statuses(con, args.campaign))
    con.close()
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from scoring.store import load_rules_from_db
    from scoring.verify import verify

    con = _open(args)
    load_rules_from_db(con, args.campaign)
    checks = verify(con, args.campaign)
    con.close()
    if not checks:
        _out(t("cli.verify_none", args.lang, id=args.campaign))
        return 0
    for c in checks:
        key = "cli.verify_ok" if c.ok else "cli.verify_bad"
        _out(t(key, args.lang, scope=c.scope, run=c.run_id, n=c.differences))
    return 0 if all(c.ok for c in checks) else EXIT_PROBLEMS


def cmd_user(args: argparse.Namespace) -> int:
    from scoring.access import add_user, list_users, set_disabled

    con = _open(args)
    if args.user_command == "add":
        password = os.environ.get("STARSCORE_PASSWORD") or (
            sys.stdin.readline().rstrip("\n")
            if args.password_stdin
            else getpass.getpass(t("cli.password_prompt", args.lang))
        )
        add_user(con, args.name, password, args.role, _split(args.towns), _split(args.areas))
        _out(t("cli.user_added", args.lang, user=args.name, role=args.role))
    elif args.user_command == "disable":
        set_disabled(con, args.name)
        _out(t("cli.user_disabled", args.lang, user=args.name))
    else:
        _print_frame(list_users(con))
    con.close()
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    import polars as pl

    from scoring.entry import save_values
    from scoring.outliers import OutlierWarning

    con = _open(args)
    change = pl.DataFrame(
        {
            "unit_id": [args.unit],
            "period": [args.period],
            "indicator_id": [args.indicator],
            "value": [args.value],
            "_row": [1],
        }
    )
    try:
        result = save_values(
            con,
            args.campaign,
            change,
            _operator(args),
            file="set",
            reason=args.reason,
            confirm_note=args.confirm,
        )
    except OutlierWarning as warning:
        _print_frame(warning.flagged)
        print(t("cli.outlier", args.lang), file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        con.close()
    _out(
        t(
            "cli.set_done",
            args.lang,
            n=result.written + result.cleared,
            run=result.run.run_id if result.run else "-",
        )
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from scoring.backup import backup

    backup(args.db, Path(args.to), wait_seconds=args.wait)
    _out(t("cli.backed_up", args.lang, db=args.db, to=args.to))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from scoring.backup import restore

    restore(Path(args.backup), args.db, wait_seconds=args.wait)
    _out(t("cli.restored", args.lang, db=args.db, backup=args.backup))
    return 0


def _scored(args: argparse.Namespace):
    """The database and the campaign's latest scoring run; a clear error when there is none."""
    from scoring.engine import latest_run
    from scoring.store import load_rules_from_db

    con = _open(args)
    load_rules_from_db(con, args.campaign)
    run = latest_run(con, args.campaign)
    if run is None:
        con.close()
        raise CampaignError([Problem(str(args.db), None, None, "no_run", {"id": args.campaign})])
    return con, run


def cmd_explain(args: argparse.Namespace) -> int:
    from scoring.explain import explain_payouts, what_it_takes

    con, run = _scored(args)
    units = {
        r[0]
        for r in con.execute("SELECT unit_id FROM units WHERE campaign_id = ?", [args.campaign]).fetchall()
    }
    if args.unit in units:
        for sentence in what_it_takes(con, run, args.unit, args.lang)["sentences"]:
            _out(f"- {sentence}")
        from scoring.service import trends

        years = trends(con, args.unit)
        if years.height > 1:
            _print_frame(years)
    shown = explain_payouts(con, run, args.lang, args.unit)
    if args.unit not in units and not shown:
        con.close()
        raise CampaignError([Problem("explain", None, None, "unknown_payee", {"id": args.unit})])
    for e in shown:
        _out(f"{e.payee_type} {e.payee_id} {e.payee_name}")
        for k, line in enumerate(e.lines, start=1):
            _out(f"  {k}. {line}")
    con.close()
    return 0


def cmd_robustness(args: argparse.Namespace) -> int:
    from scoring.robustness import Settings, robustness

    con, run = _scored(args)
    _progress(t("cli.step_robustness", args.lang, n=args.draws))
    frame = robustness(con, run, Settings(args.draws, args.spread, args.seed, args.linear_as_tiers))
    con.close()
    if args.out:
        frame.write_csv(args.out)
    _print_frame(frame)
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    from scoring.notice import notice_html, notice_pdf
    from scoring.store import load_rules_from_db

    con = _open(args)
    load_rules_from_db(con, args.campaign)
    page = notice_html(con, args.campaign, args.lang)
    con.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = [out / "notice.html"]
    files[0].write_text(page, encoding="utf-8")
    if args.pdf:
        files.append(notice_pdf(page, out / "notice.pdf"))
    _out(t("cli.notice", args.lang, files=", ".join(str(f) for f in files)))
    return 0


def _split(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def _print_frame(frame) -> None:
    import polars as pl

    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200):
        _out(str(frame))


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="language of messages: zh (default) or en"
    )
    common.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB database file (default: ./{DEFAULT_DB})")
    common.add_argument(
        "--wait",
        type=float,
        default=10.0,
        help="seconds to wait while another writer holds the database (default 10)",
    )
    common.add_argument(
        "--user", default=_os_user(), help="name recorded in the audit trail (default: your login name)"
    )
    parser = argparse.ArgumentParser(
        prog="starscore",
        description="Score 争星夺旗 campaigns: points, ranks, flags, stars and capped awards.",
    )
    parser.add_argument("--version", action="version", version=f"starscore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=text, description=text)
        p.set_defaults(func=func)
        return p

    p = add("run", cmd_run, "Import a campaign folder, score it and export the result files.")
    p.add_argument("folder", help="campaign folder (campaign.yaml, units.csv, values.*)")
    p.add_argument("--out", required=True, help="folder for the result files")
    p.add_argument(
        "--points-format",
        choices=["csv", "parquet"],
        default="csv",
        help="points.csv (default) or points.parquet, for large campaigns",
    )
    p.add_argument("--reason", help="why values change (needed once a period is submitted)")
    p = add("validate", cmd_validate, "Check a campaign folder and print every problem; write nothing.")
    p.add_argument("folder")
    p = add(
        "import", cmd_import, "Check a campaign folder and store it, replacing a campaign with the same id."
    )
    p.add_argument("folder")
    p.add_argument("--reason", help="why values change (needed once a period is submitted)")
    p = add("score", cmd_score, "Score a stored campaign and keep the run's results.")
    p.add_argument("--campaign", required=True, help="campaign id")
    p = add("export", cmd_export, "Write the latest run's result files for a stored campaign.")
    p.add_argument("--campaign", required=True, help="campaign id")
    p.add_argument("--out", required=True, help="folder for the result files")
    p.add_argument(
        "--points-format",
        choices=["csv", "parquet"],
        default="csv",
        help="points.csv (default) or points.parquet, for large campaigns",
    )
    p = add("audit", cmd_audit, "Show the audit trail of a campaign's values, newest first.")
    p.add_argument("--campaign", required=True)
    p.add_argument("--unit")
    p.add_argument("--period")
    p.add_argument("--indicator")
    p = add(
        "period",
        cmd_period,
        "Show the periods' workflow status, or move one: submit, approve, publish, finalize, reopen.",
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("--period")
    p.add_argument("action", nargs="?", choices=["submit", "approve", "publish", "finalize", "reopen"])
    p.add_argument("--reason", help="why (required to reopen)")
    p = add("verify", cmd_verify, "Check that stored published results still match a recomputation.")
    p.add_argument("--campaign", required=True)
    p = add("set", cmd_set, "Enter or change one value (empty --value clears it).")
    for name in ("--campaign", "--unit", "--period", "--indicator", "--value"):
        p.add_argument(name, required=True)
    p.add_argument("--reason", help="why (needed once the period is submitted)")
    p.add_argument("--confirm", help="confirming comment for a value flagged as an outlier")
    p = add("user", cmd_user, "Manage dashboard users: add, list, disable.")
    p.add_argument("user_command", choices=["add", "list", "disable"])
    p.add_argument("name", nargs="?", default="")
    p.add_argument("--role", choices=["admin", "evaluator", "leader", "finance"], default="leader")
    p.add_argument("--towns", help="evaluator: comma-separated towns/streets (default all)")
    p.add_argument("--areas", help="evaluator: comma-separated indicator areas (default all)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (or set STARSCORE_PASSWORD)",
    )
    p = add(
        "explain", cmd_explain, "Explain a unit (what it takes to climb) and how a payee's award was reached."
    )
    p.add_argument("unit", help="a unit id, or a secretary id for their award")
    p.add_argument("--campaign", required=True)
    p = add(
        "robustness",
        cmd_robustness,
        "How safe each unit's rank, stars, flags and award are when the weights move.",
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("--draws", type=int, default=1000, help="number of draws (default 1000)")
    p.add_argument(
        "--spread", type=float, default=0.10, help="weights vary uniformly within ±spread (default 0.10)"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--linear-as-tiers",
        type=int,
        metavar="K",
        help="in half of the draws, score linear indicators in K equal tiers",
    )
    p.add_argument("--out", help="also write the table to this CSV file")
    p = add("notice", cmd_notice, "Write the public notice (公示) of the published results as HTML, and PDF.")
    p.add_argument("--campaign", required=True)
    p.add_argument("--out", required=True, help="folder for notice.html (and notice.pdf)")
    p.add_argument("--pdf", action="store_true", help="also print notice.pdf (needs Chromium)")
    p = add("backup", cmd_backup, "Copy the whole database to a backup file, consistently.")
    p.add_argument("--to", required=True, help="backup file to write")
    p = add("restore", cmd_restore, "Replace the database with a backup file.")
    p.add_argument("backup", help="backup file written by starscore backup")
    p = add("demo", cmd_demo, "Build the demo campaign (109 units) into the database.")
    p.add_argument("--folder", help="also keep the demo campaign folder here")
    p = add(
        "dashboard",
        cmd_dashboard,
        "Start the dashboard (building the demo campaign first if the database is empty).",
    )
    p.add_argument("--port", type=int, default=8501)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CampaignError as exc:
        print(t("cli.problems_found", args.lang, n=len(exc.problems)), file=sys.stderr)
        print(exc.render(args.lang), file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:  # a folder that cannot be read or written, a full disk…
        print(t("cli.os_error", args.lang, detail=str(exc)), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
