/// The router's auxiliary losses and the top-k mixture weights, each with its gradient with
/// respect to the gate logits beside it. Gradients are *added* into `dLogits` `(rows, E)`.
public enum GateLosses {
    /// Switch Transformer load-balancing loss (Fedus et al. 2021, eq. 4):
    /// `α · E · Σ_i f_i · P_i`, with `f_i` the fraction of top-k choices that went to expert i
    /// (a constant: no gradient) and `P_i` the mean gate probability of expert i.
    /// - Parameter probabilities: softmax of the gate logits, `(rows, E)`.
    @inlinable
    public static func balance(
        probabilities s: UnsafePointer<Float>, rows: Int, experts: Int,
        choiceFraction f: UnsafePointer<Float>, coefficient alpha: Float,
        dLogits: UnsafeMutablePointer<Float>?
    ) -> Float {
        guard alpha != 0, rows > 0 else { return 0 }
        var loss: Float = 0
        let scale = alpha * Float(experts) / Float(rows)
        for t in 0..<rows {
            let row = s + t * experts
            var dot: Float = 0
            for e in 0..<experts {
                loss += f[e] * row[e]
                dot += row[e] * f[e]
            }
            if let d = dLogits {
                let drow = d + t * experts
                for e in 0..<experts { drow[e] += scale * row[e] * (f[e] - dot) }
            }
        }
        return loss * scale
    }

    /// Router z-loss (Zoph et al. 2022, ST-MoE, eq. 5): `β · mean_t (logsumexp(logits_t))²`.
    /// Its gradient is `2β · z_t · softmax(logits_t) / rows`.
    @inlinable
    public static func zLoss(
        probabilities s: UnsafePointer<Float>, logSumExp z: UnsafePointer<Float>,
        rows: Int, experts: Int, coefficient beta: Float,
        dLogits: UnsafeMutablePointer<Float>?
    ) -> Float {
        guard beta != 0, rows > 0 else { return 0 }
        var loss: Float = 0
        for t in 0..<rows {
            loss += z[t] * z[t]
            if let d = dLogits {
                let g = 2 * beta * z[t] / Float(rows)
                for e in 0..<experts { d[t * experts + e] += g * s[t * experts + e] }
            }
        }
        return beta * loss / Float(rows)
    }

    /// Routing supervision: `γ · mean_t −log Σ_{e : group[e] = target[t]} softmax(logits_t)_e`,
    /// the cross-entropy of sending input t to any expert of its own group (domain), as in a
    /// domain classifier. Inputs whose target group has no expert, or target −1, are skipped.
    @inlinable
    public static func routingSupervision(
        probabilities s: UnsafePointer<Float>, rows: Int, experts: Int,
        targets: UnsafePointer<Int32>, expertGroup: UnsafePointer<Int32>, coefficient gamma: Float,
        dLogits: UnsafeMutablePointer<Float>?
    ) -> Float {
        guard gamma != 0, rows > 0 else { return 0 }
        var loss: Float = 0
        let scale = gamma / Float(rows)
        for t in 0..<rows where targets[t] >= 0 {
            let row = s + t * experts
            var mass: Float = 0
            for e in 0..<experts where expertGroup[e] == targets[t] { mass += row[e] }
            guard mass > 0 else { continue }
            loss -= logf(max(mass, 1e-30))
            if let d = dLogits {
                for e in 0..<experts {
                    let inGroup: Float = expertGroup[e] == targets[t] ? row[e] / mass : 0
                    d[t * experts + e] += scale * (row[e] - inGroup)
                }
            }
        }
        return loss * scale
    }

    /// Backward of the top-k mixture weights `w = softmax(kept logits)` for one input: given
    /// `dL/dw_j` for its k kept experts, adds `w_j (dL/dw_j − Σ_i w_i dL/dw_i)` to the logits
    /// of those experts. Dropped choices (expert −1) get nothing.
    @inlinable
    public static func topKWeightsBackward(
        weights w: UnsafePointer<Float>, dWeights g: UnsafePointer<Float>,
        chosen: UnsafePointer<Int32>, k: Int, dLogitsRow: UnsafeMutablePointer<Float>
    ) {
        var dot: Float = 0
        for j in 0..<k where chosen[j] >= 0 { dot += w[j] * g[j] }
        for j in 0..<k where chosen[j] >= 0 {
            dLogitsRow[Int(chosen[j])] += w[j] * (g[j] - dot)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
