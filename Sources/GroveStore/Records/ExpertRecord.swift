import Foundation
import GRDB

/// A row of `experts`: one small network, its shape, weights and lineage.
public struct ExpertRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "experts"

    /// The row id, which lineage columns refer to.
    public var id: Int64
    /// The expert's number within its model: the id the learner, the API and predictions use.
    public var number: Int
    /// The model it belongs to.
    public var modelID: Int64
    /// The domain it was grown for.
    public var domainID: Int64
    /// The expert it was initialised from, if any (its lineage parent).
    public var parentID: Int64?
    /// The job that created it.
    public var createdJobID: Int64?
    /// The model version that added it.
    public var createdVersionID: Int64
    /// The job that froze it, if frozen.
    public var frozenJobID: Int64?
    /// The model version it was frozen in, if frozen.
    public var frozenVersionID: Int64?
    /// Input dimension D.
    public var inputDimension: Int
    /// Hidden units H.
    public var hiddenDimension: Int
    /// Output logits C_e.
    public var outputDimension: Int
    /// The model's class numbers of its outputs, in order.
    public var classes: [Int]
    /// The blob with its weights.
    public var weightsSHA256: String
    /// The engine's checksum of its weights.
    public var checksum: String
    /// When it was committed.
    public var createdAt: Date

    /// Whether training may no longer change it.
    public var isFrozen: Bool { frozenVersionID != nil }

    enum CodingKeys: String, CodingKey {
        case id, number, classes, checksum
        case modelID = "model_id"
        case domainID = "domain_id"
        case parentID = "parent_id"
        case createdJobID = "created_job_id"
        case createdVersionID = "created_version_id"
        case frozenJobID = "frozen_job_id"
        case frozenVersionID = "frozen_version_id"
        case inputDimension = "input_dimension"
        case hiddenDimension = "hidden_dimension"
        case outputDimension = "output_dimension"
        case weightsSHA256 = "weights_sha256"
        case createdAt = "created_at"
    }

    /// Parses a JSON array of integers such as `[0,1,7]`, byte by byte: reports parse one per
    /// expert of a lineage tree.
    static func parseIntegerArray(_ text: String) throws -> [Int] {
        var values: [Int] = []
        var current: Int?
        var negative = false, ended = false
        var opened = false, closed = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                ended = current != nil
            case UInt8(ascii: "[") where !opened:
                opened = true
            case UInt8(ascii: "-") where opened && !closed && current == nil && !negative:
                negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9") where opened && !closed && !ended:
                let (times, overflowTimes) = (current ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !overflowTimes, !overflowSum else { throw malformed(text) }
                current = sum
            case UInt8(ascii: ","), UInt8(ascii: "]"):
                guard opened, !closed else { throw malformed(text) }
                if let value = current {
                    values.append(negative ? -value : value)
                } else if byte == UInt8(ascii: ",") || negative || !values.isEmpty {
                    throw malformed(text)
                }
                current = nil
                negative = false
                ended = false
                closed = byte == UInt8(ascii: "]")
            default:
                throw malformed(text)
            }
        }
        guard closed else { throw malformed(text) }
        return values
    }

    private static func malformed(_ text: String) -> StoreError {
        StoreError.invalidArgument("experts.classes is not a JSON array of integers: \(text.prefix(40))")
    }
}

extension ExpertRecord {
    /// Decodes a row of `experts`. Written by hand rather than through `Decodable`: reports
    /// fetch whole lineage trees, and `JSONDecoder` for `classes` plus `Calendar`-based date
    /// decoding made up most of their cost.
    public init(row: Row) throws {
        id = row["id"]
        let stored: Int? = row["number"]
        guard let number = stored else {
            throw StoreError.invalidArgument("expert \(id) has no number: an older Grove wrote it into an upgraded store")
        }
        self.number = number
        modelID = row["model_id"]
        domainID = row["domain_id"]
        parentID = row["parent_id"]
        createdJobID = row["created_job_id"]
        createdVersionID = row["created_version_id"]
        frozenJobID = row["frozen_job_id"]
        frozenVersionID = row["frozen_version_id"]
        inputDimension = row["input_dimension"]
        hiddenDimension = row["hidden_dimension"]
        outputDimension = row["output_dimension"]
        let classesText: String = row["classes"]
        classes = try Self.parseIntegerArray(classesText)
        weightsSHA256 = row["weights_sha256"]
        checksum = row["checksum"]
        let createdText: String = row["created_at"]
        createdAt = StoreTimestamp.parse(createdText) ?? row["created_at"]
    }

    /// Decodes a row through `Decodable` (the server backend's rows); SQLite's go through
    /// ``init(row:)``. `classes` is the same JSON text in both.
    public init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        id = try row.decode(Int64.self, forKey: .id)
        guard let number = try row.decodeIfPresent(Int.self, forKey: .number) else {
            throw StoreError.invalidArgument("expert \(id) has no number: an older Grove wrote it into an upgraded store")
        }
        self.number = number
        modelID = try row.decode(Int64.self, forKey: .modelID)
        domainID = try row.decode(Int64.self, forKey: .domainID)
        parentID = try row.decodeIfPresent(Int64.self, forKey: .parentID)
        createdJobID = try row.decodeIfPresent(Int64.self, forKey: .createdJobID)
        createdVersionID = try row.decode(Int64.self, forKey: .createdVersionID)
        frozenJobID = try row.decodeIfPresent(Int64.self, forKey: .frozenJobID)
        frozenVersionID = try row.decodeIfPresent(Int64.self, forKey: .frozenVersionID)
        inputDimension = try row.decode(Int.self, forKey: .inputDimension)
        hiddenDimension = try row.decode(Int.self, forKey: .hiddenDimension)
        outputDimension = try row.decode(Int.self, forKey: .outputDimension)
        classes = try Self.parseIntegerArray(try row.decode(String.self, forKey: .classes))
        weightsSHA256 = try row.decode(String.self, forKey: .weightsSHA256)
        checksum = try row.decode(String.self, forKey: .checksum)
        createdAt = try row.decode(Date.self, forKey: .createdAt)
    }
}
