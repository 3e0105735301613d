"""The command line: help for every command, exit codes, no tracebacks for user mistakes."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from scoring.cli.main import build_parser
from scoring.samples.demo_sources import DELIVERED
from tests.helpers import DEMO, REPO, run_cli

COMMANDS = (
    "run",
    "validate",
    "import",
    "score",
    "export",
    "demo",
    "dashboard",
    "set",
    "audit",
    "period",
    "verify",
    "user",
    "backup",
    "restore",
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([command, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "--db" in text and "--lang" in text


def test_the_command_list_and_every_command_s_help_print(capsys):
    """``starscore --help`` and each command's ``--help``, every command the parser has (a help
    text is %-formatted by argparse: a stray percent sign broke the whole list once)."""
    import argparse

    parser = build_parser()
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["--help"])
    assert info.value.code == 0
    listing = capsys.readouterr().out
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert len(sub.choices) > len(COMMANDS)
    for command in sub.choices:
        assert command in listing
        with pytest.raises(SystemExit) as info:
            build_parser().parse_args([command, "--help"])
        assert info.value.code == 0, command
        assert "--db" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("lang", "words"), [("zh", ("用法", "选项", "显示本帮助并退出")), ("en", ("usage", "options"))]
)
def test_help_is_chinese_by_default_and_english_with_lang_en(lang, words, capsys, monkeypatch):
    """Every command's --help through ``main``, as typed: Chinese by default (argparse's own
    words too), English with --lang en; every help line of Chinese has no English sentence."""
    import argparse

    from scoring.cli.main import main

    monkeypatch.delenv("STARSCORE_LANG", raising=False)
    extra = ["--lang", "en"] if lang == "en" else []
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for command in ["", *sub.choices]:
        with pytest.raises(SystemExit) as info:
            main([*([command] if command else []), *extra, "--help"])
        assert info.value.code == 0, command
        text = capsys.readouterr().out
        assert all(w in text for w in words), (command, text)
        if lang == "zh":  # a description or help line in English would show a sentence of Latin words
            described = [
                line for line in text.splitlines() if not line.lstrip().startswith(("-", "用法", "{"))
            ]
            sentences = [line for line in described if re.search(r"[a-z]{4,} [a-z]{3,} [a-z]{3,}", line)]
            assert not sentences, (command, sentences)


def test_every_command_is_documented():
    cli = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"starscore {command}" in cli, command
    reference = (REPO / "docs" / "campaign-format.md").read_text(encoding="utf-8")
    for kind in ("score", "linear", "tiers", "bonus", "penalty", "veto"):
        assert f"`{kind}`" in reference, kind


def test_python_dash_m_and_missing_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "scoring", "validate", str(tmp_path / "nope"), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert "no campaign folder here" in proc.stderr and "Traceback" not in proc.stderr


def test_import_score_export_pipeline(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    rc, out, _ = run_cli(capsys, "import", DEMO, "--db", db, "--lang", "en")
    assert rc == 0 and "imported campaign jiujiang-2023 (109 units" in out
    rc, _, err = run_cli(
        capsys, "export", "--campaign", "jiujiang-2023", "--out", tmp_path / "o", "--db", db, "--lang", "en"
    )
    assert rc == 1 and "has not been scored" in err
    rc, out, _ = run_cli(capsys, "score", "--campaign", "jiujiang-2023", "--db", db, "--lang", "en")
    assert rc == 0 and "scale factor 1600/1643" in out
    rc, _, _ = run_cli(capsys, "export", "--campaign", "jiujiang-2023", "--out", tmp_path / "o", "--db", db)
    assert rc == 0 and (tmp_path / "o" / "summary.json").exists()


def test_demo_command_builds_database(tmp_path, capsys):
    rc, _out, err = run_cli(
        capsys, "demo", "--db", tmp_path / "d.duckdb", "--folder", tmp_path / "demo", "--lang", "en"
    )
    assert rc == 0, err
    assert (tmp_path / "demo" / "campaign.yaml").exists() and (tmp_path / "d.duckdb").exists()
    # the departments have delivered 2023Q1, and it changed no value: the demo's run stands
    rc, out, _ = run_cli(
        capsys,
        "source",
        "status",
        "--campaign",
        "jiujiang-2023",
        "--db",
        tmp_path / "d.duckdb",
        "--period",
        "2023Q1",
        "--lang",
        "en",
    )
    assert rc == 0 and out.count("delivered") == len(DELIVERED), out
    assert "327" not in out  # a survey export's three items are one indicator's 109 cells
    rc, out, _ = run_cli(capsys, "verify", "--campaign", "jiujiang-2023", "--db", tmp_path / "d.duckdb")
    assert rc == 0, out


def test_out_path_that_is_a_file_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    rc, _, err = run_cli(capsys, "run", DEMO, "--out", blocker, "--db", tmp_path / "d.duckdb", "--lang", "en")
    assert rc == 1 and "cannot read or write a file" in err and "Traceback" not in err


def _in_terminal(args: list[str], cwd) -> str:
    """Run a command with a terminal (100 columns) as its output; return what it printed."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    main, sub = pty.openpty()
    fcntl.ioctl(sub, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(args, stdin=sub, stdout=sub, stderr=sub, cwd=cwd, close_fds=True)
    os.close(sub)
    out = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait() == 0, out.decode()
    return out.decode()


def test_run_shows_a_progress_bar_in_a_terminal_and_stage_lines_in_a_log(tmp_path):
    command = [
        sys.executable,
        "-m",
        "scoring",
        "run",
        str(DEMO),
        "--db",
        "t.duckdb",
        "--out",
        "out",
        "--lang",
        "en",
    ]
    shown = _in_terminal(command, tmp_path)
    assert "reading and checking" in shown and "awards and budget" in shown and "█" in shown
    assert "10/10" in shown  # read, store, 4 scoring stages, 4 files
    logged = subprocess.run(
        [*command[:5], "--db", "l.duckdb", "--out", "out2", "--lang", "en"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "… reading and checking" in logged.stderr and "█" not in logged.stderr
    assert "… writing points.csv" in logged.stderr


def test_tables_print_as_people_read_them(demo_copy, capsys):
    """No frame shape or column types, empty cells empty (not "null"), values as written
    (4.5, not 4.500000000), times to the second."""
    where = ("--db", demo_copy, "--campaign", "jiujiang-2023")
    cell = ("--unit", "JJ001", "--period", "2023Q1", "--indicator", "honours")
    assert run_cli(capsys, "set", *where, *cell, "--value", "4.5", "--reason", "补录")[0] == 0
    rc, out, _ = run_cli(capsys, "audit", *where)
    assert rc == 0
    assert "shape:" not in out and "null" not in out and "str" not in out.split("\n")[2]
    change = next(line for line in out.splitlines() if "补录" in line)
    assert "4.5 " in change and "4.500000000" not in change
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", change)


def test_set_says_how_many_values_changed(demo_copy, capsys):
    """Writing a cell's own value again is saved (its note and who entered it may change) but
    said to change nothing, and the audit log gains no row."""
    where = ("--db", demo_copy, "--campaign", "jiujiang-2023", "--lang", "en")
    cell = ("--unit", "JJ001", "--period", "2023Q1", "--indicator", "honours")
    rc, out, _ = run_cli(capsys, "set", *where, *cell, "--value", "4.5", "--reason", "补录")
    assert rc == 0 and "saved 1 values (1 changed)" in out
    audit = run_cli(capsys, "audit", *where)[1]
    rc, out, _ = run_cli(capsys, "set", *where, *cell, "--value", "4.50", "--reason", "补录")
    assert rc == 0 and "saved 1 values (0 changed)" in out
    assert run_cli(capsys, "audit", *where)[1] == audit
