import GroveNumerics

/// A defect in an IDX file (the MNIST / Fashion-MNIST format, optionally gzip-compressed).
///
/// Each `description` is one line naming the file, and the record where one applies.
public enum IDXError: GroveError, Equatable {
    /// The first bytes are not an IDX magic number (`00 00 <type> <rank>`).
    case badMagic(file: String, magic: UInt32)
    /// A labels file holds floating-point elements (`0x0D`, `0x0E`) instead of integers.
    case nonIntegerLabels(file: String, code: UInt8)
    /// The rank does not fit the file's role (images: 2 or 3 dimensions; labels: 1).
    case wrongRank(file: String, rank: Int, expected: String)
    /// The header is shorter than its rank says, a dimension is zero, or the dimensions
    /// describe more bytes than can be addressed.
    case badHeader(file: String, reason: String)
    /// Fewer data bytes follow the header than its dimensions declare.
    case truncated(file: String, record: Int, records: Int, expectedBytes: Int, actualBytes: Int)
    /// The images and labels files hold different numbers of records.
    case countMismatch(imagesFile: String, images: Int, labelsFile: String, labels: Int)

    /// The one-line message printed after `error: `; line breaks in text from a file are escaped.
    public var description: String { message.escapingLineBreaks }

    private var message: String {
        switch self {
        case .badMagic(let file, let magic):
            "\(file): not an IDX file (magic 0x\(hex(magic, width: 8)); expected 0x0000TTRR with element type TT one of 08 09 0b 0c 0d 0e and rank RR 01-04)"
        case .nonIntegerLabels(let file, let code):
            "\(file): IDX labels must be integers, not element type 0x\(hex(UInt32(code), width: 2)) (\(IDXHeader.typeName(code))); use 0x08 (unsigned byte), 0x09 (signed byte), 0x0b (int16) or 0x0c (int32)"
        case .wrongRank(let file, let rank, let expected):
            "\(file): IDX array has \(rank) dimensions, expected \(expected)"
        case .badHeader(let file, let reason):
            "\(file): bad IDX header: \(reason)"
        case .truncated(let file, let record, let records, let expectedBytes, let actualBytes):
            "\(file): truncated at record \(record) of \(records) (header declares \(expectedBytes) data bytes, \(actualBytes) present)"
        case .countMismatch(let imagesFile, let images, let labelsFile, let labels):
            "\(labelsFile): \(labels) labels, but \(imagesFile) has \(images) images"
        }
    }
}

func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
