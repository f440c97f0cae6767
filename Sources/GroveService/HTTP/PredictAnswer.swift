import GroveData
import Hummingbird

/// A predict answer's body, written by hand: Foundation's encoder cost more than the
/// prediction. JSON is `PredictResponse` in `schemas/openapi.yaml`, keys sorted, the same text
/// `JSONEncoder` writes for ``APIPredictResponse``; NPY is every class's probability.
enum PredictAnswer {
    /// How the answer is encoded, from the request's `Accept`.
    enum Encoding {
        case json, npy

        /// NPY when `Accept` names `application/x-npy`, otherwise JSON.
        init(accept: String?) {
            let types = accept?.split(separator: ",").map { BodyType.mediaType(String($0)).type } ?? []
            self = types.contains("application/x-npy") ? .npy : .json
        }
    }

    /// `{"predictions":[{"class_index":…,"experts":[…],"label":…,"novelty":…,"probability":…}],"version":…}`.
    static func json(_ batch: PredictionBatch, labels: [[UInt8]]) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(32 + batch.rows * (96 + 8 * batch.expertsPerRow))
        out.writeStaticString(#"{"predictions":["#)
        for row in 0..<batch.rows {
            let best = batch.classIndices[row]
            out.writeStaticString(row == 0 ? #"{"class_index":"# : #",{"class_index":"#)
            out.writeString(String(best))
            out.writeStaticString(#","experts":["#)
            var first = true
            for expert in batch.chosenExperts[(row * batch.expertsPerRow)..<((row + 1) * batch.expertsPerRow)] where expert >= 0 {
                if !first { out.writeStaticString(",") }
                out.writeString(String(expert))
                first = false
            }
            out.writeStaticString(#"],"label":"#)
            out.writeBytes(labels[best])
            if let novelty = batch.novelty {
                out.writeStaticString(#","novelty":"#)
                out.writeString(Double(novelty[row]).description)
            }
            out.writeStaticString(#","probability":"#)
            out.writeString(Double(batch.probability(row: row)).description)
            out.writeStaticString("}")
        }
        out.writeStaticString(#"],"version":"#)
        out.writeString(String(batch.version))
        out.writeStaticString("}")
        return out
    }

    /// A 2-D little-endian float32 `.npy` array `(rows, classes)`: row `r`, column `c` is
    /// `p(class c | row r)`, classes in the model's class-index order.
    static func npy(_ batch: PredictionBatch) -> ByteBuffer {
        let header = FeatureRowsWriter.npyHeader(rows: batch.rows, columns: batch.classCount)
        var out = ByteBuffer()
        out.reserveCapacity(header.count + 4 * batch.probabilities.count)
        out.writeBytes(header)
        for value in batch.probabilities { out.writeInteger(value.bitPattern, endianness: .little) }
        return out
    }
}
