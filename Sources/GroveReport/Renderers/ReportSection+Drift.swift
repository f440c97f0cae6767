/// The drift section every human-readable format shows.
extension ReportSection {
    /// One row per drift event; the note carries the timeline of the latest windows.
    static func drift(_ drift: ReportDrift) -> ReportSection {
        let fitting = drift.windows.filter(\.fits).count
        var note = "\(drift.windows.count) latest windows of prediction inputs, \(fitting) fitting the known domains"
        if !drift.windows.isEmpty {
            note += "; oldest to newest (· fits, × does not, ▲ raised an event): " + drift.timeline
        }
        return ReportSection(
            title: "Drift in prediction inputs",
            columns: [Column("event", .right), Column("detected"), Column("version", .right), Column("windows"),
                      Column("rows", .right), Column("p", .right), Column("nearest", flexible: true)],
            rows: drift.events.map { e in
                [Cell(String(e.id)), Cell(e.detectedAt), Cell(String(e.version)), Cell("\(e.firstWindow)–\(e.lastWindow)"),
                 Cell(NumberFormat.count(e.rows)), Cell(NumberFormat.pValue(e.pValue), .poor), Cell(e.nearestDomain ?? NumberFormat.none, .muted)]
            },
            note: note)
    }
}
