/// Receiver operating characteristic summaries of a score meant to be higher for positives.
public enum ROC {
    /// The area under the ROC curve: the probability that a random positive scores above a
    /// random negative, ties counting one half (the Mann–Whitney U statistic over `p × n`).
    /// - Returns: nil when either side is empty.
    public static func area(positives: [Float], negatives: [Float]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        // Ranks of the pooled scores, ties sharing their mean rank.
        let pooled = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var positiveRankSum = 0.0
        var start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count, pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let meanRank = Double(start + end) / 2 + 1
            for i in start...end where pooled[i].1 { positiveRankSum += meanRank }
            start = end + 1
        }
        let p = Double(positives.count), n = Double(negatives.count)
        return (positiveRankSum - p * (p + 1) / 2) / (p * n)
    }
}
