import Foundation
import GroveData
import GroveLearning
import GroveNumerics
@testable import GroveService
import GroveStore
import GroveTestSupport
import Logging
import Testing

@Test func phasesCommitThroughTheQueueAndARestartRestoresTheSameLearner() async throws {
    let temp = TemporaryHome()
    let daemon = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"))
    let first = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 240, seed: 1), name: "a.csv", to: daemon)
    let again = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 240, seed: 1), name: "a-copy.csv", to: daemon)
    #expect(first.created && !again.created && again.job.id == first.job.id, "same content, same job")
    _ = try await submitCSV(csv(classes: [2, 3], region: 2, rows: 240, seed: 2), name: "b.csv", to: daemon)
    try await runQueue(daemon)
    #expect(try await daemon.store.jobs(states: [.succeeded]).count == 2)
    #expect(try await daemon.store.latestModelVersion(model: "default")?.number == 2)
    let live = try await defaultHost(daemon).learner
    #expect(live.model?.experts.count == 2)

    let reopened = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"))
    let restored = try await defaultHost(reopened).learner
    #expect(restored.model == live.model)
    #expect(restored.domains == live.domains)
    #expect(restored.phaseCount == live.phaseCount && live.phaseCount == 2)
    #expect(try await reopened.store.integrityCheck() == ["ok"])
}

@Test func aMalformedFileFailsItsJobWithTheReadersMessageAndLeavesTheModelAlone() async throws {
    let temp = TemporaryHome()
    let daemon = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"))
    _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 200, seed: 1), name: "good.csv", to: daemon)
    try await runQueue(daemon)
    let before = try await daemon.store.latestModelVersion(model: "default")
    var bad = csv(classes: [2, 3], region: 2, rows: 50, seed: 3).split(separator: "\n").map(String.init)
    bad[7] = "2," + Array(repeating: "1.0", count: 5).joined(separator: ",") + ",oops," + Array(repeating: "1.0", count: 6).joined(separator: ",")
    let result = try await submitCSV(bad.joined(separator: "\n") + "\n", name: "bad.csv", to: daemon)
    try await runQueue(daemon)
    let failed = try #require(try await daemon.store.job(id: result.job.id))
    #expect(failed.state == .failed)
    let message = try #require(failed.error)
    #expect(message.contains(":8:") && message.contains("'oops' is not a number"), "\(message)")
    #expect(!message.contains("\n"))
    #expect(try await daemon.store.latestModelVersion(model: "default") == before)
    #expect(try await defaultHost(daemon).learner.phaseCount == 1)
}

@Test func inboxFilesGoToDefaultAndFolderFilesToTheirModel() async throws {
    let temp = TemporaryHome()
    let daemon = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"))
    let inbox = temp.home.inbox
    let fm = FileManager.default
    for folder in ["digits", "not a model"] {
        try fm.createDirectory(at: inbox.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    try Data(csv(classes: [0, 1], region: 1, rows: 40, seed: 1).utf8).write(to: inbox.appendingPathComponent("top.csv"))
    try Data(csv(classes: [0, 1], region: 2, rows: 40, seed: 2).utf8).write(to: inbox.appendingPathComponent("digits/one.csv"))
    try Data(csv(classes: [0, 1], region: 3, rows: 40, seed: 3).utf8).write(to: inbox.appendingPathComponent("not a model/skipped.csv"))
    let watcher = InboxWatcher(home: temp.home, submissions: daemon.submissions, logger: Logger(label: "test"))
    let sizes = await watcher.scan(previousSizes: [:])
    #expect(Set(sizes.keys) == ["top.csv", "digits/one.csv"], "a first look only notes the sizes")
    #expect(await watcher.scan(previousSizes: sizes).isEmpty)
    #expect(try await daemon.store.jobs(model: "default", states: nil).count == 1)
    #expect(try await daemon.store.jobs(model: "digits", states: nil).count == 1)
    #expect(try await daemon.store.jobs().count == 2)
    #expect(!fm.fileExists(atPath: inbox.appendingPathComponent("digits/one.csv").path))
    #expect(fm.fileExists(atPath: inbox.appendingPathComponent("not a model/skipped.csv").path))
    #expect(try await daemon.hosts.names() == ["default", "digits"])
}

@Test func aRunningPhaseReportsRisingProgressFromFiveToNinetyPercent() async throws {
    actor Recorded { var values: [Double] = []; func add(_ v: Double) { values.append(v) } }
    let temp = TemporaryHome()
    var config = tinyConfig()
    config.expertEpochs = 8
    config.gateSteps = 8
    let daemon = try await GroveDaemon.open(home: temp.home, config: config, logger: Logger(label: "test"))
    _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 1500, seed: 1), name: "a.csv", to: daemon)
    let job = try #require(try await daemon.store.claimNextJob())
    let recorded = Recorded()
    var executor = PhaseExecutor(store: daemon.store, host: try await defaultHost(daemon), access: daemon.submissions.access)
    executor.progressInterval = .milliseconds(1)
    _ = try await executor.run(job) { share in await recorded.add(share) }
    let values = await recorded.values
    #expect(values.first == 0.05 && values.last == 0.9, "\(values)")
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "\(values)")
    // How many values fall between depends on when the relay gets a cooperative thread; the
    // relay's own test checks that it passes on what training records.
}

/// The time limit is generous: on two cores the whole suite's synchronous learning tests can
/// hold every cooperative thread for over a minute, and the relay waits for one (it once took
/// 85 s in a full run).
@Test(.timeLimit(.minutes(4))) func theProgressRelayPassesOnEachRiseOfAPointAndEndsWhenCancelled() async throws {
    let share = ProgressShare()
    let (delivered, sink) = AsyncStream.makeStream(of: Double.self)
    let relay = share.relay(every: .milliseconds(1)) { sink.yield($0) }
    var received = delivered.makeAsyncIterator()
    share.record(0.5)
    #expect(await received.next() == 0.5)
    share.record(0.505)  // less than a point above the last delivery: never passed on
    try await Task.sleep(for: .milliseconds(20))
    share.record(0.7)
    #expect(await received.next() == 0.7)
    relay.cancel()
    await relay.value  // a cancelled relay ends (the time limit catches one that does not)
}

/// A daemon that has learned three datasets: two domains, the first one twice (a child expert).
private func threePhases(in temp: TemporaryHome) async throws -> GroveDaemon {
    let daemon = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"))
    _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 240, seed: 1), name: "a.csv", to: daemon)
    _ = try await submitCSV(csv(classes: [2, 3], region: 2, rows: 240, seed: 2), name: "b.csv", to: daemon)
    _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 240, seed: 3), name: "a-more.csv", to: daemon)
    try await runQueue(daemon)
    return daemon
}

/// The experts view reads the store's rows; it shows what the learner holds: ids, lineage
/// (including a child of a known domain's expert), domains, creation phases, classes by name.
@Test func theExpertsViewFromTheStoresRowsShowsWhatTheLearnerHolds() async throws {
    let temp = TemporaryHome()
    let daemon = try await threePhases(in: temp)
    let host = try await defaultHost(daemon)
    let (learner, labels) = await (host.learner, host.labels)
    let model = try #require(learner.model)
    #expect(model.experts.count == 3)
    var createdIn: [Int: Int] = [:]
    for phase in learner.phases {
        for id in phase.grown where createdIn[id] == nil { createdIn[id] = phase.index }
    }
    let expected = model.experts.map { e in
        APIExpert(id: e.id, parent: e.parent, domain: e.domain, createdPhase: createdIn[e.id], frozen: e.isFrozen,
                  classes: e.classes.map { labels.name(of: $0) ?? String($0) }, parameters: e.shape.parameterCount)
    }
    let views = HomeViews(store: daemon.store, hosts: daemon.hosts)
    let fromRows = try await views.experts(model: "default")
    #expect(fromRows == expected)
    #expect(fromRows.last?.parent == fromRows.first?.id, "more data of a known domain grows a child of its expert")
    #expect(fromRows.map(\.createdPhase) == [0, 1, 2])
}

/// The domains view reads the store's rows and shows what the learner holds, with the latest
/// phase's evaluation.
@Test func theDomainsViewFromTheStoresRowsShowsWhatTheLearnerHolds() async throws {
    let temp = TemporaryHome()
    let daemon = try await threePhases(in: temp)
    let host = try await defaultHost(daemon)
    let (learner, labels) = await (host.learner, host.labels)
    let latest = try #require(learner.phases.last)
    let expected = learner.domains.map { d in
        let evaluation = latest.evaluations.first { $0.domain == d.name }
        return APIDomain(name: d.name, experts: d.experts, classes: d.classes.sorted().map { labels.name(of: $0) ?? String($0) },
                         firstPhase: d.firstPhase, accuracy: evaluation?.accuracy, routingAccuracy: evaluation?.routingAccuracy)
    }
    let views = HomeViews(store: daemon.store, hosts: daemon.hosts)
    let fromRows = try await views.domains(model: "default")
    #expect(fromRows == expected)
    #expect(fromRows.map(\.experts.count) == [2, 1] && fromRows.map(\.firstPhase) == [0, 1])

    // Status and the model list count from the rows too.
    let model = try #require(learner.model)
    let status = try await views.status(model: "default")
    #expect(status.version == 3 && status.experts == model.experts.count && status.domains == learner.domains.count)
    let summary = try #require(try await views.models().first)
    #expect(summary.inputDimension == model.inputs && summary.classes == model.classCount)
    #expect(summary.experts == 3 && summary.domains == 2 && summary.version == 3)
}

/// Each committed version keeps its phase's timings and gate steps, and each detection the
/// learner's significance and evidence against every tested domain.
@Test func versionsKeepTheirPhasesTimingsAndDetectionEvidence() async throws {
    let temp = TemporaryHome()
    let daemon = try await threePhases(in: temp)
    let learner = try await defaultHost(daemon).learner
    let versions = try await daemon.store.modelVersions(model: "default")
    let domains = Dictionary(uniqueKeysWithValues: try await daemon.store.domains(model: "default").map { ($0.id, $0.name) })
    #expect(versions.count == learner.phases.count)
    for (version, phase) in zip(versions, learner.phases) {
        #expect(version.detectSeconds == phase.timings.detect && version.trainExpertsSeconds == phase.timings.trainExperts)
        #expect(version.retrainGateSeconds == phase.timings.retrainGate && version.evaluateSeconds == phase.timings.evaluate)
        #expect(version.phaseSeconds == phase.timings.total && version.gateSteps == phase.gateSteps)
        let jobID = try #require(version.jobID)
        let detection = try #require(try await daemon.store.detection(jobID: jobID))
        #expect(detection.significance == phase.detection.significance)
        let evidence = try await daemon.store.detectionEvidence(detectionID: detection.id)
        let stored = evidence.map { "\(domains[$0.domainID] ?? "?") \($0.statistic) \($0.pValue)" }.sorted()
        #expect(stored == phase.detection.evidence.map { "\($0.name) \($0.statistic) \($0.pValue)" }.sorted())
    }
    #expect(learner.phases.dropFirst().allSatisfy { !$0.detection.evidence.isEmpty }, "later phases tested known domains")
}
