"""The dashboard served on the loopback and Debian's Chromium to open it: what the browser
benchmark and the browser tests share.

``serving(db)`` runs ``streamlit run`` on a free 127.0.0.1 port over a database file and yields
its address; ``launch(playwright)`` starts headless Chromium with the flags this machine needs
(no sandbox as root, no background connections to a closed network)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scoring.cli.support import dashboard_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_missing() -> str | None:
    """Why no browser can be had (installing Debian's Chromium as root when it is not there),
    or None when it is there."""
    if Path(CHROMIUM).exists():
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "Chromium is not installed and apt-get (as root) is not available to install it"
    cmd = "apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei"
    proc = subprocess.run(
        ["bash", "-c", cmd],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    if proc.returncode != 0 or not Path(CHROMIUM).exists():
        return f"installing Chromium failed: {proc.stderr.strip()[-300:]}"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """``streamlit run`` on a free localhost port over ``db``: its address while it runs."""
    port = free_port()
    env = {**os.environ, "STARSCORE_DB": str(db), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        dashboard_command(port, "127.0.0.1"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start within 60 s")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def launch(playwright: Any) -> Any:
    """Headless Debian Chromium through Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


# the app's script is not running (Streamlit marks its root with the run's state), no status
# widget says it runs, and no element is left over from the last run
_IDLE_JS = """(document.querySelector('[data-testid="stApp"]')
      || {getAttribute: () => null}).getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""
IDLE = f"() => {_IDLE_JS}"
# idle for ``ms`` on end: window.__idleSince keeps when (on the page's clock) it last became idle
STABLE = f"""(ms) => {{
  const idle = {_IDLE_JS};
  const now = performance.now();
  if (!idle) {{ window.__idleSince = null; return false; }}
  if (window.__idleSince == null) window.__idleSince = now;
  return now - window.__idleSince >= ms;
}}"""


def page_clock(page: Any) -> float:
    """Milliseconds on the page's own clock (``performance.now``)."""
    return float(page.evaluate("() => performance.now()"))


def wait_idle(page: Any, stable_ms: int = 400) -> float:
    """Wait until no script run has been going for ``stable_ms`` (a rerun the last one asks
    for starts well within that); returns when, on the page's clock, it became idle."""
    page.evaluate("() => { window.__idleSince = null; }")
    page.wait_for_function(STABLE, arg=stable_ms, timeout=120000)
    return float(page.evaluate("() => window.__idleSince"))


def settle(page: Any) -> None:
    """The page is drawn and its script has finished: something is in its main part and no
    run has been going for a while."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60000)
    drawn = '[data-testid="stMain"] [data-testid="stElementContainer"]'
    page.wait_for_selector(drawn, state="attached", timeout=60000)
    wait_idle(page)
