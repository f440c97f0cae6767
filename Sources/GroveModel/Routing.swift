import GroveNumerics

/// The routing of one batch: gate probabilities, the kept experts of every input with their
/// mixture weights, and the assignments grouped by expert (dropless dispatch sorts the
/// `rows * k` assignments by expert so that each expert runs one GEMM over its segment).
///
/// Assignment `a = t * k + j` is input `t`'s `j`-th choice; `expert[a]` is -1 when it
/// overflowed an expert's capacity.
final class Routing {
    private(set) var rows = 0
    private(set) var experts = 0
    private(set) var k = 0
    /// Softmax over all gate logits, `(rows, E)`.
    let probabilities = FloatBuffer()
    /// `logsumexp` of each input's gate logits, `(rows)`.
    let logSumExp = FloatBuffer()
    /// Chosen expert index per assignment, `(rows, k)`, -1 if dropped.
    let expert = IndexBuffer()
    /// Mixture weight per assignment, `(rows, k)`, 0 if dropped.
    let weight = FloatBuffer()
    /// Fraction of the `rows * k` top-k choices that picked each expert (before capacity), `(E)`.
    let choiceFraction = FloatBuffer()
    /// Start of each expert's segment in `segmentAssignment`, `(E + 1)`.
    private(set) var segmentStart: [Int] = []
    /// Per-expert counters, reused so that routing allocates nothing once warmed up.
    private var counters: [Int] = []
    /// Assignment ids sorted by expert, `(rows * k)`.
    let segmentAssignment = IndexBuffer()
    /// Input row of each sorted assignment, `(rows * k)`.
    let segmentToken = IndexBuffer()
    /// Assignments dropped by the capacity limit in this batch.
    private(set) var overflow = 0
    /// Inputs left with no expert at all.
    private(set) var unrouted = 0

    /// Routes a batch from gate `logits` `(rows, E)`, which are modified in place: experts not
    /// in `allowed` get -∞. Noise, if any, must already be added.
    func route(logits: UnsafeMutablePointer<Float>, rows: Int, experts: Int, k requestedK: Int, capacityFactor: Float?, allowed: [Bool]?) {
        self.rows = rows
        self.experts = experts
        let allowedCount = allowed.map { $0.filter { $0 }.count } ?? experts
        k = max(1, min(requestedK, allowedCount))
        if let allowed {
            for t in 0..<rows {
                for e in 0..<experts where !allowed[e] { logits[t * experts + e] = -.infinity }
            }
        }
        let probs = probabilities.reserve(rows * experts)
        probs.update(from: logits, count: rows * experts)
        Kernels.softmaxRows(probs, rows: rows, cols: experts, logSumExp: logSumExp.reserve(rows))
        let chosen = expert.reserve(rows * k)
        Kernels.topK(logits, rows: rows, cols: experts, k: k, into: chosen)

        let fraction = choiceFraction.reserve(experts)
        fraction.update(repeating: 0, count: experts)
        for a in 0..<(rows * k) { fraction[Int(chosen[a])] += 1 }
        let invChoices = 1 / Float(rows * k)
        for e in 0..<experts { fraction[e] *= invChoices }

        applyCapacity(capacityFactor)
        computeWeights(logits: logits)
        groupByExpert()
    }

    /// Drops assignments beyond each expert's capacity, first choices before second choices.
    private func applyCapacity(_ factor: Float?) {
        overflow = 0
        guard let factor else { return }
        let capacity = Int((factor * Float(rows * k) / Float(experts)).rounded(.up))
        resetCounters()
        let chosen = expert.pointer
        for j in 0..<k {
            for t in 0..<rows {
                let a = t * k + j
                let e = Int(chosen[a])
                if counters[e] < capacity {
                    counters[e] += 1
                } else {
                    chosen[a] = -1
                    overflow += 1
                }
            }
        }
    }

    /// Mixture weights: softmax over each input's surviving kept logits.
    private func computeWeights(logits: UnsafePointer<Float>) {
        let w = weight.reserve(rows * k)
        let chosen = expert.pointer
        unrouted = 0
        for t in 0..<rows {
            var m = -Float.infinity
            for j in 0..<k {
                let e = chosen[t * k + j]
                if e >= 0 { m = max(m, logits[t * experts + Int(e)]) }
            }
            var s: Float = 0
            for j in 0..<k {
                let a = t * k + j
                let e = chosen[a]
                let v: Float = e >= 0 ? expf(logits[t * experts + Int(e)] - m) : 0
                w[a] = v
                s += v
            }
            if s > 0 {
                let inv = 1 / s
                for j in 0..<k { w[t * k + j] *= inv }
            } else {
                unrouted += 1
            }
        }
    }

    /// Counting sort of the surviving assignments by expert.
    private func groupByExpert() {
        let chosen = expert.pointer
        resetCounters()
        for a in 0..<(rows * k) where chosen[a] >= 0 { counters[Int(chosen[a])] += 1 }
        segmentStart.removeAll(keepingCapacity: true)
        segmentStart.append(0)
        for e in 0..<experts { segmentStart.append(segmentStart[e] + counters[e]) }
        for e in 0..<experts { counters[e] = segmentStart[e] }  // now: next free slot per expert
        let sortedAssignment = segmentAssignment.reserve(rows * k)
        let sortedToken = segmentToken.reserve(rows * k)
        for a in 0..<(rows * k) where chosen[a] >= 0 {
            let e = Int(chosen[a])
            sortedAssignment[counters[e]] = Int32(a)
            sortedToken[counters[e]] = Int32(a / k)
            counters[e] += 1
        }
    }

    private func resetCounters() {
        if counters.count != experts {
            counters = [Int](repeating: 0, count: experts)
        } else {
            for e in 0..<experts { counters[e] = 0 }
        }
    }

    /// Rows routed to expert `e` in this batch.
    func segmentRows(_ e: Int) -> Int { segmentStart[e + 1] - segmentStart[e] }

    /// The input rows routed to expert `e` in this batch, in segment order.
    func segmentTokens(_ e: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: segmentToken.pointer + segmentStart[e], count: segmentRows(e))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
