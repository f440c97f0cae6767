/// The sections every human-readable format shows, built from a report.
extension ReportSection {
    /// One line summarising the report: model, counts and timestamp.
    static func headline(_ r: Report) -> String {
        "Grove report · model \(r.model) · \(r.phases.count) phases · \(r.domains.count) domains · "
            + "\(r.experts.count) experts · \(r.generatedAt)"
    }

    /// The continual-learning metrics as (name, value) pairs.
    static func metrics(_ r: Report) -> [(name: String, value: String)] {
        guard let m = r.metrics else { return [("metrics", "no phase yet")] }
        return [
            ("average accuracy", NumberFormat.percent(m.averageAccuracy)),
            ("average forgetting", NumberFormat.drop(m.averageForgetting) + " pt"),
            ("backward transfer", NumberFormat.points(m.backwardTransfer) + " pt"),
            ("forward transfer", m.forwardTransfer.map { NumberFormat.points($0) + " pt" } ?? "n/a"),
            ("after phase", String(m.lastPhase)),
        ]
    }

    /// Per domain: current and best accuracy, drop, samples, experts, routing, detection.
    static func domains(_ r: Report) -> ReportSection {
        let rows: [[Cell]] = r.domains.map { d in
            [Cell(d.name), Cell(String(d.firstPhase)), Cell(NumberFormat.count(d.samples)),
             Cell(NumberFormat.ids(d.experts)), .accuracy(d.accuracy), .accuracy(d.bestAccuracy),
             Cell(NumberFormat.drop(d.drop), Tone.drop(d.drop)), .accuracy(d.routingAccuracy),
             Cell(detectionSummary(d.detection), .muted)]
        }
        return ReportSection(
            title: "Domains",
            columns: [Column("domain", flexible: true), Column("first", .right), Column("samples", .right),
                      Column("experts", flexible: true), Column("acc", .right), Column("best", .right),
                      Column("drop", .right), Column("routing", .right), Column("why it grew", flexible: true)],
            rows: rows,
            note: "acc: after the latest phase; drop: points below best; routing: inputs sent to own experts")
    }

    /// The detection in a few words, the p-value before the (possibly long) domain name:
    /// `new (nothing known yet)`, `new, p<0.001 vs tops`, `known, p=0.420 vs tops`.
    static func detectionSummary(_ d: ReportDetection?) -> String {
        guard let d else { return NumberFormat.none }
        guard let nearest = d.nearestDomain else { return "\(d.decision) (nothing known yet)" }
        let p = NumberFormat.pValue(d.pValue)
        return "\(d.decision), " + (p.hasPrefix("<") ? "p\(p)" : "p=\(p)") + " vs \(nearest)"
    }

    /// The accuracy matrix, columns `domains` (indices into `report.domains`).
    static func matrix(_ r: Report, domains: Range<Int>, nameWidth: Int? = nil) -> ReportSection {
        let names = r.domains[domains].map { d in nameWidth.map { TextTable.truncate(d.name, to: $0) } ?? d.name }
        let rows: [[Cell]] = r.accuracyMatrix.enumerated().map { i, row in
            let phase = i < r.phases.count ? r.phases[i] : nil
            return [Cell(String(i)), Cell(phase?.domain ?? NumberFormat.none, .muted)]
                + domains.map { j in .accuracy(j < row.count ? row[j] : nil) }
                + [.accuracy(mean(row))]
        }
        return ReportSection(
            title: "Accuracy after each phase",
            columns: [Column("phase", .right), Column("learned", flexible: true)]
                + names.map { Column($0, .right) } + [Column("mean", .right)],
            rows: rows)
    }

    /// Per phase: the domain, the detector's decision and evidence, what grew, the mean accuracy.
    static func phases(_ r: Report) -> ReportSection {
        let rows: [[Cell]] = r.phases.map { p in
            let d = p.detection
            return [Cell(String(p.index)), Cell(p.job.map(String.init) ?? NumberFormat.none, .muted), Cell(p.domain),
                    Cell(p.rolledBackTo.map { "rollback to v\($0)" } ?? d.decision, d.decision == "known" ? .plain : .strong),
                    Cell(d.nearestDomain ?? NumberFormat.none),
                    Cell(NumberFormat.statistic(d.statistic)), Cell(NumberFormat.pValue(d.pValue)),
                    Cell(NumberFormat.ids(p.grown)), Cell(NumberFormat.count(p.trainSamples)),
                    .accuracy(p.averageAccuracy), Cell(NumberFormat.seconds(p.timings.total), .muted)]
        }
        return ReportSection(
            title: "Phases",
            columns: [Column("phase", .right), Column("job", .right), Column("domain", flexible: true), Column("decision"),
                      Column("nearest", flexible: true), Column("MMD²", .right), Column("p", .right),
                      Column("grown", flexible: true), Column("train", .right), Column("mean acc", .right), Column("time", .right)],
            rows: rows,
            note: "decision: new grows experts, known adds to a known domain (MMD² two-sample test, permutation p)"
                + (r.phases.contains { $0.rolledBackTo != nil } ? "; a rollback to vN makes version N (after phase N−1) predict again" : ""))
    }

    /// Per expert: lineage, creation phase, frozen, size and the domains it serves.
    static func experts(_ r: Report) -> ReportSection {
        let rows: [[Cell]] = r.experts.map { e in
            [Cell("#\(e.id)"), Cell(e.parent.map { "#\($0)" } ?? NumberFormat.none), Cell(e.domain ?? NumberFormat.none),
             Cell(e.createdPhase.map(String.init) ?? NumberFormat.none), Cell(e.frozen ? "yes" : "no", e.frozen ? .plain : .fair),
             Cell(NumberFormat.count(e.parameters)), Cell(NumberFormat.classes(e.classes)), Cell(loadSummary(e.load))]
        }
        return ReportSection(
            title: "Experts",
            columns: [Column("id", .right), Column("parent", .right), Column("domain", flexible: true), Column("phase", .right),
                      Column("frozen"), Column("params", .right), Column("classes", flexible: true),
                      Column("load (share of a domain's routing)", flexible: true)],
            rows: rows)
    }

    /// The domains an expert serves, largest share first: `tops 98%, bottoms 2%`.
    static func loadSummary(_ load: [String: Double]) -> String {
        let sorted = load.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        guard !sorted.isEmpty else { return NumberFormat.none }
        return sorted.map { "\($0.key) \(Int(($0.value * 100).rounded()))%" }.joined(separator: ", ")
    }

    /// Mean of the present values, `nil` when there is none.
    static func mean(_ values: [Double?]) -> Double? {
        let present = values.compactMap { $0 }
        return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
    }
}
