"""``starscore evidence``: a unit's proof (佐证材料): add files for an indicator of a period,
list them with their SHA-256, remove one with a reason, export a period's archive (台账)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from scoring.cli.support import acting, h, needed, open_db, out, require_options
from scoring.core.i18n import t
from scoring.core.localtime import show

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def cmd_evidence(args: argparse.Namespace) -> int:
    from scoring.app import evidence
    from scoring.store.campaign import open_campaign

    con = open_db(args)
    try:
        user = acting(args, con)
        if args.evidence_command == "add":
            require_options(args, "--unit", "--period", "--indicator")
            args.files = [*args.files, *args.file]
            if not args.files:
                raise needed("FILE")
            campaign = open_campaign(con, args.campaign)
            for name in args.files:
                path = Path(name)
                no = evidence.add_evidence(
                    campaign, args.unit, args.period, args.indicator, path.name, path.read_bytes(),
                    user, args.note,
                )  # fmt: skip
                row = evidence.list_evidence(con, args.campaign).row(-1, named=True)
                said = {"no": no, "name": row["name"], "kind": row["kind"], "sha": row["sha256"]}
                out(t("cli.evidence_added", args.lang, **said))
        elif args.evidence_command == "remove":
            if args.no is None:
                raise needed("--no")
            evidence.remove_evidence(con, args.campaign, args.no, args.reason or "", user)
            out(t("cli.evidence_removed", args.lang, no=args.no))
        elif args.evidence_command == "export":
            if not args.period or not args.out:
                raise needed("--period" if not args.period else "--out")
            n = evidence.export_evidence(con, args.campaign, args.period, Path(args.out), user)
            out(t("cli.evidence_exported", args.lang, n=n, out=args.out))
        elif args.evidence_command == "get":
            if args.no is None or not args.out:
                raise needed("--no" if args.no is None else "--out")
            name, _, data = evidence.evidence_file(con, args.campaign, args.no, user)
            Path(args.out).write_bytes(data)
            out(t("cli.evidence_got", args.lang, no=args.no, name=name, out=args.out))
        else:
            # one line per file, its SHA-256 whole (a table would cut it to the terminal's width)
            tz = open_campaign(con, args.campaign).zone
            listed = evidence.list_evidence(con, args.campaign, args.unit, args.period, user)
            for r in listed.iter_rows(named=True):
                gone = (
                    t("cli.evidence_gone", args.lang, reason=r["removed_reason"]) if r["removed_at"] else ""
                )
                out(
                    f"#{r['evidence_no']} {r['unit_id']} {r['period']} {r['indicator_id']} {r['name']} "
                    f"{r['kind']} {r['size']} {r['sha256']} {r['added_by']} "
                    f"{show(r['added_at'], tz, args.lang)}{gone}"
                )
    finally:
        con.close()
    return 0


def register_evidence(add: Add) -> None:
    p = add("evidence", cmd_evidence, h("help.evidence"))
    p.add_argument("evidence_command", choices=["list", "add", "get", "remove", "export"])
    p.add_argument("--account", help=h("help.acting_account"))
    p.add_argument("files", nargs="*", help=h("help.evidence_files"))  # right after add
    p.add_argument("--file", action="append", default=[], help=h("help.evidence_files"))
    p.add_argument("--campaign", required=True, help=h("help.campaign_id"))
    for name in ("--unit", "--period", "--indicator", "--reason"):
        p.add_argument(name)
    p.add_argument("--note", help=h("help.evidence_note"))
    p.add_argument("--no", type=int, help=h("help.evidence_no"))
    p.add_argument("--out", help=h("help.evidence_out"))
