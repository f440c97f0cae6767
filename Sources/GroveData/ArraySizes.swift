/// The sizes of a C-order array whose first dimension counts records (IDX files, NPY arrays),
/// each product checked for overflow: a header that declares more than can be addressed must
/// be refused, not wrapped around (release builds do not trap on overflow).
struct ArraySizes {
    /// Values in one record: the product of every dimension but the first.
    let recordLength: Int
    /// Bytes of one record.
    let recordBytes: Int
    /// Values in the whole array.
    let elementCount: Int
    /// Bytes of the whole array.
    let totalBytes: Int

    /// The sizes of an array of `dims` with elements `elementWidth` bytes wide, or `nil` when a
    /// product overflows `Int`.
    init?(dims: [Int], elementWidth: Int) {
        guard let records = dims.first else { return nil }
        func product(_ a: Int, _ b: Int) -> Int? {
            let (value, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? nil : value
        }
        var length: Int? = 1
        for dimension in dims.dropFirst() { length = length.flatMap { product($0, dimension) } }
        guard let recordLength = length,
              let recordBytes = product(recordLength, elementWidth),
              let elementCount = product(records, recordLength),
              let totalBytes = product(records, recordBytes)
        else { return nil }
        self.recordLength = recordLength
        self.recordBytes = recordBytes
        self.elementCount = elementCount
        self.totalBytes = totalBytes
    }
}
