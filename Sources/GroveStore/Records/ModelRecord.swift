import Foundation
import GRDB

/// A row of `models`: a named model with its fixed input dimension and label registry.
public struct ModelRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "models"

    /// The model id.
    public var id: Int64
    /// The model's unique name (default `default`).
    public var name: String
    /// The dimension D of every input.
    public var inputDimension: Int
    /// Class labels, indexed by class number; the list only grows.
    public var labels: [String]
    /// When the first phase created it.
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, labels
        case inputDimension = "input_dimension"
        case createdAt = "created_at"
    }
}
