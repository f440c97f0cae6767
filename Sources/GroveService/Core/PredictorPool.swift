import Foundation
import GroveModel

/// Predictors over one model's folded weights, one per prediction running at the moment: a
/// caller takes an idle one (a new ``MoEPredictor/sibling()`` when none is idle) and gives it
/// back after its batch, so the pool holds as many as predictions ever ran at once, each
/// with batch buffers of its own and none with a copy of the weights.
///
/// A prediction that runs alone gets the first predictor and every core (its helper thread,
/// parallel experts); one that runs beside others stays on its own thread, so that concurrent
/// requests share the cores instead of fighting over them. None changes OpenBLAS's thread
/// count, which is one setting for the whole process.
final class PredictorPool: @unchecked Sendable {
    private let lock = NSLock()
    private let first: MoEPredictor
    /// Guarded by `lock`.
    private var idle: [MoEPredictor]
    /// Guarded by `lock`: predictions running.
    private var running = 0

    /// A pool whose first predictor is `predictor`.
    init(_ predictor: MoEPredictor) {
        first = predictor
        idle = [predictor]
    }

    /// Batches of more rows than this give their buffers back afterwards, so that an idle
    /// predictor holds at most a few megabytes, not the largest batch it ever saw.
    static let keptBatchRows = 1024

    /// Runs `body` with a predictor no other caller uses meanwhile, for a batch of `rows` rows.
    func withPredictor<R>(rows: Int, _ body: (MoEPredictor) throws -> R) rethrows -> R {
        lock.lock()
        let alone = running == 0
        running += 1
        let predictor: MoEPredictor
        if alone, let index = idle.firstIndex(where: { $0 === first }) {
            predictor = idle.remove(at: index)
        } else {
            predictor = idle.popLast() ?? first.sibling()
        }
        lock.unlock()
        predictor.usesEveryCore = alone && predictor === first
        defer {
            if rows > Self.keptBatchRows { predictor.releaseBatchBuffers() }
            lock.lock()
            idle.append(predictor)
            running -= 1
            lock.unlock()
        }
        return try body(predictor)
    }
}
