"""The store's tables: what one DuckDB file keeps for every campaign, and the schema version.

Rules are kept both as canonical JSON and as small tables the scoring SQL joins against;
values by integer keys; each scoring run's results keyed by the run; the audit and workflow
logs append-only (their rows hash-chained, ``scoring.store.seal``); the workflow's current
state beside them: each period's, each town's within a period, the year's, and the lock
exceptions, deadlines and objections an office records.
"""

from __future__ import annotations

SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
  campaign_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, year INTEGER,
  rules_json VARCHAR NOT NULL, rules_hash VARCHAR NOT NULL,
  imported_at TIMESTAMP NOT NULL, source VARCHAR);
CREATE TABLE IF NOT EXISTS periods (
  campaign_id VARCHAR, period VARCHAR, period_no INTEGER, PRIMARY KEY (campaign_id, period));
CREATE TABLE IF NOT EXISTS categories (
  campaign_id VARCHAR, category VARCHAR, category_name VARCHAR, category_no INTEGER,
  PRIMARY KEY (campaign_id, category));
CREATE TABLE IF NOT EXISTS indicators (
  campaign_id VARCHAR, indicator_id VARCHAR, indicator_no INTEGER, name VARCHAR, area VARCHAR,
  unit VARCHAR, kind VARCHAR, points DECIMAL(38,9), floor DECIMAL(38,9), target DECIMAL(38,9),
  min_value DECIMAL(38,9), max_value DECIMAL(38,9), max_points DECIMAL(38,9),
  PRIMARY KEY (campaign_id, indicator_id));
CREATE TABLE IF NOT EXISTS applies (
  campaign_id VARCHAR, indicator_id VARCHAR, category VARCHAR);
CREATE TABLE IF NOT EXISTS tiers (
  campaign_id VARCHAR, indicator_id VARCHAR, tier_no INTEGER, tier_min DECIMAL(38,9),
  tier_max DECIMAL(38,9), tier_points DECIMAL(38,9));
CREATE TABLE IF NOT EXISTS rank_points (
  campaign_id VARCHAR, indicator_id VARCHAR, place INTEGER, place_points DECIMAL(38,9));
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS method VARCHAR;
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS better VARCHAR;
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS rest DECIMAL(38,9);
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS each DECIMAL(38,9);
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS na_allowed BOOLEAN;
-- last year's result of each unit (baseline.csv, or another stored campaign's year): the
-- progress award's gain is measured against it
CREATE TABLE IF NOT EXISTS baselines (
  campaign_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL, annual_score DECIMAL(38,9),
  annual_rank INTEGER);
-- residents' survey answers as imported (the values they supply are among the values)
CREATE TABLE IF NOT EXISTS survey_answers (
  campaign_id VARCHAR, unit_id VARCHAR, period VARCHAR, indicator_id VARCHAR,
  respondent_id VARCHAR, item VARCHAR, answer DECIMAL(38,9), status VARCHAR,
  source_row INTEGER);
CREATE TABLE IF NOT EXISTS tie_break (
  campaign_id VARCHAR, indicator_id VARCHAR, tb_no INTEGER);
-- no primary key: the checks refuse a repeated unit id before anything is stored, and the
-- key's index cost a national import 1.0 s (databases made before keep theirs)
CREATE TABLE IF NOT EXISTS units (
  campaign_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL, name VARCHAR, category VARCHAR,
  town VARCHAR, households BIGINT, secretary_id VARCHAR, secretary_name VARCHAR);
CREATE TABLE IF NOT EXISTS secretaries (
  campaign_id VARCHAR, unit_id VARCHAR, period VARCHAR, secretary_id VARCHAR,
  secretary_name VARCHAR);
ALTER TABLE units ADD COLUMN IF NOT EXISTS unit_no INTEGER;
ALTER TABLE campaigns ADD COLUMN IF NOT EXISTS key_no INTEGER;
CREATE SEQUENCE IF NOT EXISTS campaign_key_seq;
CREATE SEQUENCE IF NOT EXISTS entry_seq;
-- INTEGER keys, not SMALLINT: DuckDB writes 84 M SMALLINT keys to the file 0.8 s slower
-- (databases made before keep SMALLINT; values are cast as they are inserted)
CREATE TABLE IF NOT EXISTS value_cells (
  campaign_key INTEGER NOT NULL, unit_no INTEGER NOT NULL, period_no INTEGER NOT NULL,
  indicator_no INTEGER NOT NULL,
  value DECIMAL(38,9) NOT NULL, entry_no BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS value_entries (
  entry_no BIGINT NOT NULL, campaign_id VARCHAR, entered_by VARCHAR, note VARCHAR,
  entered_at TIMESTAMP);
CREATE SEQUENCE IF NOT EXISTS audit_seq;
CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT NOT NULL, campaign_id VARCHAR, unit_id VARCHAR, period VARCHAR,
  indicator_id VARCHAR, old_value DECIMAL(38,9), new_value DECIMAL(38,9), action VARCHAR,
  who VARCHAR, logged_at TIMESTAMP, reason VARCHAR, source VARCHAR);
CREATE TABLE IF NOT EXISTS period_status (
  campaign_id VARCHAR, period VARCHAR, status VARCHAR NOT NULL, changed_by VARCHAR,
  changed_at TIMESTAMP, reason VARCHAR, objection_ends TIMESTAMP, run_id VARCHAR,
  PRIMARY KEY (campaign_id, period));
CREATE TABLE IF NOT EXISTS workflow_log (
  seq BIGINT NOT NULL, campaign_id VARCHAR, period VARCHAR, from_status VARCHAR,
  to_status VARCHAR, who VARCHAR, logged_at TIMESTAMP, reason VARCHAR, run_id VARCHAR);
CREATE TABLE IF NOT EXISTS users (
  username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL, role VARCHAR NOT NULL,
  towns VARCHAR[], areas VARCHAR[], disabled BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR PRIMARY KEY, campaign_id VARCHAR, rules_hash VARCHAR, data_hash VARCHAR,
  engine_version VARCHAR, computed_at TIMESTAMP, summary_json VARCHAR);
CREATE TABLE IF NOT EXISTS points (
  run_id VARCHAR, period VARCHAR, unit_id VARCHAR, indicator_id VARCHAR,
  value DECIMAL(38,9), points DECIMAL(18,2));
CREATE TABLE IF NOT EXISTS period_results (
  run_id VARCHAR, period VARCHAR, category VARCHAR, unit_id VARCHAR, score DECIMAL(18,2),
  rank INTEGER, flag BOOLEAN, vetoed BOOLEAN);
CREATE TABLE IF NOT EXISTS annual_results (
  run_id VARCHAR, category VARCHAR, unit_id VARCHAR, annual_score DECIMAL(18,2),
  annual_rank INTEGER, stars INTEGER, flags INTEGER, vetoed BOOLEAN);
ALTER TABLE annual_results ADD COLUMN IF NOT EXISTS progress BOOLEAN;
ALTER TABLE campaigns ADD COLUMN IF NOT EXISTS data_hash VARCHAR;
ALTER TABLE campaigns ADD COLUMN IF NOT EXISTS data_digest VARCHAR;
CREATE TABLE IF NOT EXISTS payouts (
  run_id VARCHAR, payee_type VARCHAR, payee_id VARCHAR, payee_name VARCHAR,
  gross_num HUGEINT, capped_num HUGEINT, final_fen HUGEINT, denominator HUGEINT,
  detail_json VARCHAR);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS town_status (
  campaign_id VARCHAR, period VARCHAR, town VARCHAR, status VARCHAR NOT NULL, changed_by VARCHAR,
  changed_at TIMESTAMP, message VARCHAR, PRIMARY KEY (campaign_id, period, town));
CREATE TABLE IF NOT EXISTS town_log (
  seq BIGINT NOT NULL, campaign_id VARCHAR, period VARCHAR, town VARCHAR, from_status VARCHAR,
  to_status VARCHAR, who VARCHAR, logged_at TIMESTAMP, message VARCHAR);
CREATE SEQUENCE IF NOT EXISTS exception_seq;
CREATE TABLE IF NOT EXISTS lock_exceptions (
  exception_no BIGINT PRIMARY KEY, campaign_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
  town VARCHAR, unit_id VARCHAR, indicator_id VARCHAR, reason VARCHAR NOT NULL,
  granted_by VARCHAR, granted_at TIMESTAMP, closed_by VARCHAR, closed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS deadlines (
  campaign_id VARCHAR, period VARCHAR, deadline TIMESTAMP, set_by VARCHAR, set_at TIMESTAMP,
  reason VARCHAR, PRIMARY KEY (campaign_id, period));
CREATE TABLE IF NOT EXISTS year_status (
  campaign_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, changed_by VARCHAR,
  changed_at TIMESTAMP, objection_ends TIMESTAMP, run_id VARCHAR);
CREATE SEQUENCE IF NOT EXISTS objection_seq;
-- departments' deliveries of their sources: one row per delivery and period it covers, and the
-- monthly values delivered (a period's value is made from them once its months are all there)
CREATE SEQUENCE IF NOT EXISTS delivery_seq;
CREATE TABLE IF NOT EXISTS source_deliveries (
  delivery_no BIGINT NOT NULL, campaign_id VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
  period VARCHAR NOT NULL, file VARCHAR, file_sha256 VARCHAR, rows_read INTEGER,
  values_written INTEGER, months VARCHAR[], delivered_by VARCHAR, delivered_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS source_months (
  campaign_id VARCHAR NOT NULL, source_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL,
  indicator_id VARCHAR NOT NULL, month VARCHAR NOT NULL, value DECIMAL(38,9) NOT NULL,
  delivery_no BIGINT, source_row INTEGER);
-- a month delivered with no figure (a dash), kept so that a period made from the months present
-- knows the month was delivered
ALTER TABLE source_months ALTER COLUMN value DROP NOT NULL;
-- the objection an exception was granted to correct (a correction killed on its way is then
-- finished or undone by scoring.app.corrections.finish_corrections)
ALTER TABLE lock_exceptions ADD COLUMN IF NOT EXISTS objection_no BIGINT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS departments VARCHAR[];
-- a unit account's villages and communities (role unit: it sees and self-assesses only these)
ALTER TABLE users ADD COLUMN IF NOT EXISTS units VARCHAR[];
CREATE TABLE IF NOT EXISTS objections (
  objection_no BIGINT PRIMARY KEY, campaign_id VARCHAR NOT NULL, period VARCHAR,
  unit_id VARCHAR NOT NULL, raised_by VARCHAR NOT NULL, text VARCHAR NOT NULL,
  received_at TIMESTAMP NOT NULL, recorded_by VARCHAR, recorded_at TIMESTAMP,
  outcome VARCHAR NOT NULL DEFAULT 'pending', response VARCHAR, correction VARCHAR,
  handled_by VARCHAR, handled_at TIMESTAMP);
-- a unit's proof (佐证材料): each file kept once by its SHA-256 (inside the database, so that a
-- backup carries it and verify rehashes it), and each time a unit gave it for an indicator
CREATE TABLE IF NOT EXISTS evidence_blobs (
  sha256 VARCHAR PRIMARY KEY, data BLOB NOT NULL, size BIGINT NOT NULL);
CREATE SEQUENCE IF NOT EXISTS evidence_seq;
CREATE TABLE IF NOT EXISTS evidence (
  evidence_no BIGINT PRIMARY KEY, campaign_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL,
  period VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
  name VARCHAR NOT NULL, kind VARCHAR NOT NULL, size BIGINT NOT NULL, note VARCHAR,
  added_by VARCHAR NOT NULL, added_at TIMESTAMP NOT NULL, removed_by VARCHAR,
  removed_at TIMESTAMP, removed_reason VARCHAR);
-- a unit's self-assessment (自评): its own value per cell, and its one reply to an assessed
-- value that differs from it
CREATE TABLE IF NOT EXISTS self_scores (
  campaign_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
  indicator_id VARCHAR NOT NULL, value DECIMAL(38,9), entered_by VARCHAR NOT NULL,
  entered_at TIMESTAMP NOT NULL, PRIMARY KEY (campaign_id, unit_id, period, indicator_id));
CREATE TABLE IF NOT EXISTS self_replies (
  campaign_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
  indicator_id VARCHAR NOT NULL, text VARCHAR NOT NULL, replied_by VARCHAR NOT NULL,
  replied_at TIMESTAMP NOT NULL, PRIMARY KEY (campaign_id, unit_id, period, indicator_id));
CREATE TABLE IF NOT EXISTS sessions (
  token_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
  last_seen TIMESTAMP NOT NULL);
"""
# the schema's version: 2 added the meta table (databases without it are version 1), 3 the
# per-row hash chain of the audit trail (audit_hashes, in place of 2's block seals), 4 the
# town-by-town workflow, lock exceptions, deadlines, the year's publication and objections (an
# older program must not open it and ignore those locks), 5 the kinds relative and rank_points
# (rank_points' places) and residents' survey answers (survey_answers), 6 the departments'
# deliveries (source_deliveries, source_months) and users' departments, 7 counts, items that
# do not apply and last year's results (baselines), 8 a department's month delivered with no
# figure (source_months.value may be NULL), the objection a lock exception corrects and units'
# evidence (evidence, evidence_blobs) and self-assessment (self_scores, self_replies), 9 unit
# accounts (users.units: a village's or community's own account); a database of a later
# version is refused with a clear message, never half-read
SCHEMA_VERSION = 9
TABLES = (
    "campaigns",
    "periods",
    "categories",
    "indicators",
    "applies",
    "tiers",
    "tie_break",
    "rank_points",
    "units",
    "secretaries",
    "value_cells",
    "value_entries",
    "audit_log",
    "period_status",
    "workflow_log",
    "users",
    "runs",
    "points",
    "period_results",
    "annual_results",
    "payouts",
    "meta",
    "audit_hashes",
    "audit_head",
    "town_status",
    "town_log",
    "lock_exceptions",
    "deadlines",
    "year_status",
    "objections",
    "survey_answers",
    "source_deliveries",
    "source_months",
    "baselines",
    "evidence",
    "evidence_blobs",
    "self_scores",
    "self_replies",
)
# tables a backup written by an earlier schema version may lack
LATER_TABLES = frozenset(
    {"meta", "audit_hashes", "audit_head", "town_status", "town_log", "lock_exceptions"}
    | {"deadlines", "year_status", "objections", "rank_points", "survey_answers"}
    | {"source_deliveries", "source_months", "baselines", "evidence", "evidence_blobs"}
    | {"self_scores", "self_replies"}
)

RULE_TABLES = ("periods", "categories", "indicators", "applies", "tiers", "tie_break", "rank_points")
RESULT_TABLES = ("points", "period_results", "annual_results", "payouts")
