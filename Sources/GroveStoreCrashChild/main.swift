// The child process of the store's crash test (Tests/GroveStoreTests/CrashTests.swift).
//
// Usage: GroveStoreCrashChild STORE SEED
//
// Opens STORE (a SQLite home directory, or a postgres:// URL), re-queues the job a killed
// predecessor left running, then commits phases in a loop (enqueue -> claim -> progress ->
// commit) until it is killed. Every phase has the shape CrashPhase describes, so the parent
// can check that each committed version is complete. Before each commit it writes the job's
// id and a newline to standard output, so that the parent can kill it while it commits.
// Commits at most 12 phases, then waits to be killed: a parent whose kill came late (a busy
// machine) must not find hundreds of versions to verify. Exits by itself after 60 s so that a
// lost child never runs forever.
import Foundation
import GroveStore
import GroveStorePostgres

let arguments = CommandLine.arguments
guard arguments.count == 3, let seed = UInt64(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: GroveStoreCrashChild STORE SEED\n".utf8))
    exit(2)
}

do {
    let store: any Store = arguments[1].hasPrefix("postgres")
        ? try await PostgresStore.open(url: arguments[1])
        : try SQLiteStore.open(home: URL(filePath: arguments[1], directoryHint: .isDirectory))
    _ = try await store.requeueInterrupted(maxAttempts: 1_000)
    var random = SplitMix64(seed: seed)
    let deadline = Date().addingTimeInterval(60)
    var submitted = 0
    var committed = 0
    while Date() < deadline, committed < 12 {
        if try await store.jobs(states: [.queued]).isEmpty {
            let sha = CrashPhase.datasetSHA256(seed: seed, counter: submitted)
            _ = try await store.enqueue(JobRequest(datasetSHA256: sha, source: "crash-\(seed)-\(submitted)"))
            submitted += 1
        }
        guard let job = try await store.claimNextJob() else { continue }
        try await store.recordProgress(jobID: job.id, progress: 0.5, note: "training")
        let latest = try await store.latestModelVersion(model: "default")
        let domains = try await store.domains(model: "default").map(\.name)
        let experts = try await store.experts(model: "default", version: nil)
        let phase = CrashPhase.make(
            jobID: job.id, number: (latest?.number ?? 0) + 1, knownDomains: domains,
            parent: experts.last?.id, random: &random)
        FileHandle.standardOutput.write(Data("\(job.id)\n".utf8))
        _ = try await store.commitPhase(phase)
        committed += 1
    }
    while Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
