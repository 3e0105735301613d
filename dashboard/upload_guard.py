"""Uploads only where a page has an uploader, and only as large as its user may send.

Streamlit takes a file from any open session, whatever its page holds: a visitor of the public
page could push files of ``server.maxUploadSize`` into the server's memory. Here the server's
own upload step asks first whether the session belongs to a signed-in user whose role has a
page with an uploader (an administrator: campaigns, users, values; an evaluator: values and
departments' files), and refuses before it reads a byte otherwise; a file larger than the
role's limit, or more than the session may hold at once, is refused too, and not kept.
"""

from __future__ import annotations

import threading
from typing import Any

MB = 1024 * 1024
# the most one file may have, by role: a campaign's folder (admin) is the largest upload
LIMITS = {"admin": 200 * MB, "evaluator": 20 * MB, "unit": 20 * MB}  # a unit: its phone's photos
HELD = 2  # a session holds at most this many files' worth at once (a file and its replacement)

_ALLOWED: dict[str, int] = {}  # session id → most bytes one of its files may have
_LOCK = threading.Lock()


def allow(role: str | None) -> None:
    """Let this session upload as ``role`` may (None: not at all, as a visitor or a leader)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    limit = LIMITS.get(role or "")
    with _LOCK:
        if limit is None:
            _ALLOWED.pop(ctx.session_id, None)
        else:
            _ALLOWED[ctx.session_id] = limit


def allowed(session_id: str) -> int | None:
    with _LOCK:
        return _ALLOWED.get(session_id)


def install() -> None:
    """Guard the server's upload step, once per process (nothing to guard outside a server)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return
    runtime = Runtime.instance()
    if getattr(runtime, "_starscore_guarded", False):
        return
    active = runtime.is_active_session
    files: Any = runtime.uploaded_file_mgr  # the in-memory manager: its add_file is the step
    add = files.add_file

    def may_upload(session_id: str) -> bool:  # the upload step's first question, before the body
        return bool(active(session_id)) and allowed(session_id) is not None

    def add_file(session_id: str, file: Any) -> None:
        limit = allowed(session_id)
        size = len(file.data)
        held = getattr(files, "file_storage", {}).get(session_id, {})
        others = sum(len(f.data) for key, f in held.items() if key != file.file_id)
        if limit is None or size > limit or others + size > HELD * limit:
            raise PermissionError("upload refused")  # the file is dropped, never kept
        add(session_id, file)

    runtime.is_active_session = may_upload  # type: ignore[method-assign]
    files.add_file = add_file
    runtime._starscore_guarded = True  # type: ignore[attr-defined]
