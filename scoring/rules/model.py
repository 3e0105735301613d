"""The rules of a campaign (campaign.yaml) as frozen pydantic models.

Rules are data: this module parses and checks them and never touches the database.
Numbers are read from the YAML text as written (``Decimal``), never through binary
floating point, so ``0.1`` in the file is exactly one tenth in the engine.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scoring.core.localtime import DEFAULT_ZONE

FORMAT = "starscore/1"
VALUE_SCALE = 9  # decimal places kept for values and thresholds
MONEY_SCALE = 2  # yuan are exact to the fen
SHARE_SCALE = 9  # secretary_share decimals
MAX_ABS_VALUE = Decimal(10) ** 12
MAX_POINTS = Decimal(10000)

Kind = Literal["score", "linear", "tiers", "bonus", "penalty", "veto", "relative", "rank_points"]
KINDS: tuple[str, ...] = ("score", "linear", "tiers", "bonus", "penalty", "veto", "relative", "rank_points")
# kinds whose points depend on the other units of the category (the field), not on the value alone
FIELD_KINDS: tuple[str, ...] = ("relative", "rank_points")
# fields of an indicator written only when given, so that rules written before they existed
# keep their hash (and their runs)
_LATER_INDICATOR_FIELDS = ("method", "better", "points_by_rank", "rest", "each", "not_applicable")
# the kinds whose maxima make a unit's base (step 2): an item of these may not apply to a unit
BASE_KINDS: tuple[str, ...] = ("score", "linear", "tiers", "relative", "rank_points")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)


class CampaignInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", coerce_numbers_to_str=True)
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    year: int | None = None
    periods: list[str] = Field(min_length=1)
    objection_days: int = Field(default=5, ge=0)
    contact: str | None = None  # the public notice's contact line (公示联系方式)
    timezone: str = DEFAULT_ZONE  # times are shown and windows counted in this zone
    # period → entry deadline, local ("2026-04-10": entry closes when that day ends)
    deadlines: dict[str, str] = Field(default_factory=dict)

    @field_validator("deadlines", mode="before")
    @classmethod
    def _dates_as_text(cls, value: Any) -> Any:
        """YAML reads 2026-04-10 as a date: keep it as the text it was written as."""
        if not isinstance(value, dict):
            return value
        return {
            str(k): v.strftime("%Y-%m-%d %H:%M")
            if isinstance(v, datetime)
            else v.isoformat()
            if isinstance(v, date)
            else v
            for k, v in value.items()
        }


class Category(_Model):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)


class Tier(_Model):
    min: Decimal | None = None
    max: Decimal | None = None
    points: Decimal


class Indicator(_Model):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: Kind
    area: str | None = None
    unit: str | None = None
    categories: list[str] | None = None
    points: Decimal | None = None
    floor: Decimal | None = None
    target: Decimal | None = None
    tiers: list[Tier] | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    # relative (按比例折算): ratio to the field's best, or min-max; better: higher or lower
    method: Literal["ratio", "minmax"] | None = None
    better: Literal["higher", "lower"] | None = None
    # rank_points (按排名赋分): points of the 1st, 2nd, … place; rest: every later place
    points_by_rank: list[Decimal] | None = None
    rest: Decimal | None = None
    # bonus and penalty (每发生一起扣2分，扣完为止): the value is a count, each worth this many
    # points, up to ``points``
    each: Decimal | None = None
    # the base kinds (不涉及的项目按得分率折算): a unit may have 不涉及 as its value
    not_applicable: Literal["allowed"] | None = None
    # 须上传佐证材料: a cell of this indicator is counted on the approval page while it has no proof
    evidence: Literal["required"] | None = None

    @property
    def needs_proof(self) -> bool:
        """Whether every cell of this indicator should have a proof file (佐证材料)."""
        return self.evidence == "required"

    @property
    def counted(self) -> bool:
        """A bonus or penalty given as a count of occurrences (``each`` points apiece)."""
        return self.each is not None

    @property
    def may_not_apply(self) -> bool:
        """Whether a unit may have 不涉及 as this item's value."""
        return self.not_applicable == "allowed"

    @property
    def lower_is_better(self) -> bool:
        """For relative and rank_points: the smaller value is the better one."""
        return self.better == "lower"

    @property
    def ratio(self) -> bool:
        """For relative: ratio to the field's best (the default) rather than min-max."""
        return self.method != "minmax"

    @property
    def field_kind(self) -> bool:
        """Points that depend on the category's other units this period, not the value alone."""
        return self.kind in FIELD_KINDS

    def applies_to(self, category: str) -> bool:
        return self.categories is None or category in self.categories

    @property
    def max_points(self) -> Decimal:
        """The most points this indicator can give (0 for penalty and veto)."""
        if self.kind in ("score", "linear", "bonus", "relative"):
            return self.points or Decimal(0)
        if self.kind == "rank_points":
            return max([*(self.points_by_rank or []), self.rest or Decimal(0)])
        if self.kind == "tiers":
            return max((tier.points for tier in self.tiers or []), default=Decimal(0))
        return Decimal(0)


class Survey(_Model):
    """A residents' survey (群众满意度) that supplies one indicator's values (surveys.csv)."""

    indicator: str = Field(min_length=1)
    scale: list[Decimal] = Field(min_length=2, max_length=2)
    measure: Literal["mean", "share"] = "mean"
    satisfied_from: Decimal | None = None
    min_responses: int = Field(default=1, ge=1)

    @property
    def low(self) -> Decimal:
        return self.scale[0]

    @property
    def high(self) -> Decimal:
        return self.scale[1]


NO_ANSWER = ("不了解", "不清楚", "说不清", "无法评价")
EXCLUDED_WORDS = ("无效", "剔除", "excluded")  # a survey sheet kept but not counted
COUNTED_WORDS = ("", "有效", "counted", "included")  # a survey sheet counted
# a source's fields written to the stored rules only when not their default, as before they existed
_LATER_SOURCE_DEFAULTS: dict[str, object] = {
    "no_answer": list(NO_ANSWER),
    "excluded": list(EXCLUDED_WORDS),
    "counted": list(COUNTED_WORDS),
    "ip_column": None,
    "time_column": None,
    "repeat_minutes": 30,
    "town_column": None,
    "dash": "missing",
    "incomplete": "wait",
}
MONTH_SLOT = "{month}"  # in a source column's header: the month, one column per month


class SourceColumn(_Model):
    """One indicator a department's file supplies: in a wide file the column's header, in a
    long file the text of the indicator column; its values are multiplied by ``factor``
    (10000 turns 万元 into 元) and, for monthly rows, gathered into periods by ``months``.

    A header with ``{month}`` in it (``{month}``, ``{month}办件数``) is a family of columns, one
    per month (1月, 2月… or 2023年1月…): a table with the months across."""

    column: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    factor: Decimal = Decimal(1)
    months: Literal["sum", "mean", "last"] | None = None

    @property
    def by_month(self) -> bool:
        return MONTH_SLOT in self.column


class Source(_Model):
    """A department's own export (一套表): the file as the department sends it, mapped onto
    the campaign's units, periods and indicators."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    department: str = Field(min_length=1)
    # wide: a row per unit, a column per indicator; long: a row per unit and indicator;
    # survey: a survey tool's export, a row per respondent and a column per item (its columns
    # are the items of surveyed indicators)
    shape: Literal["wide", "long", "survey"] = "wide"
    unit_column: str = Field(min_length=1)
    unit_by: Literal["id", "name"] = "name"
    aliases: dict[str, str] = Field(default_factory=dict)  # a name as written → the unit's id
    unmatched: Literal["error", "skip"] = "error"
    period_column: str | None = None  # absent: the period (or the month) is given per upload
    # rows are months, gathered into the campaign's periods: sum, mean or the last month's value
    months: Literal["sum", "mean", "last"] | None = None
    # a period's months, where its label does not say them (2023Q1 says 2023-01..2023-03)
    period_months: dict[str, list[str]] = Field(default_factory=dict)
    indicator_column: str | None = None  # long files: the column naming the indicator
    value_column: str | None = None  # long files: the column holding the value
    respondent_column: str | None = None  # survey: the column numbering the answer sheets
    status_column: str | None = None  # survey: the column marking a sheet 无效 (not counted)
    answers: dict[str, Decimal] = Field(default_factory=dict)  # survey: 满意 → 4, as scored
    # survey: the words a respondent writes for "no answer" to an item (the item is then not
    # answered on that sheet, as an empty cell is), which every real export has
    no_answer: list[str] = Field(default_factory=lambda: list(NO_ANSWER))
    # survey: the status column's words for a sheet kept but not counted, and for one counted;
    # a word in neither is refused by row (as surveys.csv refuses one)
    excluded: list[str] = Field(default_factory=lambda: list(EXCLUDED_WORDS))
    counted: list[str] = Field(default_factory=lambda: list(COUNTED_WORDS))
    # survey: the columns that tell possible repeated sheets (the sender's IP, the time sent):
    # sheets of one unit with the same IP and answers within ``repeat_minutes`` are listed
    ip_column: str | None = None
    time_column: str | None = None
    repeat_minutes: int = Field(default=30, ge=0, le=24 * 60)
    # the column naming the unit's town (乡镇/街道), telling apart units that share a name
    town_column: str | None = None
    # monthly: what a dash (—, -, /) in a month's cell means: no figure (missing) or 0 (zero);
    # and when a month of a period has no figure, whether the period waits for it (wait) or is
    # made from the months that have one (present), once every month is delivered
    dash: Literal["missing", "zero"] = "missing"
    incomplete: Literal["wait", "present"] = "wait"
    columns: list[SourceColumn] = Field(min_length=1)

    @property
    def monthly(self) -> bool:
        return self.months is not None or any(c.months is not None or c.by_month for c in self.columns)

    @property
    def months_across(self) -> bool:
        """The months are columns (a row per unit, a column per month), not rows."""
        return any(c.by_month for c in self.columns)

    def how(self, column: SourceColumn) -> str:
        """How a column's months are gathered into a period (the column's own, else the source's)."""
        return column.months or self.months or "sum"


class Ranking(_Model):
    tie_break: list[str] = Field(default_factory=list)


class StarLevel(_Model):
    stars: int = Field(ge=1)
    min_score: Decimal | None = None
    max_share: Decimal | None = None


class Flags(_Model):
    top_n: int = Field(ge=1)
    min_score: Decimal = Decimal(0)


class ProgressAward(_Model):
    """进步奖 (spec step 9): inside each category, the units whose gain over last year's result
    (baseline.csv) places them ≤ ``top_n`` earn ``amount`` on top of stars and flags. The gain
    is last year's annual rank minus this year's (``by: rank``) or this year's annual score
    minus last year's (``by: score``)."""

    by: Literal["rank", "score"] = "rank"
    top_n: int = Field(ge=1)
    amount: Decimal


class Awards(_Model):
    stars: dict[int, Decimal] = Field(default_factory=dict)
    flag: Decimal = Decimal(0)
    community_cap: Decimal | None = None
    secretary_share: Decimal = Decimal(0)
    secretary_cap: Decimal | None = None
    budget: Decimal | None = None
    rounding: Decimal = Decimal(1)
    progress: ProgressAward | None = None


class Rules(BaseModel):
    """A whole campaign.yaml."""

    model_config = ConfigDict(frozen=True, extra="ignore", coerce_numbers_to_str=True)
    format: str
    campaign: CampaignInfo
    annual_score: Literal["mean", "sum"] = "mean"
    missing: Literal["error", "zero"] = "error"
    categories: list[Category] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    ranking: Ranking = Field(default_factory=Ranking)
    stars: list[StarLevel] = Field(default_factory=list)
    flags: Flags | None = None
    awards: Awards = Field(default_factory=Awards)
    surveys: list[Survey] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)

    @property
    def id(self) -> str:
        return self.campaign.id

    @property
    def periods(self) -> list[str]:
        return self.campaign.periods

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def survey(self, indicator_id: str) -> Survey | None:
        """The survey that supplies this indicator's values, if one does."""
        return next((s for s in self.surveys if s.indicator == indicator_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def departments(self) -> list[str]:
        """The departments that own a source, in the order they are first declared."""
        return list(dict.fromkeys(s.department for s in self.sources))

    def stars_by_level(self) -> list[StarLevel]:
        """Star levels from the most stars down (the order step 8 tries them)."""
        return sorted(self.stars, key=lambda s: -s.stars)

    def canonical_json(self) -> str:
        """The rules as sorted JSON; the campaign's time zone and deadlines, the indicators'
        later fields and the surveys only when given, so that rules written before those fields
        existed keep their hash (and their runs)."""
        dumped = self.model_dump(mode="json")
        info = dumped["campaign"]
        if info["timezone"] == DEFAULT_ZONE:
            del info["timezone"]
        if not info["deadlines"]:
            del info["deadlines"]
        for ind in dumped["indicators"]:
            for key in _LATER_INDICATOR_FIELDS:
                if ind[key] is None:
                    del ind[key]
        if not dumped["surveys"]:
            del dumped["surveys"]
        for source in dumped["sources"]:  # written only when not the default, as it was before
            for key, default in _LATER_SOURCE_DEFAULTS.items():
                if source.get(key) == default:
                    del source[key]
        if not dumped["sources"]:
            del dumped["sources"]
        return json.dumps(dumped, ensure_ascii=False, sort_keys=True)

    def rules_hash(self) -> str:
        """The hash of the scoring rules. The sources are left out: they say how departments'
        files are read, not how a value is scored, so declaring one never makes a run stale."""
        dumped = json.loads(self.canonical_json())
        dumped.pop("sources", None)
        text = json.dumps(dumped, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()
