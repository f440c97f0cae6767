import Foundation
import GroveStore
import PostgresNIO

/// Decodes a store record (`Decodable`, with snake_case column names as coding keys) from a
/// PostgreSQL row, the way GRDB decodes the same records from SQLite rows: scalars from their
/// columns, `RawRepresentable` enums from their text, and arrays from JSON text.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes `T` from every row of a sequence.
    static func decodeAll<T: Decodable>(_: T.Type, from rows: PostgresRowSequence) async throws -> [T] {
        var records: [T] = []
        for try await row in rows {
            records.append(try T(from: PostgresRowDecoder(row: row.makeRandomAccess())))
        }
        return records
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row is not an array"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a row is not a single value"))
    }

    /// The columns of a row, by name.
    private struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRandomAccessRow
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.compactMap { Key(stringValue: $0.columnName) } }

        func contains(_ key: Key) -> Bool { row.contains(key.stringValue) }

        private func cell(_ key: Key) throws -> PostgresCell {
            guard row.contains(key.stringValue) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [key], debugDescription: "no column \(key.stringValue)"))
            }
            return row[key.stringValue]
        }

        func decodeNil(forKey key: Key) throws -> Bool { try cell(key).bytes == nil }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try cell(key).decode(Bool.self) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try cell(key).decode(String.self) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try cell(key).decode(Double.self) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try cell(key).decode(Float.self) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try cell(key).decode(Int.self) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try cell(key).decode(Int64.self) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try cell(key).decode(Int32.self) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let cell = try cell(key)
            if T.self == Date.self, let date = try cell.decode(Date.self) as? T { return date }
            if T.self == Data.self, let data = try cell.decode(Data.self) as? T { return data }
            if T.self == UInt64.self, let value = UInt64(bitPattern: try cell.decode(Int64.self)) as? T { return value }
            do {
                return try T(from: Column(cell: cell, key: key))
            } catch is ColumnHoldsJSON {
                return try JSONDecoder().decode(T.self, from: Data(try cell.decode(String.self).utf8))
            }
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: [key], debugDescription: "columns do not nest"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "columns do not nest"))
        }

        func superDecoder() throws -> any Decoder { PostgresRowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { PostgresRowDecoder(row: row) }
    }

    /// Thrown by ``Column`` when a type asks for a container: the column's text is JSON.
    private struct ColumnHoldsJSON: Error {}

    /// One column, for types that decode themselves from a single value (enums); types that ask
    /// for a container are decoded from the column's JSON text instead.
    private struct Column: Decoder, SingleValueDecodingContainer {
        let cell: PostgresCell
        let key: any CodingKey
        var codingPath: [any CodingKey] { [key] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Nested: CodingKey>(keyedBy type: Nested.Type) throws -> KeyedDecodingContainer<Nested> {
            throw ColumnHoldsJSON()
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw ColumnHoldsJSON() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { cell.bytes == nil }
        func decode(_ type: Bool.Type) throws -> Bool { try cell.decode(Bool.self) }
        func decode(_ type: String.Type) throws -> String { try cell.decode(String.self) }
        func decode(_ type: Double.Type) throws -> Double { try cell.decode(Double.self) }
        func decode(_ type: Float.Type) throws -> Float { try cell.decode(Float.self) }
        func decode(_ type: Int.Type) throws -> Int { try cell.decode(Int.self) }
        func decode(_ type: Int64.Type) throws -> Int64 { try cell.decode(Int64.self) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
    }
}
