import GroveModel
import GroveNumerics
import Testing

/// Rows without spread (all pixels equal, constant records) must neither enter the fitted
/// statistics nor send `log 0` or `μ / 0` to the gate.
struct RowScaleStatisticsTests {
    @Test func flatRowsAreLeftOutOfTheFitAndGetFixedFeatures() throws {
        // Two ordinary rows, an all-zero row, an all-255 row and a huge constant row.
        let rows: [[Float]] = [[0, 1, 2, 3], [2, 4, 6, 8], [0, 0, 0, 0], [255, 255, 255, 255], [4e9, 4e9, 4e9, 4e9]]
        let x = Matrix(rows: rows.count, cols: 4, storage: rows.flatMap { $0 })
        let fitted = RowScaleStatistics(fittedTo: x)
        let ordinary = RowScaleStatistics(fittedTo: Matrix(rows: 2, cols: 4, storage: rows[0] + rows[1]))
        #expect(fitted == ordinary, "flat rows change nothing")
        let input = GateInput.rowStandardized(fitted)
        var out = [Float](repeating: .nan, count: rows.count * 6)
        x.storage.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in input.transform(xb.baseAddress!, rows: rows.count, features: 4, into: ob.baseAddress!) }
        }
        #expect(out.allSatisfy { $0.isFinite }, "\(out)")
        let gain = Float(2).squareRoot()
        for r in 2..<5 {
            #expect(Array(out[(r * 6)..<(r * 6 + 4)]) == [0, 0, 0, 0])
            #expect(out[r * 6 + 4] == -RowScaleStatistics.clamp * gain && out[r * 6 + 5] == 0)
        }
        #expect(RowScaleStatistics(fittedTo: Matrix(rows: 1, cols: 4, storage: rows[2])) == .neutral)
    }

    @Test func scalingRowsMovesOnlyTheLogScaleMean() throws {
        let x = Matrix(rows: 3, cols: 3, storage: [1, 2, 4, 0, 3, 1, 5, 5, 6])
        let scaled = Matrix(rows: 3, cols: 3, storage: x.storage.map { $0 * 255 })
        let a = RowScaleStatistics(fittedTo: x).rescaled(by: 255), b = RowScaleStatistics(fittedTo: scaled)
        #expect(abs(a.logScaleMean - b.logScaleMean) < 1e-5 && abs(a.logScaleStd - b.logScaleStd) < 1e-5)
        #expect(abs(a.offsetMean - b.offsetMean) < 1e-5 && abs(a.offsetStd - b.offsetStd) < 1e-5)
    }
}
