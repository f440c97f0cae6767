import GRDB

/// A record inserted as a new row that the database numbers: the record's columns, its own
/// `id` left NULL so that SQLite assigns the next one.
private struct NewRow<Record: EncodableRecord & TableRecord>: PersistableRecord {
    static var databaseTableName: String { Record.databaseTableName }

    let record: Record

    func encode(to container: inout PersistenceContainer) throws {
        try record.encode(to: &container)
        container["id"] = nil
    }
}

extension EncodableRecord where Self: TableRecord {
    /// Inserts the record as a new row of its table, whatever its `id` says: the database
    /// numbers the row.
    /// - Returns: the new row's id.
    func insertNumbered(_ db: Database) throws -> Int64 {
        try NewRow(record: self).insert(db)
        return db.lastInsertedRowID
    }
}
