import Foundation
import GroveStore
import Logging
import PostgresNIO

/// The PostgreSQL store's schema and the migrations that create it.
///
/// ``v1`` is `schemas/store.postgres.sql` as first released (embedded: SwiftPM resources would
/// need a manifest change) and never changes. A schema change is a new named migration
/// appended to ``migrations``, plus the same change in `schemas/store.postgres.sql`, which
/// always describes the fully migrated database; `PostgresSchemaTests` fails when the two
/// drift apart. Applied migrations are listed in `grove_schema_migrations`.
enum PostgresSchema {
    /// Every migration, oldest first: a name and its SQL script.
    static let migrations: [(name: String, sql: String)] = [("v1", v1), ("v2", v2), ("v3", v3)]

    /// The advisory lock that serialises migrations of one database across processes.
    static let migrationLock: Int64 = 0x4772_6F76_6553_514C

    /// Brings the database up to date: each missing migration runs in a transaction of its
    /// own, under a session advisory lock, so that workers starting together migrate once.
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when a newer Grove has migrated the database.
    static func migrate(_ connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_lock(\(migrationLock))", logger: logger)
        do {
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS grove_schema_migrations (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            let applied = try await appliedMigrations(connection, logger: logger)
            try refuseSuperseded(applied, location: location)
            for migration in migrations where !applied.contains(migration.name) {
                try await connection.query("BEGIN", logger: logger)
                do {
                    for statement in statements(of: migration.sql) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO grove_schema_migrations (name) VALUES (\(migration.name))", logger: logger)
                    try await connection.query("COMMIT", logger: logger)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
            throw error
        }
        try await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
    }

    /// Throws unless every migration, and no other, has been applied (for read-only opens).
    static func requireCurrent(_ connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws {
        let exists = try await connection.query("SELECT to_regclass('grove_schema_migrations') IS NOT NULL", logger: logger)
        var found = false
        for try await present in exists.decode(Bool.self) { found = present }
        let applied = found ? try await appliedMigrations(connection, logger: logger) : []
        try refuseSuperseded(applied, location: location)
        guard applied == Set(migrations.map(\.name)) else {
            throw StoreError.cannotOpen(path: location.description, reason: "its schema is older than this Grove's and a read-only open cannot upgrade it; start `grove daemon` on it once")
        }
    }

    private static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        var names = Set<String>()
        for try await name in try await connection.query("SELECT name FROM grove_schema_migrations", logger: logger).decode(String.self) {
            names.insert(name)
        }
        return names
    }

    private static func refuseSuperseded(_ applied: Set<String>, location: PostgresLocation) throws {
        guard applied.isSubset(of: migrations.map(\.name)) else {
            throw StoreError.cannotOpen(path: location.description, reason: "a newer version of Grove wrote it; use that version")
        }
    }

    /// The statements of a script, without comment lines: each ends with a line ending in `;`
    /// outside a `$$` function body. (postgres-nio speaks the extended protocol, which takes
    /// one statement at a time.)
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        var insideBody = false
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current.isEmpty && (trimmed.isEmpty || trimmed.hasPrefix("--")) { continue }
            current.append(line)
            if line.components(separatedBy: "$$").count % 2 == 0 { insideBody.toggle() }
            if !insideBody && trimmed.hasSuffix(";") {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        return statements
    }

    /// Migration `"v3"`: the watch on prediction inputs, its tested windows and the drift
    /// events they raised, with each event's rows kept as a candidate dataset.
    static let v3 = #"""
-- What the watch on prediction inputs tested: each window of recent inputs, against the known
-- domains in the proportions its rows are nearest to, as of a model version.
CREATE TABLE drift_windows (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id bigint NOT NULL REFERENCES models (id),
    model_version_id bigint NOT NULL REFERENCES model_versions (id),
    tested_at timestamptz NOT NULL,
    row_count integer NOT NULL CHECK (row_count >= 2),
    statistic double precision NOT NULL,
    p_value double precision NOT NULL CHECK (p_value BETWEEN 0 AND 1),
    fits boolean NOT NULL,
    nearest_domain_id bigint REFERENCES domains (id),
    median_novelty double precision NOT NULL CHECK (median_novelty >= 0)
);

CREATE INDEX drift_windows_by_model ON drift_windows (model_id, id);

-- A drift: windows in a row that fit no mix of the known domains. Their rows, the candidate
-- dataset, are a blob of float32 little-endian values, feature_count to a row.
CREATE TABLE drift_events (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id bigint NOT NULL REFERENCES models (id),
    model_version_id bigint NOT NULL REFERENCES model_versions (id),
    detected_at timestamptz NOT NULL,
    first_window_id bigint NOT NULL REFERENCES drift_windows (id),
    last_window_id bigint NOT NULL REFERENCES drift_windows (id),
    statistic double precision NOT NULL,
    p_value double precision NOT NULL CHECK (p_value BETWEEN 0 AND 1),
    nearest_domain_id bigint REFERENCES domains (id),
    candidate_sha256 text NOT NULL REFERENCES blobs (sha256),
    candidate_rows integer NOT NULL CHECK (candidate_rows >= 1),
    feature_count integer NOT NULL CHECK (feature_count >= 1),
    CHECK (first_window_id <= last_window_id)
);

CREATE INDEX drift_events_by_model ON drift_events (model_id, id);
"""#

    /// Migration `"v2"`: job leases (the worker holding a running job, and until when), and
    /// the announcement of every committed version on channel `grove_versions`.
    static let v2 = #"""
ALTER TABLE jobs ADD COLUMN lease_owner text;
ALTER TABLE jobs ADD COLUMN lease_expires_at timestamptz;

CREATE FUNCTION model_versions_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('grove_versions', json_build_object(
        'model', (SELECT name FROM models WHERE id = NEW.model_id), 'number', NEW.number)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER model_versions_are_announced
AFTER INSERT ON model_versions
FOR EACH ROW EXECUTE FUNCTION model_versions_announce();
"""#

    /// Migration `"v1"`: `schemas/store.postgres.sql` as first released.
    static let v1 = #"""
-- Grove store schema for PostgreSQL 13 or later.
--
-- The same tables, columns, keys and rules as store.sql (the SQLite schema), in PostgreSQL's
-- types: bigint identity ids, timestamptz times, bytea payloads, boolean flags, and triggers
-- as PL/pgSQL functions. JSON arrays (model labels, expert classes) stay text, checked to be
-- arrays, so both backends hand the same text to the same decoder.
--
-- This file is the readable source of truth for the fully migrated database. The migrations
-- in Sources/GroveStorePostgres/PostgresSchema.swift build it, and
-- Tests/GroveStoreTests/PostgresSchemaTests.swift checks that a migrated database has exactly
-- the catalog this file creates. A later change is a new migration plus an edit here.
--
-- Rows describing a phase are only ever inserted, in one transaction per phase.

-- One named Mixture-of-Experts model with a fixed input dimension.
CREATE TABLE models (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 128),
    input_dimension integer NOT NULL CHECK (input_dimension > 0),
    labels text NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(labels::jsonb) = 'array'),
    created_at timestamptz NOT NULL
);

-- Content-addressed payloads: expert weights, gates, signatures, replay reservoirs, splits.
-- size is the length of data as stored (after the encoding).
CREATE TABLE blobs (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    kind text NOT NULL CHECK (kind IN ('weights', 'gate', 'signature', 'replay', 'split', 'other')),
    size bigint NOT NULL CHECK (size >= 0),
    data bytea NOT NULL,
    created_at timestamptz NOT NULL,
    encoding text NOT NULL DEFAULT 'identity' CHECK (encoding IN ('identity', 'deflate')),
    CHECK (octet_length(data) = size)
);

-- The queue. A dataset (by sha256) is submitted to a model at most once.
CREATE TABLE jobs (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model text NOT NULL CHECK (length(model) BETWEEN 1 AND 128),
    dataset_sha256 text NOT NULL CHECK (dataset_sha256 ~ '^[0-9a-f]{64}$'),
    source text NOT NULL,
    labels_source text,
    format text,
    declared_domain text,
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    progress double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    progress_note text,
    error text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    started_at timestamptz,
    finished_at timestamptz,
    UNIQUE (model, dataset_sha256),
    CHECK (state <> 'failed' OR error IS NOT NULL),
    CHECK (state <> 'running' OR attempts > 0)
);

CREATE INDEX jobs_by_state ON jobs (state, id);

-- Jobs per model and state, kept current by triggers on jobs.
CREATE TABLE job_counts (
    model text NOT NULL,
    state text NOT NULL,
    count bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (model, state)
);

CREATE FUNCTION job_counts_follow_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE job_counts SET count = count - 1 WHERE model = OLD.model AND state = OLD.state;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO job_counts (model, state, count) VALUES (NEW.model, NEW.state, 1)
        ON CONFLICT (model, state) DO UPDATE SET count = job_counts.count + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER job_counts_on_insert_or_delete
AFTER INSERT OR DELETE ON jobs
FOR EACH ROW EXECUTE FUNCTION job_counts_follow_jobs();

CREATE TRIGGER job_counts_on_update
AFTER UPDATE OF model, state ON jobs
FOR EACH ROW WHEN (OLD.model IS DISTINCT FROM NEW.model OR OLD.state IS DISTINCT FROM NEW.state)
EXECUTE FUNCTION job_counts_follow_jobs();

-- A data distribution a model has learned, with its detector signature.
CREATE TABLE domains (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id bigint NOT NULL REFERENCES models (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    signature_sha256 text REFERENCES blobs (sha256),
    created_job_id bigint REFERENCES jobs (id),
    created_at timestamptz NOT NULL,
    UNIQUE (model_id, name)
);

-- One learned dataset (the one a phase trained on).
CREATE TABLE datasets (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id bigint NOT NULL REFERENCES models (id),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    job_id bigint NOT NULL UNIQUE REFERENCES jobs (id),
    domain_id bigint NOT NULL REFERENCES domains (id),
    format text NOT NULL,
    sample_count integer NOT NULL CHECK (sample_count > 0),
    feature_count integer NOT NULL CHECK (feature_count > 0),
    class_count integer NOT NULL CHECK (class_count > 0),
    train_count integer NOT NULL CHECK (train_count >= 0),
    test_count integer NOT NULL CHECK (test_count >= 0),
    split_seed bigint NOT NULL,
    signature_sha256 text REFERENCES blobs (sha256),
    created_at timestamptz NOT NULL,
    UNIQUE (model_id, sha256),
    CHECK (train_count + test_count = sample_count)
);

-- The held-out part of a dataset, kept to evaluate its domain forever.
CREATE TABLE held_out_splits (
    dataset_id bigint PRIMARY KEY REFERENCES datasets (id),
    domain_id bigint NOT NULL REFERENCES domains (id),
    blob_sha256 text NOT NULL REFERENCES blobs (sha256),
    sample_count integer NOT NULL CHECK (sample_count >= 0)
);

CREATE INDEX held_out_splits_by_domain ON held_out_splits (domain_id);

-- A trained router. hidden_dimension = 0 means a linear gate.
CREATE TABLE gate_versions (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id bigint NOT NULL REFERENCES models (id),
    job_id bigint REFERENCES jobs (id),
    blob_sha256 text NOT NULL REFERENCES blobs (sha256),
    input_dimension integer NOT NULL CHECK (input_dimension > 0),
    hidden_dimension integer NOT NULL CHECK (hidden_dimension >= 0),
    expert_count integer NOT NULL CHECK (expert_count > 0),
    top_k integer NOT NULL CHECK (top_k >= 1),
    created_at timestamptz NOT NULL
);

-- The immutable result of a phase (or a rollback, whose parent is the version it restores):
-- every expert created on its line of parents, plus its gate, and
-- the learner's whole state as a snapshot document (a blob naming other blobs). The step
-- timings and gate steps are what the phase measured.
CREATE TABLE model_versions (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id bigint NOT NULL REFERENCES models (id),
    number integer NOT NULL CHECK (number >= 1),
    parent_id bigint REFERENCES model_versions (id),
    job_id bigint UNIQUE REFERENCES jobs (id),
    domain_id bigint NOT NULL REFERENCES domains (id),
    gate_version_id bigint NOT NULL REFERENCES gate_versions (id),
    expert_count integer NOT NULL CHECK (expert_count >= 1),
    evaluation_count integer NOT NULL CHECK (evaluation_count >= 0),
    snapshot_sha256 text REFERENCES blobs (sha256),
    created_at timestamptz NOT NULL,
    detect_seconds double precision CHECK (detect_seconds >= 0),
    train_experts_seconds double precision CHECK (train_experts_seconds >= 0),
    retrain_gate_seconds double precision CHECK (retrain_gate_seconds >= 0),
    evaluate_seconds double precision CHECK (evaluate_seconds >= 0),
    phase_seconds double precision CHECK (phase_seconds >= 0),
    gate_steps integer CHECK (gate_steps >= 0),
    UNIQUE (model_id, number),
    CHECK ((number = 1) = (parent_id IS NULL))
);

-- A small network for one domain, with its lineage. Weights never change once stored.
-- number is the expert's id within its model (0, 1, 2, ... in creation order).
CREATE TABLE experts (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_id bigint NOT NULL REFERENCES models (id),
    domain_id bigint NOT NULL REFERENCES domains (id),
    parent_id bigint REFERENCES experts (id),
    created_job_id bigint REFERENCES jobs (id),
    created_version_id bigint NOT NULL REFERENCES model_versions (id),
    frozen_job_id bigint REFERENCES jobs (id),
    frozen_version_id bigint REFERENCES model_versions (id),
    input_dimension integer NOT NULL CHECK (input_dimension > 0),
    hidden_dimension integer NOT NULL CHECK (hidden_dimension > 0),
    output_dimension integer NOT NULL CHECK (output_dimension > 0),
    classes text NOT NULL CHECK (jsonb_typeof(classes::jsonb) = 'array'),
    weights_sha256 text NOT NULL REFERENCES blobs (sha256),
    checksum text NOT NULL,
    created_at timestamptz NOT NULL,
    number integer NOT NULL CHECK (number >= 0),
    CHECK (parent_id IS NULL OR parent_id <> id)
);

CREATE INDEX experts_by_parent ON experts (parent_id);
CREATE INDEX experts_by_version ON experts (model_id, created_version_id);
CREATE INDEX experts_by_domain ON experts (domain_id);
CREATE UNIQUE INDEX experts_by_number ON experts (model_id, number);

CREATE FUNCTION experts_refuse_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'experts: lineage and weights are immutable';
END;
$$;

CREATE TRIGGER experts_keep_lineage_and_weights
BEFORE UPDATE OF id, model_id, domain_id, parent_id, created_version_id, weights_sha256, checksum, number
ON experts
FOR EACH ROW EXECUTE FUNCTION experts_refuse_changes();

-- The distribution detector's verdict for one phase, at its significance level.
CREATE TABLE detections (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    job_id bigint NOT NULL UNIQUE REFERENCES jobs (id),
    dataset_id bigint NOT NULL UNIQUE REFERENCES datasets (id),
    model_version_id bigint NOT NULL UNIQUE REFERENCES model_versions (id),
    decision text NOT NULL CHECK (decision IN ('new', 'known')),
    domain_id bigint NOT NULL REFERENCES domains (id),
    nearest_domain_id bigint REFERENCES domains (id),
    statistic double precision,
    p_value double precision CHECK (p_value BETWEEN 0 AND 1),
    declared_domain text,
    contradicts_declaration boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    significance double precision CHECK (significance > 0 AND significance < 1)
);

-- The detector's test against each domain it tested in a detection.
CREATE TABLE detection_evidence (
    detection_id bigint NOT NULL REFERENCES detections (id),
    domain_id bigint NOT NULL REFERENCES domains (id),
    statistic double precision NOT NULL,
    p_value double precision NOT NULL CHECK (p_value BETWEEN 0 AND 1),
    PRIMARY KEY (detection_id, domain_id)
);

-- One measured value of a model version on a domain's held-out data. expert_id is set for
-- per-expert metrics such as load_share. Fractions are checked to lie in [0, 1].
CREATE TABLE evaluations (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_version_id bigint NOT NULL REFERENCES model_versions (id),
    domain_id bigint NOT NULL REFERENCES domains (id),
    metric text NOT NULL CHECK (length(metric) BETWEEN 1 AND 64),
    expert_id bigint REFERENCES experts (id),
    value double precision NOT NULL,
    sample_count integer NOT NULL CHECK (sample_count >= 0),
    CHECK (metric NOT IN ('accuracy', 'routing_accuracy', 'load_share') OR value BETWEEN 0 AND 1)
);

CREATE UNIQUE INDEX evaluations_are_unique
    ON evaluations (model_version_id, domain_id, metric, coalesce(expert_id, 0));
CREATE INDEX evaluations_by_metric ON evaluations (metric, domain_id, model_version_id);

-- Samples of a domain kept to retrain the gate later, as of a model version.
CREATE TABLE replay_reservoirs (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    model_version_id bigint NOT NULL REFERENCES model_versions (id),
    domain_id bigint NOT NULL REFERENCES domains (id),
    blob_sha256 text NOT NULL REFERENCES blobs (sha256),
    sample_count integer NOT NULL CHECK (sample_count >= 0),
    UNIQUE (domain_id, model_version_id)
);

-- The audit log: rows are appended, never changed or removed.
CREATE TABLE events (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL,
    kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    message text NOT NULL,
    job_id bigint REFERENCES jobs (id),
    model_version_id bigint REFERENCES model_versions (id)
);

CREATE INDEX events_by_job ON events (job_id);
CREATE INDEX events_by_version ON events (model_version_id);

CREATE FUNCTION events_refuse_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;

CREATE TRIGGER events_are_append_only
BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION events_refuse_changes();
"""#
}
