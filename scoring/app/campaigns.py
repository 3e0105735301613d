"""Campaigns as the pages use them: opening the database, reading, trying and importing a
campaign's folder, removing one never used, and building the demo (``scoring.ingest``,
``scoring.store``, ``scoring.samples``). The dashboard imports these from here, never from the
layers below."""

from __future__ import annotations

from scoring.ingest.upload import unpack
from scoring.ingest.validate import read_campaign
from scoring.samples.demo import write_demo
from scoring.store.campaign import Campaign, open_campaign
from scoring.store.db import connect, now, release
from scoring.store.lifecycle import never_used

__all__ = [
    "Campaign",
    "connect",
    "never_used",
    "now",
    "open_campaign",
    "read_campaign",
    "release",
    "unpack",
    "write_demo",
]
