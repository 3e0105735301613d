"""The year's office work as the pages use it: the states and moves of periods, towns and the
year, lock exceptions and deadlines, objections, the 公示's notice, the audit trail's rows and
the re-check of the record (``scoring.workflow``, ``scoring.audit``, and their views in
``scoring.outputs``). The dashboard imports these from here, never from the
layers below."""

from __future__ import annotations

from scoring.audit.verify import verify
from scoring.outputs.audit_view import audit_view
from scoring.outputs.notice import notice_html
from scoring.outputs.status import (
    exceptions_view,
    matrix_view,
    objections_view,
    periods_view,
    town_name,
    year_line,
)
from scoring.store.trail import history
from scoring.workflow import locks, periods, towns
from scoring.workflow.locks import deadlines, exceptions
from scoring.workflow.outliers import OutlierWarning
from scoring.workflow.periods import statuses
from scoring.workflow.states import LOCKED, due_period, town_matrix
from scoring.workflow.year import (
    handle_objection,
    move_year,
    objection_counts,
    objections,
    record_objection,
    year_final,
    year_status,
)

__all__ = [
    "LOCKED",
    "OutlierWarning",
    "audit_view",
    "deadlines",
    "due_period",
    "exceptions",
    "exceptions_view",
    "handle_objection",
    "history",
    "locks",
    "matrix_view",
    "move_year",
    "notice_html",
    "objection_counts",
    "objections",
    "objections_view",
    "periods",
    "periods_view",
    "record_objection",
    "statuses",
    "town_matrix",
    "town_name",
    "towns",
    "verify",
    "year_final",
    "year_line",
    "year_status",
]
