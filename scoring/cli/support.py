"""Helpers shared by the command-line modules: output, progress, the database, the operator."""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from pathlib import Path
from typing import Any

import duckdb

from scoring.accounts.access import User
from scoring.core.errors import CampaignError, Problem
from scoring.core.i18n import t
from scoring.core.text import terminal_safe

EXIT_PROBLEMS = 1

# the language of this invocation's --help and of argparse's own words, decided from the command
# line (--lang) or STARSCORE_LANG before the parser is built; Chinese by default
HELP_LANG = ["zh"]
# argparse's own words (usage, options, its errors) and their keys in the catalogue
_ARGPARSE_WORDS = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positionals",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "the following arguments are required: %s": "argparse.required",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.choice",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "expected one argument": "argparse.one_argument",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed",
    "one of the arguments %s is required": "argparse.one_of",
}


def choose_help_language(argv: list[str]) -> str:
    """The language of --help and of argparse's words: ``--lang en`` (or ``--lang=en``) on the
    command line, else STARSCORE_LANG, else Chinese. argparse's own words follow it."""
    import os

    lang = os.environ.get("STARSCORE_LANG", "zh")
    for k, arg in enumerate(argv):
        if arg == "--lang" and k + 1 < len(argv):
            lang = argv[k + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    lang = lang if lang in ("zh", "en") else "zh"
    HELP_LANG[0] = lang
    argparse._ = lambda text: t(_ARGPARSE_WORDS[text], lang) if text in _ARGPARSE_WORDS else text  # type: ignore[attr-defined]
    return lang


def h(key: str, **params: Any) -> str:
    """A help text of the command line in this invocation's language (``%`` kept literal: argparse
    formats help texts with it)."""
    return t(key, HELP_LANG[0], **params).replace("%", "%%")


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


def operator(args: argparse.Namespace) -> User:
    """The command line acts as the machine's operator, with the admin role."""
    return User(args.user, "admin")


def acting(args: argparse.Namespace, con: Any) -> User:
    """Who a command acts as: the machine's operator, or with ``--account NAME`` that stored
    account, its role and scope as the dashboard gives them (a disabled or unknown account
    acts as nobody: refused)."""
    name = getattr(args, "account", None)
    if not name:
        return operator(args)
    from scoring.accounts.access import current

    found = current(con, name)
    if found is None:
        raise CampaignError([Problem("user", None, "username", "unknown_user", {"user": name})])
    return found


def progress(text: str) -> None:
    """A step of long work, on standard error (standard output stays the result)."""
    print(terminal_safe(f"… {text}"), file=sys.stderr, flush=True)


class Stages:
    """A command's progress over its stages: one bar on a terminal (tqdm, on standard error),
    a plain line per stage otherwise (a log keeps every step). Within a stage, the bar shows how
    far the running query on the watched connection is (DuckDB's ``query_progress``) and the
    time keeps counting, so a long stage never looks stuck."""

    TICK = 0.5  # seconds between redraws within a stage

    def __init__(self, lang: str, total: int) -> None:
        from tqdm import tqdm

        # a thread lock: tqdm's default also makes a multiprocessing one, whose import alone
        # costs every command 20 ms, and no command draws bars from other processes
        tqdm.set_lock(threading.RLock())
        self.lang = lang
        self.bar = tqdm(
            total=total,
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            leave=False,
            bar_format="{desc} {bar:20} {n}/{total} {elapsed}{postfix}",
        )
        self._watched: Any = None
        self._at_start = -1.0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def watch(self, con: Any) -> None:
        """Show the progress of the queries running on ``con`` (a DuckDB connection or cursor)."""
        self._watched = con
        if self.bar.disable or self._ticker is not None:
            return
        self._ticker = threading.Thread(target=self._tick, name="stage-progress", daemon=True)
        self._ticker.start()

    def _progress(self) -> float:
        """The running query's progress in percent; -1 when unknown."""
        try:
            return float(self._watched.query_progress()) if self._watched is not None else -1.0
        except duckdb.Error:  # a closed connection
            return -1.0

    def _tick(self) -> None:
        while not self._stop.wait(self.TICK):
            done = self._progress()
            # DuckDB keeps reporting a finished query's last figure: shown only once it moves
            fresh = 0 < done < 100 and done != self._at_start
            self.bar.set_postfix_str(f"{done:.0f}%" if fresh else "", refresh=False)
            self.bar.refresh()

    def start(self, done: int, key: str, **params: object) -> None:
        """Stage number ``done`` (0-based) begins."""
        text = t(key, self.lang, **params)
        if self.bar.disable:
            progress(text)
            return
        self._at_start = self._progress()
        self.bar.set_postfix_str("", refresh=False)
        self.bar.update(done - self.bar.n)
        self.bar.set_description_str(text)

    def within(self, offset: int):
        """A callback for the engine's own stages, placed after ``offset`` stages of this command."""
        return lambda done, total, key: self.start(offset + done, key)

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if not self.bar.disable:
            self.bar.update(self.bar.total - self.bar.n)
            self.bar.refresh()  # drawn even when the last stage was quicker than tqdm's interval
        self.bar.close()


def out(text: str) -> None:
    """A result line on standard output, control characters shown escaped."""
    print(terminal_safe(text), flush=True)


def err(text: str) -> None:
    """A message on standard error, control characters shown escaped."""
    print(terminal_safe(text), file=sys.stderr, flush=True)


def open_db(args: argparse.Namespace):
    from scoring.store.db import connect

    def waiting(detail: str) -> None:
        progress(t("cli.waiting", args.lang, seconds=args.wait, detail=detail))

    return connect(args.db, wait_seconds=args.wait, on_wait=waiting)


def scored(args: argparse.Namespace):
    """The campaign (on its database) and its latest scoring run; a clear error when there is
    none."""
    from scoring.engine.run import latest_run
    from scoring.store.campaign import open_campaign

    con = open_db(args)
    camp = open_campaign(con, args.campaign)
    run = latest_run(con, args.campaign)
    if run is None:
        con.close()
        raise CampaignError([Problem(str(args.db), None, None, "no_run", {"id": args.campaign})])
    return camp, run


def split_list(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def print_frame(frame, lang: str = "zh") -> None:
    """A table on the terminal as people read it: no shape or types, empty cells empty,
    decimals as written, times to the second, headers in the reader's language where the
    catalogue names the column (``col.<name>``)."""
    import polars as pl

    from scoring.core.frames import readable

    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        fmt_str_lengths=60,
        tbl_width_chars=200,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        tbl_hide_dtype_separator=True,
    ):
        shown = readable(frame, all_text=True)
        headers: dict[str, str] = {}
        for c in shown.columns:  # a header two columns would share keeps the second's name
            h = t(f"col.{c}", lang)
            if h != f"col.{c}" and h not in headers.values() and h not in shown.columns:
                headers[c] = h
        shown = shown.rename(headers)
        # a cell's own newlines, tabs and control characters escaped: one row stays one line
        shown = shown.with_columns(
            pl.col(c).map_elements(lambda v: terminal_safe(v, cell=True), return_dtype=pl.String)
            for c in shown.columns
        )
        out(str(shown))


def indicator_names(args: argparse.Namespace) -> dict[str, str]:
    """The campaign's indicator names by id, where the command names a stored campaign (none
    when it cannot be read: the problem may be that very thing)."""
    cid = getattr(args, "campaign", None)
    from pathlib import Path

    if not cid or not Path(args.db).is_file():
        return {}
    try:
        from scoring.store.campaign import open_campaign
        from scoring.store.db import connect

        con = connect(args.db, read_only=True)
        try:
            return {i.id: i.name for i in open_campaign(con, cid).rules.indicators}
        finally:
            con.close()
    except (CampaignError, duckdb.Error):
        return {}


def needed(option: str) -> CampaignError:
    """A command's option that this use of it needs, refused in words when it is missing."""
    return CampaignError([Problem("command line", None, option, "option_needed", {"option": option})])


def require_options(args: argparse.Namespace, *options: str) -> None:
    """Refuse, naming the first, an option among ``options`` (``--unit``…) left out."""
    for option in options:
        if not getattr(args, option.lstrip("-").replace("-", "_"), None):
            raise needed(option)


def dashboard_command(port: int | str, address: str) -> list[str]:
    """``streamlit run`` of the dashboard as a server, from any folder: no full garbage
    collection after every script run (a third of the server's time under twenty sessions) and
    no watch of the source files, as .streamlit/config.toml says for a run from the repository."""
    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless=true",
        f"--server.port={port}",
        f"--server.address={address}",
        "--runner.postScriptGC=false",
        "--server.fileWatcherType=none",
    ]
