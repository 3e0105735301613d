"""One error type for every problem a user can cause: a list of located problems.

Every check collects its problems instead of stopping at the first; the CLI prints
them all, the dashboard shows them as a table (``CampaignError.frame``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from scoring.core.i18n import t

MAX_SHOWN_CHARS = 200  # of one value quoted in a message: a 200 MB cell is not echoed whole


def clip(value: Any) -> Any:
    """A text quoted in a message, cut to MAX_SHOWN_CHARS with its full length said."""
    if isinstance(value, str) and len(value) > MAX_SHOWN_CHARS:
        return f"{value[:MAX_SHOWN_CHARS]}…({len(value)})"
    return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what is wrong.

    ``row`` is the row a spreadsheet shows (header = 1, first data row = 2) or, for
    campaign.yaml, the line number when known. ``code`` names a message in the catalogue,
    ``params`` fill it in.
    """

    file: str
    row: int | None
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        params = {k: clip(v) for k, v in self.params.items()}
        words = (
            ("status", "state"),
            ("action", "action"),
            ("outcome", "state"),
            ("role", "role"),
            ("kind", "kind"),
        )
        for name, prefix in words:
            if isinstance(params.get(name), str):  # a workflow code, shown as its word
                word = t(f"{prefix}.{params[name]}", lang)
                params[name] = params[name] if word == f"{prefix}.{params[name]}" else word
        return t(f"problem.{self.code}", lang, **params)

    def render(self, lang: str = "zh") -> str:
        where = "" if self.file in STEPS else self.file
        if self.row is not None:
            where += ":" + t("where.row", lang, row=self.row)
        if self.column:
            where += ":" + t("where.column", lang, column=self.column)
        where = where.lstrip(":")
        return f"{where}: {self.message(lang)}" if where else self.message(lang)

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.row or 0, self.column or "", self.code)


# the steps a refusal not tied to a file is filed under: no file a person handed in, not shown
STEPS = frozenset(
    {"workflow", "objection", "database", "explain", "notice", "robustness", "source", "user", "grid", "set"}
    | {"campaign"}
)


class CampaignError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh", limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [p.render(lang) for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(t("cli.more_problems", lang, n=len(self.problems) - limit))
        return "\n".join(lines)

    def frame(self, lang: str = "zh") -> pl.DataFrame:
        """The problems as a table: file, row, column, problem."""
        return pl.DataFrame(
            {
                "file": [p.file for p in self.problems],
                "row": [p.row for p in self.problems],
                "column": [p.column for p in self.problems],
                "problem": [p.message(lang) for p in self.problems],
            },
            schema={"file": pl.String, "row": pl.Int64, "column": pl.String, "problem": pl.String},
        )


def refused(file: str, code: str, column: str | None = None, **params: Any) -> CampaignError:
    """A step refused for one reason not tied to a row (a workflow move, an objection)."""
    return CampaignError([Problem(file, None, column, code, params)])


# the longest text a person may type into one field: an objection and its response, and every
# reason, message, note and name of a step (the dashboard's inputs stop there too)
MAX_TEXT = 2000
MAX_REASON = 500


def bounded(file: str, column: str, text: str | None, limit: int = MAX_REASON) -> str | None:
    """``text`` when it is at most ``limit`` characters; else refused, naming the field."""
    if text is not None and len(text) > limit:
        raise refused(file, "text_too_long", column, n=limit, got=len(text))
    return text


def named(exc: CampaignError, names: dict[str, str]) -> CampaignError:
    """The problems with each indicator id they name (a parameter or the column) replaced by the
    indicator's name (``names``: id → name), as a Chinese reader is shown them."""

    def one(p: Problem) -> Problem:
        params = dict(p.params)
        if isinstance(params.get("indicator"), str) and params["indicator"] in names:
            params["indicator"] = names[params["indicator"]]
        column = names.get(p.column, p.column) if p.column else p.column
        return Problem(p.file, p.row, column, p.code, params)

    return CampaignError(one(p) for p in exc.problems)
