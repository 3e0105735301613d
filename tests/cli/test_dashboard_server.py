"""The served dashboard runs as a server, not as a page under development: no full garbage
collection after every script run (a third of the server's time under twenty sessions) and no
watch of the sources (each session walked every loaded module after its runs). Both are in
.streamlit/config.toml for ``streamlit run`` from the repository, and on the command line of
``starscore dashboard`` (from any folder) and of the benchmarks' server."""

from __future__ import annotations

import tomllib

from scoring.bench import serve
from scoring.cli import main
from tests.helpers import REPO, run_cli

SERVER = ("--runner.postScriptGC=false", "--server.fileWatcherType=none")


def test_the_config_file_serves():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"


def test_starscore_dashboard_passes_the_server_options(demo_copy, capsys, monkeypatch):
    started: list[list[str]] = []
    monkeypatch.setattr(main.subprocess, "call", lambda cmd, env: started.append(cmd) or 0)
    code, _, _ = run_cli(capsys, "dashboard", "--db", demo_copy)
    assert code == 0 and len(started) == 1
    assert all(option in started[0] for option in SERVER)


def test_the_benchmarks_server_passes_them(monkeypatch):
    seen: list[list[str]] = []

    class Stop(Exception):
        pass

    def popen(cmd, **_):
        seen.append(cmd)
        raise Stop

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    try:
        with serve.serving(REPO / "nothing.duckdb"):
            pass
    except Stop:
        pass
    assert all(option in seen[0] for option in SERVER)
