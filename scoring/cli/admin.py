"""Command-line commands beyond import/score/export: integrity (audit, workflow, users,
values, verification, backup) and analysis (explain, robustness, public notice)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from scoring.cli.support import (
    EXIT_PROBLEMS,
    err,
    h,
    open_db,
    operator,
    out,
    print_frame,
    progress,
    scored,
    split_list,
)
from scoring.core.errors import CampaignError, Problem
from scoring.core.i18n import t
from scoring.store.campaign import open_campaign

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def cmd_audit(args: argparse.Namespace) -> int:
    from scoring.outputs.audit_view import audit_view
    from scoring.store.trail import history

    con = open_db(args)
    try:
        frame = audit_view(
            open_campaign(con, args.campaign),
            history(con, args.campaign, args.unit, args.period, args.indicator),
            args.lang,
        )
    finally:
        con.close()
    print_frame(frame, args.lang)  # in words, times in the campaign's zone (named)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from scoring.audit.verify import verify, verify_chain
    from scoring.store.campaign import open_campaign

    con = open_db(args)
    open_campaign(con, args.campaign)  # an unknown campaign is said in words
    checks = verify(con, args.campaign)
    chain = verify_chain(con)
    con.close()
    if chain.ok:
        out(t("cli.verify_chain_ok", args.lang, rows=chain.rows, head=chain.head[:16]))
    for code, params in chain.broken:
        out(t(code, args.lang, **params))
    if not any(c.scope != "draft" for c in checks):  # nothing published yet: say so, then the draft
        out(t("cli.verify_none", args.lang, id=args.campaign))
    if not checks:
        return 0 if chain.ok else EXIT_PROBLEMS
    for c in checks:
        key = "cli.verify_ok" if c.ok else "cli.verify_bad"
        out(t(key, args.lang, scope=c.scope_text(args.lang), run=c.run_id or "—", n=c.differences))
    return 0 if all(c.ok for c in checks) and chain.ok else EXIT_PROBLEMS


def _password(args: argparse.Namespace) -> str:
    return os.environ.get("STARSCORE_PASSWORD") or (
        sys.stdin.readline().rstrip("\n")
        if args.password_stdin
        else getpass.getpass(t("cli.password_prompt", args.lang))
    )


def cmd_user(args: argparse.Namespace) -> int:
    from scoring.accounts.access import add_user, set_disabled
    from scoring.accounts.users import import_users, read_users_sheet, set_password, set_role, users_view

    con = open_db(args)
    command = args.user_command
    if command == "add":
        add_user(
            con,
            args.name,
            _password(args),
            args.role,
            split_list(args.towns),
            split_list(args.areas),
            by=args.user,
            departments=split_list(args.departments),
            units=split_list(args.units),
        )
        out(t("cli.user_added", args.lang, user=args.name, role=t(f"role.{args.role}", args.lang)))
    elif command in ("disable", "enable"):
        set_disabled(con, args.name, command == "disable", by=args.user)
        out(t(f"cli.user_{command}d", args.lang, user=args.name))
    elif command == "passwd":
        set_password(con, args.name, _password(args), by=args.user)
        out(t("cli.user_password", args.lang, user=args.name))
    elif command == "role":
        set_role(
            con,
            args.name,
            args.role,
            split_list(args.towns),
            split_list(args.areas),
            by=args.user,
            departments=split_list(args.departments),
            units=split_list(args.units),
        )
        out(t("cli.user_changed", args.lang, user=args.name, role=t(f"role.{args.role}", args.lang)))
    elif command == "import":
        path = Path(args.name)
        sheet = read_users_sheet(path.read_bytes(), path.name)
        n = import_users(con, sheet, path.name, by=args.user)
        out(t("cli.users_imported", args.lang, n=n))
    if command == "list" or command == "import":
        print_frame(users_view(con, args.lang), args.lang)
    con.close()
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    import polars as pl

    from scoring.app.entry import save_values
    from scoring.store.campaign import open_campaign
    from scoring.workflow.outliers import OutlierWarning

    con = open_db(args)
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
            open_campaign(con, args.campaign),
            change,
            operator(args),
            file="set",
            reason=args.reason,
            confirm_note=args.confirm,
        )
    except OutlierWarning as warning:
        print_frame(warning.flagged, args.lang)
        err(t("cli.outlier", args.lang))
        return EXIT_PROBLEMS
    finally:
        con.close()
    out(
        t(
            "cli.set_done",
            args.lang,
            n=result.written + result.cleared,
            changed=result.changed,
            run=result.run.run_id if result.run else "-",
        )
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from scoring.store.backup import backup

    backup(args.db, Path(args.to), wait_seconds=args.wait, who=args.user)
    out(t("cli.backed_up", args.lang, db=args.db, to=args.to))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from scoring.store.backup import restore

    kept = restore(
        Path(args.backup), args.db, wait_seconds=args.wait, who=args.user, force_reason=args.force_reason
    )
    out(t("cli.restored", args.lang, db=args.db, backup=args.backup))
    if kept is not None:
        out(t("cli.restore_kept", args.lang, kept=kept))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from scoring.analysis.explain import explain_payouts, what_it_takes

    camp, run = scored(args)
    con = camp.con
    unit = _unit_of(con, args.campaign, args.unit)
    if unit is not None and args.period:  # how that period's score was made, item by item
        from scoring.analysis.derivation import period_derivation

        made = period_derivation(camp, run, unit, args.period, args.lang)
        print_frame(made.items, args.lang)
        for line in made.lines:
            out(line)
    if unit is not None:
        for sentence in what_it_takes(camp, run, unit, args.lang)["sentences"]:
            out(f"- {sentence}")
        from scoring.analysis.profile import trends

        years = trends(con, unit)
        if years.height > 1:
            print_frame(years, args.lang)
    shown = explain_payouts(camp, run, args.lang, unit or args.unit)
    if unit is not None:  # and the awards of the unit's secretaries, each derived in full
        posts = con.execute(
            "SELECT DISTINCT secretary_id FROM (SELECT secretary_id FROM units WHERE campaign_id = $cid "
            "AND unit_id = $unit UNION SELECT secretary_id FROM secretaries WHERE campaign_id = $cid "
            "AND unit_id = $unit) WHERE secretary_id IS NOT NULL ORDER BY 1",
            {"cid": args.campaign, "unit": unit},
        ).fetchall()
        for (secretary,) in posts:
            shown += [
                e for e in explain_payouts(camp, run, args.lang, secretary) if e.payee_type == "secretary"
            ]
    if unit is None and not shown:
        con.close()
        raise CampaignError([Problem("explain", None, None, "unknown_payee", {"id": args.unit})])
    for e in shown:
        out(f"{t(f'notice.type.{e.payee_type}', args.lang)} {e.payee_id} {e.payee_name}")
        for k, line in enumerate(e.lines, start=1):
            out(f"  {k}. {line}")
    con.close()
    return 0


def _unit_of(con, cid: str, given: str) -> str | None:
    """The unit an id or an exact name (spaces trimmed) names; a name two units share is refused."""
    rows = con.execute(
        "SELECT unit_id FROM units WHERE campaign_id = $cid "
        "AND (unit_id = $given OR trim(name) = trim($given)) ORDER BY unit_id = $given DESC, unit_no",
        {"cid": cid, "given": given},
    ).fetchall()
    if len(rows) > 1 and rows[0][0] != given:
        ids = "、".join(r[0] for r in rows)
        raise CampaignError([Problem("explain", None, None, "ambiguous_unit", {"name": given, "ids": ids})])
    return str(rows[0][0]) if rows else None


def cmd_robustness(args: argparse.Namespace) -> int:
    from scoring.analysis.robustness import Settings, robustness

    camp, run = scored(args)
    progress(t("cli.step_robustness", args.lang, n=args.draws))
    frame = robustness(camp, run, Settings(args.draws, args.spread, args.seed, args.linear_as_tiers))
    camp.con.close()
    if args.out:
        from scoring.outputs.reports import safe_frame

        safe_frame(frame).write_csv(args.out)
    print_frame(frame, args.lang)
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    from scoring.outputs.notice import notice_html, notice_pdf
    from scoring.store.campaign import open_campaign

    con = open_db(args)
    open_campaign(con, args.campaign)  # an unknown campaign is said in words
    page = notice_html(open_campaign(con, args.campaign), args.lang)
    con.close()
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / "notice.html"]
    files[0].write_text(page, encoding="utf-8")
    if args.pdf:
        files.append(notice_pdf(page, folder / "notice.pdf"))
    out(t("cli.notice", args.lang, files=", ".join(str(f) for f in files)))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from scoring.app.imports import remove_campaign

    con = open_db(args)
    try:
        remove_campaign(con, args.campaign, operator(args), args.reason or "")
    finally:
        con.close()
    out(t("cli.campaign_removed", args.lang, id=args.campaign))
    return 0


def cmd_baseline(args: argparse.Namespace) -> int:
    from scoring.app.baseline import take_baseline

    con = open_db(args)
    try:
        taken = take_baseline(con, args.campaign, args.source, operator(args))
    finally:
        con.close()
    out(
        t(
            "cli.baseline_taken",
            args.lang,
            new=args.campaign,
            old=args.source,
            by_id=taken.by_id,
            by_name=taken.by_name,
        )
    )
    if taken.unmatched_new:
        out(t("cli.baseline_unmatched_new", args.lang, n=len(taken.unmatched_new)))
        out("  " + "、".join(taken.unmatched_new[:50]) + (" …" if len(taken.unmatched_new) > 50 else ""))
    if taken.unmatched_old:
        out(t("cli.baseline_unmatched_old", args.lang, n=len(taken.unmatched_old)))
        out("  " + "、".join(taken.unmatched_old[:50]) + (" …" if len(taken.unmatched_old) > 50 else ""))
    return 0


def register_admin(add: Add) -> None:
    """Add these commands to the starscore parser."""
    p = add(
        "baseline",
        cmd_baseline,
        h("help.take_a_stored_campaign_s"),
    )
    p.add_argument("--campaign", required=True, help=h("help.this_year_s_campaign_id"))
    p.add_argument("--from", dest="source", required=True, help=h("help.last_year_s_campaign_id"))
    p = add(
        "remove",
        cmd_remove,
        h("help.remove_a_campaign_that_has"),
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("--reason", help=h("help.why_it_is_removed_recorded"))
    p = add("audit", cmd_audit, h("help.show_the_audit_trail_of"))
    p.add_argument("--campaign", required=True)
    p.add_argument("--unit")
    p.add_argument("--period")
    p.add_argument("--indicator")
    p = add("verify", cmd_verify, h("help.check_that_stored_published_results"))
    p.add_argument("--campaign", required=True)
    p = add("set", cmd_set, h("help.enter_or_change_one_value"))
    for name in ("--campaign", "--unit", "--period", "--indicator", "--value"):
        p.add_argument(name, required=True)
    p.add_argument("--reason", help=h("help.why_needed_once_the_period"))
    p.add_argument("--confirm", help=h("help.confirming_comment_for_a_value"))
    p = add(
        "user",
        cmd_user,
        h("help.manage_dashboard_users_add_list"),
    )
    p.add_argument("user_command", choices=["add", "list", "disable", "enable", "passwd", "role", "import"])
    p.add_argument("name", nargs="?", default="", help=h("help.the_user_s_name_import"))
    p.add_argument("--role", choices=["admin", "evaluator", "leader", "finance", "unit"], default="leader")
    p.add_argument("--units", help=h("help.unit_account_units"))
    p.add_argument("--towns", help=h("help.evaluator_comma_separated_towns_streets"))
    p.add_argument("--areas", help=h("help.evaluator_comma_separated_indicator_areas"))
    p.add_argument(
        "--departments",
        help=h("help.evaluator_comma_separated_departments_only"),
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=h("help.read_the_password_from_standard"),
    )
    p = add("explain", cmd_explain, h("help.explain_a_unit_what_it"))
    p.add_argument("unit", help=h("help.a_unit_id_or_a"))
    p.add_argument("--campaign", required=True)
    p.add_argument("--period", help=h("help.also_show_how_this_period"))
    p = add(
        "robustness",
        cmd_robustness,
        h("help.how_safe_each_unit_s"),
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("--draws", type=int, default=1000, help=h("help.number_of_draws_default_1000"))
    p.add_argument("--spread", type=float, default=0.10, help=h("help.weights_vary_uniformly_within_spread"))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--linear-as-tiers",
        type=int,
        metavar="K",
        help=h("help.in_half_of_the_draws"),
    )
    p.add_argument("--out", help=h("help.also_write_the_table_to"))
    p = add("notice", cmd_notice, h("help.write_the_public_notice_of"))
    p.add_argument("--campaign", required=True)
    p.add_argument("--out", required=True, help=h("help.folder_for_notice_html_and"))
    p.add_argument("--pdf", action="store_true", help=h("help.also_print_notice_pdf_needs"))
    p = add("backup", cmd_backup, h("help.copy_the_whole_database_to"))
    p.add_argument("--to", required=True, help=h("help.backup_file_to_write"))
    p = add("restore", cmd_restore, h("help.replace_the_database_with_a"))
    p.add_argument("backup", help=h("help.backup_file_written_by_starscore"))
    p.add_argument(
        "--force-reason",
        help=h("help.restore_a_backup_from_before"),
    )
