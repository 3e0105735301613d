"""Command-line commands of the campaign office's year: the period workflow town by town, the
year's publication, lock exceptions, entry deadlines and the objection register."""

from __future__ import annotations

import argparse
from datetime import datetime

from scoring.cli.admin import Add
from scoring.cli.support import h, open_db, operator, out, print_frame
from scoring.core.errors import CampaignError, Problem
from scoring.core.i18n import t
from scoring.store.campaign import open_campaign

TOWN_ACTIONS = ("return", "override")
PERIOD_ACTIONS = ("submit", "approve", "publish", "finalize", "reopen")


def _needed(option: str) -> CampaignError:
    return CampaignError([Problem("command line", None, option, "option_needed", {"option": option})])


def show_status(camp, lang: str) -> None:
    from scoring.outputs.status import matrix_view, periods_view, year_line

    print_frame(periods_view(camp, lang))
    print_frame(matrix_view(camp, lang))
    out(year_line(camp, lang))


def cmd_period(args: argparse.Namespace) -> int:
    from scoring.outputs.status import town_name
    from scoring.workflow import periods, towns

    con = open_db(args)
    camp = open_campaign(con, args.campaign)
    action = args.action
    if action and action != "status":
        if not args.period:
            raise _needed("--period")
        if args.town is not None or action in TOWN_ACTIONS:
            if args.town is None:
                raise _needed("--town")
            new = towns.move_town(
                con, args.campaign, args.period, args.town, action, operator(args), args.reason
            )
            status = periods.statuses(con, args.campaign)
            period_status = status.filter(status["period"] == args.period)["status"][0]
            out(
                t(
                    "cli.town_moved",
                    args.lang,
                    period=args.period,
                    town=town_name(args.town, args.lang),
                    status=t(f"state.{new}", args.lang),
                    period_status=t(f"state.{period_status}", args.lang),
                )
            )
        else:
            new = periods.move(camp, args.period, action, operator(args), args.reason)
            out(t("cli.period_moved", args.lang, period=args.period, status=t(f"state.{new}", args.lang)))
    show_status(camp, args.lang)
    con.close()
    return 0


def cmd_year(args: argparse.Namespace) -> int:
    from scoring.outputs.status import year_line
    from scoring.workflow.year import move_year

    con = open_db(args)
    camp = open_campaign(con, args.campaign)
    if args.action:
        new = move_year(camp, args.action, operator(args))
        out(t("cli.year_moved", args.lang, status=t(f"state.{new}", args.lang)))
    out(year_line(camp, args.lang))
    con.close()
    return 0


def cmd_exception(args: argparse.Namespace) -> int:
    from scoring.outputs.status import exceptions_view
    from scoring.workflow.locks import close_exception, grant_exception

    con = open_db(args)
    camp = open_campaign(con, args.campaign)
    if args.action == "grant":
        if not args.period:
            raise _needed("--period")
        no = grant_exception(
            camp,
            args.period,
            operator(args),
            args.reason or "",
            unit_id=args.unit,
            indicator_id=args.indicator,
            town=args.town,
        )
        out(t("cli.exception_granted", args.lang, no=no))
    elif args.action == "close":
        if args.no is None:
            raise _needed("--no")
        close_exception(con, args.campaign, args.no, operator(args))
        out(t("cli.exception_closed", args.lang, no=args.no))
    print_frame(exceptions_view(camp, args.lang))
    con.close()
    return 0


def cmd_deadline(args: argparse.Namespace) -> int:
    from scoring.outputs.status import periods_view
    from scoring.workflow.locks import set_deadline

    con = open_db(args)
    camp = open_campaign(con, args.campaign)
    if args.at is not None or args.clear:
        if not args.period:
            raise _needed("--period")
        set_deadline(
            camp,
            args.period,
            None if args.clear else args.at,
            operator(args),
            args.reason,
        )
    print_frame(periods_view(camp, args.lang))
    con.close()
    return 0


def _received(text: str | None, tz: str) -> datetime | None:
    from scoring.core.localtime import to_utc

    if not text:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return to_utc(datetime.strptime(text.strip(), fmt), tz)
        except ValueError:
            continue
    raise CampaignError([Problem("command line", None, "--received", "bad_time", {"value": text})])


def cmd_objection(args: argparse.Namespace) -> int:
    from scoring.app.corrections import finish_corrections, uphold_with_correction
    from scoring.outputs.status import objections_view
    from scoring.workflow.year import handle_objection, record_objection

    con = open_db(args)
    camp = open_campaign(con, args.campaign)
    user = operator(args)
    if args.action in ("uphold", "reject"):
        finish_corrections(camp)  # a correction killed on its way, finished first
    if args.action == "add":
        for option, given in (("--unit", args.unit), ("--by", args.by), ("--text", args.text)):
            if not given:
                raise _needed(option)
        tz = camp.zone
        no = record_objection(
            camp,
            args.unit,
            args.by,
            args.text,
            user,
            args.period,
            _received(args.received, tz),
        )
        out(t("cli.objection_recorded", args.lang, no=no))
    elif args.action in ("uphold", "reject"):
        if args.no is None:
            raise _needed("--no")
        correction = ""
        if args.action == "uphold" and args.indicator is not None:
            if args.value is None:
                raise _needed("--value")
            correction = uphold_with_correction(
                camp,
                args.no,
                args.indicator,
                args.value,
                args.reason or "",
                user,
                args.period,
            )
        else:
            outcome = "upheld" if args.action == "uphold" else "rejected"
            handle_objection(con, args.campaign, args.no, outcome, args.reason or "", user, args.correction)
            correction = args.correction or ""
        outcome_word = t(f"state.{'upheld' if args.action == 'uphold' else 'rejected'}", args.lang)
        out(
            t(
                "cli.objection_handled",
                args.lang,
                no=args.no,
                outcome=outcome_word,
                correction=f"（{correction}）" if correction else "",
            )
        )
    print_frame(objections_view(camp, args.lang))
    con.close()
    return 0


def register_office(add: Add) -> None:
    """Add these commands to the starscore parser."""
    p = add(
        "period",
        cmd_period,
        h("help.show_the_periods_and_towns"),
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("--period")
    p.add_argument("action", nargs="?", choices=["status", *PERIOD_ACTIONS, *TOWN_ACTIONS])
    p.add_argument("--town", help=h("help.one_town_s_submission_for"))
    p.add_argument("--reason", help=h("help.why_to_reopen_or_override"))
    p = add("year", cmd_year, h("help.show_the_year_s_publication"))
    p.add_argument("--campaign", required=True)
    p.add_argument("action", nargs="?", choices=["publish", "finalize"])
    p = add(
        "exception",
        cmd_exception,
        h("help.list_lock_exceptions_grant_one"),
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("action", nargs="?", choices=["list", "grant", "close"], default="list")
    for name in ("--period", "--unit", "--indicator", "--town", "--reason"):
        p.add_argument(name)
    p.add_argument("--no", type=int, help=h("help.the_exception_s_number_to"))
    p = add("deadline", cmd_deadline, h("help.show_the_periods_entry_deadlines"))
    p.add_argument("--campaign", required=True)
    p.add_argument("--period")
    p.add_argument("--at", help=h("help.local_deadline_2026_04_10"))
    p.add_argument("--clear", action="store_true", help=h("help.remove_the_period_s_deadline"))
    p.add_argument("--reason")
    p = add(
        "objection",
        cmd_objection,
        h("help.the_objection_register_list_add"),
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("action", nargs="?", choices=["list", "add", "uphold", "reject"], default="list")
    p.add_argument("--unit")
    p.add_argument("--period", help=h("help.the_period_objected_to_none"))
    p.add_argument("--by", help=h("help.who_raised_it"))
    p.add_argument("--text", help=h("help.what_it_says"))
    p.add_argument("--received", help=h("help.when_it_was_received_local"))
    p.add_argument("--no", type=int, help=h("help.the_objection_s_number"))
    p.add_argument("--reason", help=h("help.the_response_what_was_corrected"))
    p.add_argument("--indicator", help=h("help.uphold_the_indicator_whose_value"))
    p.add_argument("--value", help=h("help.uphold_the_corrected_value"))
    p.add_argument("--correction", help=h("help.uphold_without_a_value_the"))
