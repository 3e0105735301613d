"""The server takes a file only from a session whose user has an uploader, and only as large as
that user's role may send: a visitor of the public page (or a leader) is refused before the
server reads the body, an evaluator's file over 20 MB is dropped, never kept."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dashboard import upload_guard


@dataclass
class Rec:
    file_id: str
    data: bytes


@dataclass
class Files:
    file_storage: dict[str, dict[str, Rec]] = field(default_factory=dict)

    def add_file(self, session_id: str, file: Rec) -> None:
        self.file_storage.setdefault(session_id, {})[file.file_id] = file


class Server:
    def __init__(self) -> None:
        self.uploaded_file_mgr = Files()

    def is_active_session(self, session_id: str) -> bool:
        return session_id != "closed"


@pytest.fixture
def server(monkeypatch):
    from streamlit.runtime import Runtime

    fake = Server()
    monkeypatch.setattr(Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(Runtime, "instance", staticmethod(lambda: fake))
    monkeypatch.setattr(upload_guard, "_ALLOWED", {"clerk": upload_guard.LIMITS["evaluator"]})
    upload_guard.install()
    upload_guard.install()  # once only
    return fake


def test_a_session_without_an_uploader_is_refused_before_its_body_is_read(server):
    assert server.is_active_session("clerk")
    assert not server.is_active_session("visitor")  # the public page, or a leader
    assert not server.is_active_session("closed")


def test_a_file_over_the_role_s_limit_or_the_session_s_room_is_dropped(server):
    files = server.uploaded_file_mgr
    limit = upload_guard.LIMITS["evaluator"]
    files.add_file("clerk", Rec("a", b"x" * 1000))
    with pytest.raises(PermissionError):
        files.add_file("clerk", Rec("b", b"x" * (limit + 1)))
    with pytest.raises(PermissionError):
        files.add_file("visitor", Rec("c", b"x"))
    files.add_file("clerk", Rec("d", b"x" * limit))
    with pytest.raises(PermissionError):  # a third file's worth held at once
        files.add_file("clerk", Rec("e", b"x" * limit))
    assert sorted(files.file_storage["clerk"]) == ["a", "d"] and "visitor" not in files.file_storage


def test_every_role_with_an_uploader_may_upload_and_no_other():
    """A role whose pages have an uploader (values, proof, a campaign, users) has a limit; a
    role without one (a leader, finance) has none, so its session takes no file at all."""
    from dashboard.upload_guard import LIMITS
    from scoring.accounts.access import ACTIONS, ROLES

    uploading = {"enter_values", "add_evidence", "import_campaign", "manage_users"}
    expected = {r for r in ROLES if any(r in ACTIONS[a] for a in uploading)}
    assert set(LIMITS) == expected
