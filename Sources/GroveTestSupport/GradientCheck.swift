/// Central finite differences for checking analytic gradients.
///
/// `(f(θ + h) − f(θ − h)) / 2h` in Float32, compared with the analytic value by a mixed
/// tolerance `|a − n| ≤ atol + rtol · max(|a|, |n|)`; the defaults suit Float32 losses of
/// order 1 with `h = 1e-2`… `1e-3`.
public enum GradientCheck {
    /// The numeric derivative of `loss` along one parameter, perturbed through `perturb`.
    public static func numericDerivative(step h: Float, perturb: (Float) throws -> Void, loss: () throws -> Float) rethrows -> Float {
        try perturb(h)
        let plus = try loss()
        try perturb(-2 * h)
        let minus = try loss()
        try perturb(h)
        return (plus - minus) / (2 * h)
    }

    /// Whether analytic `a` and numeric `n` agree within the mixed tolerance.
    public static func agrees(_ a: Float, _ n: Float, rtol: Float = 5e-2, atol: Float = 2e-4) -> Bool {
        abs(a - n) <= atol + rtol * max(abs(a), abs(n))
    }
}
