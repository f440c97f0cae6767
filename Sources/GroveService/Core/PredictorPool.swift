import Foundation
import GroveModel

/// Predictors over one model's folded weights, one per prediction running at the moment: a
/// caller takes an idle one (a new ``MoEPredictor/sibling()`` when none is idle) and gives it
/// back after its batch, so the pool holds as many as predictions ever ran at once, each
/// with batch buffers of its own and none with a copy of the weights.
///
/// A prediction that runs alone gets the first predictor and every core (its helper thread,
/// parallel experts, OpenBLAS's threads); one that runs beside others stays on its own thread,
/// so that concurrent requests share the cores instead of fighting over them.
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
        let predictor: MoEPredictor
        if alone, let index = idle.firstIndex(where: { $0 === first }) {
            predictor = idle.remove(at: index)
        } else {
            predictor = idle.popLast() ?? first.sibling()
        }
        lock.unlock()
        predictor.usesEveryCore = alone && predictor === first
        defer {
            lock.lock()
            idle.append(predictor)
            running -= 1
            lock.unlock()
        }
        return try body(predictor)
    }
}
