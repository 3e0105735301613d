"""One campaign as every step works on it: the connection, the campaign's id, its rules parsed
once per version, and its time zone.

A command or a page builds it once (``open_campaign``) and hands it down. The rules are parsed
from their stored JSON at most once per version in a process: the parse is keyed by the SHA-256
of the JSON text itself, so a new import (or a change made around the product) is read again,
and an unchanged campaign is never parsed twice.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import duckdb

from scoring.core.errors import CampaignError, Problem
from scoring.rules.model import Rules

_PARSED: OrderedDict[str, Rules] = OrderedDict()  # SHA-256 of a rules JSON → its parse
_KEEP = 32  # versions kept (a few campaigns, a few versions each)
_LOCK = threading.Lock()


def parsed_rules(text: str) -> Rules:
    """The rules of a stored JSON text, parsed once per text (rules are frozen: shared safely)."""
    key = hashlib.sha256(text.encode()).hexdigest()
    with _LOCK:
        if key in _PARSED:
            _PARSED.move_to_end(key)
            return _PARSED[key]
    rules = Rules.model_validate(json.loads(text))
    with _LOCK:
        _PARSED[key] = rules
        while len(_PARSED) > _KEEP:
            _PARSED.popitem(last=False)
    return rules


def remember_rules(text: str, rules: Rules) -> None:
    """Keep ``rules`` as the parse of ``text`` (their canonical JSON, as just stored): an import
    that already holds its rules never parses them again."""
    with _LOCK:
        _PARSED[hashlib.sha256(text.encode()).hexdigest()] = rules
        while len(_PARSED) > _KEEP:
            _PARSED.popitem(last=False)


def load_rules_from_db(con: duckdb.DuckDBPyConnection, cid: str) -> Rules:
    """The campaign's stored rules (one small read; parsed once per version)."""
    row = con.execute("SELECT rules_json FROM campaigns WHERE campaign_id = ?", [cid]).fetchall()
    if not row:
        raise CampaignError([Problem("database", None, None, "unknown_campaign", {"id": cid})])
    return parsed_rules(str(row[0][0]))


def stored_rules_hash(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    """The fingerprint of the campaign's stored rules (what a run of them is known by)."""
    return load_rules_from_db(con, cid).rules_hash()


@dataclass(frozen=True)
class Campaign:
    """A campaign opened on a connection: what a use case needs instead of ``(con, cid)``."""

    con: duckdb.DuckDBPyConnection
    id: str
    rules: Rules

    @property
    def zone(self) -> str:
        """The campaign's time zone (deadlines and the 公示's times are its local times)."""
        return self.rules.campaign.timezone


def open_campaign(con: duckdb.DuckDBPyConnection, cid: str) -> Campaign:
    """The campaign ``cid`` on ``con``, its rules read once (a clear error when it is unknown)."""
    return Campaign(con, cid, load_rules_from_db(con, cid))
