-- Grove store schema (SQLite 3.37 or later: STRICT tables, JSON functions).
--
-- This file is the readable source of truth for the fully migrated database. The migrations
-- in Sources/GroveStore/StoreSchema.swift build it ("v1" embeds this file as first released,
-- "v2" adds blob encodings), and Tests/GroveStoreTests/StoreSchemaTests.swift checks that a
-- migrated database has exactly the schema this file creates. A later change is a new
-- migration plus an edit here.
--
-- Conventions: ids are INTEGER PRIMARY KEY; timestamps are UTC text
-- "YYYY-MM-DD HH:MM:SS.SSS"; sha256 values are 64 lowercase hex digits; JSON arrays are text.
-- Rows describing a phase are only ever inserted, in one transaction per phase.

-- One named Mixture-of-Experts model with a fixed input dimension.
CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 128),
    input_dimension INTEGER NOT NULL CHECK (input_dimension > 0),
    labels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels) AND json_type(labels) = 'array'),
    created_at TEXT NOT NULL
) STRICT;

-- Content-addressed payloads: expert weights, gates, signatures, replay reservoirs, splits.
-- sha256 names the payload; data holds it as is (encoding 'identity') or deflated behind an
-- 8-byte little-endian payload length ('deflate'); size is the length of data as stored.
-- (The encoding column comes from migration "v2", which SQLite places after created_at.)
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY NOT NULL
        CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    kind TEXT NOT NULL
        CHECK (kind IN ('weights', 'gate', 'signature', 'replay', 'split', 'other')),
    size INTEGER NOT NULL CHECK (size >= 0),
    data BLOB NOT NULL,
    created_at TEXT NOT NULL,
    encoding TEXT NOT NULL DEFAULT 'identity' CHECK (encoding IN ('identity', 'deflate')),
    CHECK (length(data) = size)
) STRICT;

-- The queue. A dataset (by sha256) is submitted to a model at most once.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    model TEXT NOT NULL CHECK (length(model) BETWEEN 1 AND 128),
    dataset_sha256 TEXT NOT NULL
        CHECK (length(dataset_sha256) = 64 AND dataset_sha256 NOT GLOB '*[^0-9a-f]*'),
    source TEXT NOT NULL,
    labels_source TEXT,
    format TEXT,
    declared_domain TEXT,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    progress REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    progress_note TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    lease_owner TEXT,
    lease_expires_at TEXT,
    UNIQUE (model, dataset_sha256),
    CHECK (state <> 'failed' OR error IS NOT NULL),
    CHECK (state <> 'running' OR attempts > 0)
) STRICT;

CREATE INDEX jobs_by_state ON jobs (state, id);

-- Jobs per model and state, kept current by the triggers below, so that counting jobs
-- (GET /metrics, status) reads a few rows however long the history.
CREATE TABLE job_counts (
    model TEXT NOT NULL,
    state TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (model, state)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER job_counts_on_insert
AFTER INSERT ON jobs
BEGIN
    INSERT INTO job_counts (model, state, count) VALUES (NEW.model, NEW.state, 1)
    ON CONFLICT (model, state) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER job_counts_on_update
AFTER UPDATE OF model, state ON jobs
WHEN OLD.model IS NOT NEW.model OR OLD.state IS NOT NEW.state
BEGIN
    UPDATE job_counts SET count = count - 1 WHERE model = OLD.model AND state = OLD.state;
    INSERT INTO job_counts (model, state, count) VALUES (NEW.model, NEW.state, 1)
    ON CONFLICT (model, state) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER job_counts_on_delete
AFTER DELETE ON jobs
BEGIN
    UPDATE job_counts SET count = count - 1 WHERE model = OLD.model AND state = OLD.state;
END;

-- A data distribution a model has learned, with its detector signature.
CREATE TABLE domains (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    signature_sha256 TEXT REFERENCES blobs (sha256),
    created_job_id INTEGER REFERENCES jobs (id),
    created_at TEXT NOT NULL,
    UNIQUE (model_id, name)
) STRICT;

-- One learned dataset (the one a phase trained on).
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    job_id INTEGER NOT NULL UNIQUE REFERENCES jobs (id),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    format TEXT NOT NULL,
    sample_count INTEGER NOT NULL CHECK (sample_count > 0),
    feature_count INTEGER NOT NULL CHECK (feature_count > 0),
    class_count INTEGER NOT NULL CHECK (class_count > 0),
    train_count INTEGER NOT NULL CHECK (train_count >= 0),
    test_count INTEGER NOT NULL CHECK (test_count >= 0),
    split_seed INTEGER NOT NULL,
    signature_sha256 TEXT REFERENCES blobs (sha256),
    created_at TEXT NOT NULL,
    UNIQUE (model_id, sha256),
    CHECK (train_count + test_count = sample_count)
) STRICT;

-- The held-out part of a dataset, kept to evaluate its domain forever.
CREATE TABLE held_out_splits (
    dataset_id INTEGER PRIMARY KEY REFERENCES datasets (id),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    sample_count INTEGER NOT NULL CHECK (sample_count >= 0)
) STRICT;

CREATE INDEX held_out_splits_by_domain ON held_out_splits (domain_id);

-- A trained router. hidden_dimension = 0 means a linear gate.
CREATE TABLE gate_versions (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id),
    job_id INTEGER REFERENCES jobs (id),
    blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    input_dimension INTEGER NOT NULL CHECK (input_dimension > 0),
    hidden_dimension INTEGER NOT NULL CHECK (hidden_dimension >= 0),
    expert_count INTEGER NOT NULL CHECK (expert_count > 0),
    top_k INTEGER NOT NULL CHECK (top_k >= 1),
    created_at TEXT NOT NULL
) STRICT;

-- The immutable result of a phase (or a rollback, whose parent is the version it restores):
-- every expert created on its line of parents, plus its gate, and
-- the learner's whole state as a snapshot document (a blob naming other blobs).
-- expert_count and evaluation_count are written in the same transaction as the rows they
-- count, so a reader can check that a version is complete. The phase's step timings (seconds)
-- and gate steps come from migration "v5" (NULL for versions stored before).
CREATE TABLE model_versions (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    parent_id INTEGER REFERENCES model_versions (id),
    job_id INTEGER UNIQUE REFERENCES jobs (id),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    gate_version_id INTEGER NOT NULL REFERENCES gate_versions (id),
    expert_count INTEGER NOT NULL CHECK (expert_count >= 1),
    evaluation_count INTEGER NOT NULL CHECK (evaluation_count >= 0),
    snapshot_sha256 TEXT REFERENCES blobs (sha256),
    created_at TEXT NOT NULL,
    detect_seconds REAL CHECK (detect_seconds >= 0),
    train_experts_seconds REAL CHECK (train_experts_seconds >= 0),
    retrain_gate_seconds REAL CHECK (retrain_gate_seconds >= 0),
    evaluate_seconds REAL CHECK (evaluate_seconds >= 0),
    phase_seconds REAL CHECK (phase_seconds >= 0),
    gate_steps INTEGER CHECK (gate_steps >= 0),
    UNIQUE (model_id, number),
    CHECK ((number = 1) = (parent_id IS NULL))
) STRICT;

-- A small network for one domain, with its lineage. Weights never change once stored.
-- number is the expert's id within its model, as the learner, the API and predictions name it
-- (0, 1, 2, ... in creation order; migration "v4" added it after created_at and numbered the
-- experts already stored).
CREATE TABLE experts (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    parent_id INTEGER REFERENCES experts (id),
    created_job_id INTEGER REFERENCES jobs (id),
    created_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    frozen_job_id INTEGER REFERENCES jobs (id),
    frozen_version_id INTEGER REFERENCES model_versions (id),
    input_dimension INTEGER NOT NULL CHECK (input_dimension > 0),
    hidden_dimension INTEGER NOT NULL CHECK (hidden_dimension > 0),
    output_dimension INTEGER NOT NULL CHECK (output_dimension > 0),
    classes TEXT NOT NULL CHECK (json_valid(classes) AND json_type(classes) = 'array'),
    weights_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    checksum TEXT NOT NULL,
    created_at TEXT NOT NULL,
    number INTEGER CHECK (number >= 0),
    CHECK (parent_id IS NULL OR parent_id <> id)
) STRICT;

CREATE INDEX experts_by_parent ON experts (parent_id);
CREATE INDEX experts_by_version ON experts (model_id, created_version_id);
CREATE INDEX experts_by_domain ON experts (domain_id);
CREATE UNIQUE INDEX experts_by_number ON experts (model_id, number);

CREATE TRIGGER experts_keep_lineage_and_weights
BEFORE UPDATE OF id, model_id, domain_id, parent_id, created_version_id, weights_sha256, checksum, number
ON experts
BEGIN
    SELECT RAISE(ABORT, 'experts: lineage and weights are immutable');
END;

-- Migration "v6": a Grove from before "v4" opening an upgraded home cannot insert an expert
-- without its number.
CREATE TRIGGER experts_need_a_number
BEFORE INSERT ON experts
WHEN NEW.number IS NULL
BEGIN
    SELECT RAISE(ABORT, 'experts: every expert needs its number (this store was upgraded by a newer Grove)');
END;

-- The distribution detector's evidence for one phase. significance (the test's level) comes
-- from migration "v5" (NULL before); it stands where SQLite's ALTER TABLE puts it, right
-- before the closing parenthesis.
CREATE TABLE detections (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL UNIQUE REFERENCES jobs (id),
    dataset_id INTEGER NOT NULL UNIQUE REFERENCES datasets (id),
    model_version_id INTEGER NOT NULL UNIQUE REFERENCES model_versions (id),
    decision TEXT NOT NULL CHECK (decision IN ('new', 'known')),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    nearest_domain_id INTEGER REFERENCES domains (id),
    statistic REAL,
    p_value REAL CHECK (p_value BETWEEN 0 AND 1),
    declared_domain TEXT,
    contradicts_declaration INTEGER NOT NULL DEFAULT 0 CHECK (contradicts_declaration IN (0, 1)),
    created_at TEXT NOT NULL
    , significance REAL CHECK (significance > 0 AND significance < 1)) STRICT;

-- The detector's evidence against each domain it tested (migration "v5"; detections stored
-- before have none): the MMD² statistic and its permutation p-value.
CREATE TABLE detection_evidence (
    detection_id INTEGER NOT NULL REFERENCES detections (id),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    statistic REAL NOT NULL,
    p_value REAL NOT NULL CHECK (p_value BETWEEN 0 AND 1),
    PRIMARY KEY (detection_id, domain_id)
) STRICT, WITHOUT ROWID;

-- One measured value of a model version on a domain's held-out data. expert_id is set for
-- per-expert metrics such as load_share. Fractions are checked to lie in [0, 1].
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    metric TEXT NOT NULL CHECK (length(metric) BETWEEN 1 AND 64),
    expert_id INTEGER REFERENCES experts (id),
    value REAL NOT NULL,
    sample_count INTEGER NOT NULL CHECK (sample_count >= 0),
    CHECK (metric NOT IN ('accuracy', 'routing_accuracy', 'load_share') OR value BETWEEN 0 AND 1)
) STRICT;

CREATE UNIQUE INDEX evaluations_are_unique
    ON evaluations (model_version_id, domain_id, metric, ifnull(expert_id, 0));
CREATE INDEX evaluations_by_metric ON evaluations (metric, domain_id, model_version_id);

-- Samples of a domain kept to retrain the gate later, as of a model version.
CREATE TABLE replay_reservoirs (
    id INTEGER PRIMARY KEY,
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    domain_id INTEGER NOT NULL REFERENCES domains (id),
    blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    sample_count INTEGER NOT NULL CHECK (sample_count >= 0),
    UNIQUE (domain_id, model_version_id)
) STRICT;

-- The audit log: rows are appended, never changed or removed.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    message TEXT NOT NULL,
    job_id INTEGER REFERENCES jobs (id),
    model_version_id INTEGER REFERENCES model_versions (id)
) STRICT;

CREATE INDEX events_by_job ON events (job_id);
CREATE INDEX events_by_version ON events (model_version_id);

CREATE TRIGGER events_are_append_only_on_update
BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_are_append_only_on_delete
BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- What the watch on prediction inputs tested: each window of recent inputs, against the known
-- domains in the proportions its rows are nearest to, as of a model version.
CREATE TABLE drift_windows (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id),
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    tested_at TEXT NOT NULL,
    row_count INTEGER NOT NULL CHECK (row_count >= 2),
    statistic REAL NOT NULL,
    p_value REAL NOT NULL CHECK (p_value BETWEEN 0 AND 1),
    fits INTEGER NOT NULL CHECK (fits IN (0, 1)),
    nearest_domain_id INTEGER REFERENCES domains (id),
    median_novelty REAL NOT NULL CHECK (median_novelty >= 0)
) STRICT;

CREATE INDEX drift_windows_by_model ON drift_windows (model_id, id);

-- A drift: windows in a row that fit no mix of the known domains. Their rows, the candidate
-- dataset, are a blob of float32 little-endian values, feature_count to a row.
CREATE TABLE drift_events (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models (id),
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
    detected_at TEXT NOT NULL,
    first_window_id INTEGER NOT NULL REFERENCES drift_windows (id),
    last_window_id INTEGER NOT NULL REFERENCES drift_windows (id),
    statistic REAL NOT NULL,
    p_value REAL NOT NULL CHECK (p_value BETWEEN 0 AND 1),
    nearest_domain_id INTEGER REFERENCES domains (id),
    candidate_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    candidate_rows INTEGER NOT NULL CHECK (candidate_rows >= 1),
    feature_count INTEGER NOT NULL CHECK (feature_count >= 1),
    CHECK (first_window_id <= last_window_id)
) STRICT;

CREATE INDEX drift_events_by_model ON drift_events (model_id, id);
