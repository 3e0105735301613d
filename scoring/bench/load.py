"""Deadline day on the loopback: many people at once on one served dashboard.

``python -m scoring.bench.load [--sessions 30] [--browsers 2] [--minutes 5] [--out FILE]``

The demo campaign at district size is served (``streamlit run`` on 127.0.0.1, nothing else
reached) and ``--sessions`` sessions use it at once for ``--minutes``: evaluators (two thirds),
leaders, finance and an administrator, all signing in together at the start and again every
tenth step, then, after reading each page for 3 to 10 seconds as people do, opening the pages
their role has; each evaluator, every fourth step, changes one value of its own unit and saves
it (checks, audit, re-score). ``--browsers`` of the sessions are real headless Chromium pages,
timed on the page's own clock until drawn and idle (what a person sees); the others speak
Streamlit's protocol and draw nothing (``scoring.bench.wire``), timed from the request of a run
until the server says it finished. Thirty browsers on this machine would take it from the
server they load. The server's memory is read every five seconds.

It checks what deadline day must keep: no page shows an error, every save that said it was
saved is in the audit trail once (none lost, none doubled) and the last value each evaluator
saved is the stored one, the server's memory stays bounded, and once the load ends the database
is not held (another process writes to it within ten seconds). Medians, 95th percentiles and the
checks are printed and written to ``--out`` (default ``load-bench.json``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoring.accounts.access import add_user
from scoring.bench import load_browser, load_wire
from scoring.bench.browser import ACCOUNTS, PASSWORD, build, p95
from scoring.bench.load_plan import INDICATOR, accounts
from scoring.bench.serve import CHROMIUM, CHROMIUM_FLAGS, chromium_missing, serving
from scoring.store.db import connect

TIMED = ("sign_in", "page", "save", "browser_sign_in", "browser_page", "browser_save")


def server_pid(port: str) -> str | None:
    """The streamlit process listening on ``port``."""
    for pid in os.listdir("/proc"):
        try:
            if f"--server.port={port}".encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    return None


def rss_mb(pid: str | None) -> float:
    """A process's resident memory."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: str | None) -> float:
    """A process's CPU time so far (user and system)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


async def run(sessions: int, browsers: int, minutes: float, arrive: float, folder: Path) -> dict[str, Any]:
    db, cid = build(folder, "district")
    people = accounts(sessions)
    con = connect(db)
    for name, role in people:
        add_user(con, name, PASSWORD, role, by="bench")
    units = [
        r[0]
        for r in con.execute(
            "SELECT unit_id FROM units WHERE campaign_id = ? ORDER BY unit_no", [cid]
        ).fetchall()
    ]
    con.close()
    out: dict[str, Any] = {k: [] for k in TIMED} | {
        "errors": [],
        "saves": defaultdict(list),
        "by_page": defaultdict(list),
        "rss_mb": [],
    }
    # the browsers are spread over the roles (every k-th person); an evaluator among them
    # uploads a unit from the end of the list, the protocol's evaluators edit the grid's rows
    in_browser = set(range(0, sessions, max(1, sessions // browsers))[:browsers]) if browsers else set()
    with serving(db) as url:
        pid = server_pid(url.rsplit(":", 1)[1])
        await load_wire.warm(url, ACCOUNTS[2][0])  # the administrator of the demo's accounts
        until = time.monotonic() + minutes * 60
        cpu_before, clock_before = cpu_seconds(pid), time.monotonic()

        async def memory() -> None:
            while time.monotonic() < until + 30:
                out["rss_mb"].append(rss_mb(pid))
                await asyncio.sleep(5)

        async def everyone(browser: Any) -> None:
            watcher = asyncio.create_task(memory())
            tasks = []
            for k, (name, role) in enumerate(people):
                at = arrive * k / len(people)  # when this person arrives and signs in
                if k in in_browser:
                    unit = units[-1 - k]
                    tasks.append(
                        load_browser.one_session(browser, url, name, role, unit, folder, until, out, at)
                    )
                else:
                    tasks.append(load_wire.one_session(url, name, role, k, until, out, at))
            await asyncio.gather(*tasks)
            watcher.cancel()

        if in_browser:
            from playwright.async_api import async_playwright

            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                await everyone(browser)
                await browser.close()
        else:
            await everyone(None)
        out["server_cpu"] = (cpu_seconds(pid) - cpu_before, time.monotonic() - clock_before)
        started = time.monotonic()  # the server still runs: is the file free for another writer?
        other = connect(db, wait_seconds=10)
        other.execute("CHECKPOINT")
        other_took = time.monotonic() - started
        problems = lost_or_doubled(other, cid, out["saves"])
        other.close()
    return out | {"held_s": other_took, "save_problems": problems}


def lost_or_doubled(con: Any, cid: str, saves: dict[str, list[tuple[str, str, int]]]) -> list[str]:
    """Each evaluator's saves (unit, period, value) against the audit trail and the stored value."""
    found = []
    for name, said in saves.items():
        if not said:
            continue
        unit, period, _ = said[-1]
        rows = con.execute(
            "SELECT count(*) FROM audit_log WHERE campaign_id = ? AND who = ? AND unit_id = ? "
            "AND indicator_id = ? AND action IN ('enter', 'change')",
            [cid, name, unit, INDICATOR],
        ).fetchall()[0][0]
        values = [v for _, _, v in said]
        changes = sum(1 for a, b in zip([None, *values], values, strict=False) if a != b)
        stored = con.execute(
            "SELECT CAST(value AS INTEGER) FROM indicator_values WHERE campaign_id = ? AND unit_id = ? "
            "AND period = ? AND indicator_id = ?",
            [cid, unit, period, INDICATOR],
        ).fetchall()
        if rows > changes or rows < changes - 1 or stored != [(values[-1],)]:
            found.append(f"{name}: {len(said)} saves ({changes} changes), audit {rows}, stored {stored}")
    return found


def figures(samples: list[float]) -> dict[str, float]:
    return {"n": len(samples), "median": statistics.median(samples or [0]), "p95": p95(samples or [0])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30, choices=range(1, 61), metavar="1..60")
    parser.add_argument("--browsers", type=int, default=2, choices=range(0, 11), metavar="0..10")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument(
        "--arrive", type=float, default=0.0, help="seconds over which the sessions arrive (0: all at once)"
    )
    parser.add_argument("--out", type=Path, default=Path("load-bench.json"))
    args = parser.parse_args(argv)
    browsers = min(args.browsers, args.sessions)
    if browsers and (reason := chromium_missing()):
        print(reason)
        return 2
    with tempfile.TemporaryDirectory(prefix="starscore-load-") as tmp:
        out = asyncio.run(
            run(args.sessions, browsers, min(args.minutes, 30.0), min(args.arrive, 600.0), Path(tmp))
        )
    rss = out["rss_mb"] or [0.0]
    report = {
        "sessions": args.sessions,
        "browsers": browsers,
        "minutes": args.minutes,
        "arrive_s": args.arrive,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        **{k: figures(out[k]) for k in TIMED},
        "by_page": {k: figures(v) for k, v in sorted(out["by_page"].items())},
        "saves": sum(len(v) for v in out["saves"].values()),
        "save_problems": out["save_problems"],
        "errors": out["errors"],
        "rss_mb": {"first": rss[0], "max": max(rss), "last": rss[-1]},
        "database_free_after_s": out["held_s"],
        "server_cpu_s": out["server_cpu"][0],
        "wall_s": out["server_cpu"][1],
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    samples = {k: out[k] for k in TIMED}
    args.out.write_text(
        json.dumps(report | {"samples": samples}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    ok = not out["errors"] and not out["save_problems"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
