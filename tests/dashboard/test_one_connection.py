"""A page's script run opens the database once, uses that connection for all its work, and
closes it when the run ends: a rerun costs one opening (about 20 ms), not five to thirteen, and
the file is free for another process as soon as the page is drawn."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dashboard import data
from tests.dashboard.conftest import open_app
from tests.helpers import REPO


@pytest.mark.parametrize("page", ["entry", "workflow", "self"])
def test_a_rerun_opens_the_file_once_and_lets_it_go(free_db, monkeypatch, page):
    at = open_app("zh", page)
    opened = []
    real = data.connect

    def counting(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(data, "connect", counting)
    at.run()
    assert not at.exception, at.exception
    assert len(opened) == 1
    # another process opens the file for writing at once: the run let it go when it ended
    writer = (
        "import sys, duckdb; con = duckdb.connect(sys.argv[1]); "
        "con.execute('CREATE TABLE IF NOT EXISTS _probe (x INTEGER)'); con.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", writer, str(free_db)], cwd=REPO, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
