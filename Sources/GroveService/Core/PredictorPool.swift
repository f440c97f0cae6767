import Foundation
import GroveModel

/// Predictors over one model's folded weights, one per prediction running at the moment: a
/// caller takes an idle one (a new ``MoEPredictor/sibling()`` when none is idle) and gives it
/// back after its batch, so the pool holds as many as predictions ever ran at once, each
/// with batch buffers of its own and none with a copy of the weights.
///
/// Only the first predictor splits a small batch with its helper thread, and only while no
/// other prediction runs: with every core busy, a spinning helper would take one from them.
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

    /// Runs `body` with a predictor no other caller uses meanwhile.
    func withPredictor<R>(_ body: (MoEPredictor) throws -> R) rethrows -> R {
        lock.lock()
        let alone = running == 0
        running += 1
        let predictor = idle.popLast() ?? first.sibling()
        lock.unlock()
        if predictor === first { predictor.splitsSmallBatches = alone }
        defer {
            lock.lock()
            idle.append(predictor)
            running -= 1
            lock.unlock()
        }
        return try body(predictor)
    }
}
