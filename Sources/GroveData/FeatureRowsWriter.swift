import Foundation
import GroveNumerics

/// Writes unlabelled rows in the formats the readers accept, so that they can be labelled and
/// submitted back: a 2-D float32 `.npy` array, or CSV with an empty `label` column to fill in.
///
/// Both are exact: the NPY bytes are the rows' own, and CSV cells are each value's shortest
/// decimal that reads back as the same `Float`, so either file reads back to the same features.
public enum FeatureRowsWriter {
    /// A format rows can be written in.
    public enum Format: String, CaseIterable, Sendable {
        case npy, csv

        /// The media type of the written bytes.
        public var mediaType: String {
            switch self {
            case .npy: "application/x-npy"
            case .csv: "text/csv; charset=utf-8"
            }
        }

        /// `rows` in this format.
        public func encode(_ rows: FeatureRows) -> Data {
            switch self {
            case .npy: FeatureRowsWriter.npy(rows)
            case .csv: FeatureRowsWriter.csv(rows)
            }
        }
    }

    /// A version 1.0 `.npy` file of `rows` as little-endian float32, shape `(count, dimension)`.
    public static func npy(_ rows: FeatureRows) -> Data {
        var data = Data(npyHeader(rows: rows.count, columns: rows.dimension))
        // One append of the whole buffer: appending 4 bytes per value costs an exclusivity check
        // and a bounds update each, which made sending 60 000 images take seconds.
        data.append(FloatCoding.data(rows.features))
        return data
    }

    /// The bytes before the data of a version 1.0 `.npy` file of little-endian float32, shape
    /// `(rows, columns)`: magic, version, header length and the header padded to a multiple of 64.
    public static func npyHeader(rows: Int, columns: Int) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
    }

    /// CSV text: a header `label` and the rows' ``FeatureRows/columnNames`` (`x1,…,xD` when
    /// they have none), then one line per row with the label cell empty. The readers refuse an
    /// empty label, naming its line, so a row left unlabelled cannot slip in.
    public static func csv(_ rows: FeatureRows) -> Data {
        var text = "label"
        let names = rows.columnNames ?? (0 ..< rows.dimension).map { "x\($0 + 1)" }
        for name in names { text += "," + quoted(name) }
        text += "\n"
        var data = Data(text.utf8)
        data.reserveCapacity(rows.features.count * 8)
        var line = ""
        for row in 0 ..< rows.count {
            line.removeAll(keepingCapacity: true)
            for value in rows.features[row * rows.dimension ..< (row + 1) * rows.dimension] {
                line += ","
                line += value.description
            }
            line += "\n"
            data.append(contentsOf: line.utf8)
        }
        return data
    }

    /// A header cell as the CSV reader reads it back: quoted (with `""` for a quote) when it
    /// holds a comma or a quote.
    private static func quoted(_ name: String) -> String {
        let needsQuotes = name.contains(",") || name.contains("\"")
        return needsQuotes ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
    }
}
