import Foundation
import GroveData
import GroveNumerics

/// What a job learns from: one manifest-style source (files, classes to keep, a permutation,
/// a rotation) and the domain name the submitter declared, if any.
///
/// Stored as canonical JSON under `datasets/<sha256>.json`; the hash is the job's dataset
/// identity, so submitting the same file or the same manifest domain twice gives one job.
public struct DatasetSpec: Sendable, Codable, Equatable {
    /// The declared domain, if any.
    public var domain: String?
    /// Where the samples come from and how they are transformed.
    public var source: JobManifest.Source
    /// Learn from at most this many training samples (a seeded choice), for quick runs.
    public var limit: Int?

    /// A spec for `source`.
    public init(domain: String?, source: JobManifest.Source, limit: Int? = nil) {
        self.domain = domain
        self.source = source
        self.limit = limit
    }

    /// Canonical bytes: sorted keys, no whitespace.
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The SHA-256 of the canonical bytes.
    public func sha256() throws -> String {
        Checksum.sha256(try canonicalJSON())
    }
}
