import GroveNumerics

// MARK: - Validation shared by every format

extension Dataset {
    /// Checks the invariants every reader guarantees: a non-empty, consistent shape, finite
    /// features and, when given, the model's fixed input dimension.
    ///
    /// - Parameter expectedDimension: the model's input dimension, fixed by its first dataset;
    ///   `nil` when this dataset will fix it.
    /// - Throws: ``DatasetError/noSamples(file:)``, ``DatasetError/inconsistentShape(file:reason:)``,
    ///   ``DatasetError/dimensionMismatch(file:expected:actual:)`` or
    ///   ``DatasetError/nonFiniteFeature(file:record:feature:value:)`` naming the first bad record.
    public func validate(expectedDimension: Int? = nil) throws {
        try Self.validateShape(
            featureCount: features.count, dimension: dimension, count: count,
            labelCount: labels.count, source: source, expectedDimension: expectedDimension)
        try Self.checkFinite(features, dimension: dimension, source: source)
    }

    static func validateShape(
        featureCount: Int, dimension: Int, count: Int, labelCount: Int, source: String,
        expectedDimension: Int?
    ) throws {
        guard count > 0 else { throw DatasetError.noSamples(file: source) }
        guard dimension > 0 else {
            throw DatasetError.inconsistentShape(file: source, reason: "samples have no features")
        }
        guard labelCount == count else {
            throw DatasetError.inconsistentShape(
                file: source, reason: "\(labelCount) labels for \(count) samples")
        }
        let (expectedCount, overflow) = count.multipliedReportingOverflow(by: dimension)
        guard !overflow, featureCount == expectedCount else {
            throw DatasetError.inconsistentShape(
                file: source,
                reason: "\(featureCount) feature values, expected \(count) x \(dimension)")
        }
        if let expectedDimension, expectedDimension != dimension {
            throw DatasetError.dimensionMismatch(
                file: source, expected: expectedDimension, actual: dimension)
        }
    }

    /// Throws for the first NaN or infinite value, naming its record and feature.
    static func checkFinite(_ features: [Float], dimension: Int, source: String) throws {
        if let index = firstNonFinite(features) {
            throw DatasetError.nonFiniteFeature(
                file: source, record: index / dimension + 1, feature: index % dimension,
                value: features[index])
        }
    }

    /// The index of the first NaN or infinite value, or `nil` when every value is finite.
    static func firstNonFinite(_ features: [Float]) -> Int? {
        features.withUnsafeBufferPointer { buffer in
            // Fast vectorisable scan: adding 2^23 to the exponent bits carries into bit 31
            // only for an all-ones exponent, i.e. NaN or infinity.
            var acc: UInt32 = 0
            for x in buffer { acc |= (x.bitPattern & 0x7F80_0000) &+ 0x0080_0000 }
            guard acc & 0x8000_0000 != 0 else { return nil }
            return buffer.firstIndex(where: { !$0.isFinite })
        }
    }
}

// MARK: - Seeded split

extension Dataset {
    /// Splits the samples into a training part and a held-out test part, stratified by class.
    ///
    /// Each class's samples are shuffled with a ``SeededRNG`` derived from `seed` and the class
    /// index, and `round(testFraction * n_c)` of them go to the test part; both parts keep the
    /// original sample order. The same seed always gives the same split, and the parts are
    /// disjoint and together hold every sample exactly once. A class with a single sample stays in
    /// the training part.
    ///
    /// - Parameters:
    ///   - testFraction: share of each class held out, in [0, 1); default 0.15.
    ///   - seed: the split seed.
    /// - Throws: ``DatasetError/invalidTestFraction(_:)`` for a fraction outside [0, 1).
    public func split(testFraction: Double = 0.15, seed: UInt64) throws -> (train: Dataset, test: Dataset) {
        guard testFraction >= 0, testFraction < 1 else {
            throw DatasetError.invalidTestFraction(testFraction)
        }
        var byClass: [Int32: [Int]] = [:]
        for (i, label) in labels.enumerated() { byClass[label, default: []].append(i) }
        var isTest = [Bool](repeating: false, count: count)
        for label in byClass.keys.sorted() {
            guard var members = byClass[label] else { continue }
            var rng = SeededRNG.derived(seed: seed, stream: UInt64(bitPattern: Int64(label)))
            PixelPermutation.shuffle(&members, using: &rng)
            let take = members.count > 1 ? Int((testFraction * Double(members.count)).rounded()) : 0
            for i in members.prefix(take) { isTest[i] = true }
        }
        let test = (0 ..< count).filter { isTest[$0] }
        let train = (0 ..< count).filter { !isTest[$0] }
        return (subset(train), subset(test))
    }
}
