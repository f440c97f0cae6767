import Foundation
import GroveNumerics
import Synchronization
import Testing

/// Memory the helper's half of a job writes and the caller reads after `wait()`.
private final class Slots: @unchecked Sendable {
    var values = [Int](repeating: 0, count: 4)
}

@Test func aHotHelperRunsEveryHandedOverJobOnceAndItsWritesAreVisibleAfterWait() {
    let slots = Slots()
    let helper = HotHelper(spin: .milliseconds(50)) { argument in slots.values[argument] += argument }
    var handedOver = 0
    for round in 0..<2000 {
        let argument = 1 + round % 3
        let before = slots.values[argument]
        if helper.start(argument) {
            helper.wait()
            handedOver += 1
            #expect(slots.values[argument] == before + argument, "round \(round)")
        } else {
            #expect(slots.values[argument] == before, "a refused job must not run")
        }
    }
    // Back-to-back calls find it spinning: at most the first call or two find it asleep.
    #expect(handedOver >= 1990, "\(handedOver) of 2000 jobs handed over")
    #expect(helper.completedJobs == UInt64(handedOver))
}

@Test func anIdleHelperSleepsIsRefusedOnceAndIsHotAgainForTheNextCall() async throws {
    let runs = Atomic<Int>(0)
    let helper = HotHelper(spin: .microseconds(200)) { _ in runs.add(1, ordering: .relaxed) }
    for cycle in 0..<20 {
        try await Task.sleep(for: .milliseconds(5))  // far longer than the spin: it sleeps now
        #expect(!helper.start(0), "cycle \(cycle): a sleeping helper is refused (and woken)")
        var accepted = false
        for _ in 0..<100_000 where !accepted {
            accepted = helper.start(0)
        }
        #expect(accepted, "cycle \(cycle): the woken helper takes work again")
        helper.wait()
    }
    #expect(runs.load(ordering: .relaxed) == 20)
    #expect(helper.completedJobs == 20)
}

/// A helper that falls asleep after every job races each hand-over against its decision to
/// sleep; no job may be lost (the caller would wait forever) or run twice.
@Test func handOversRacingTheHelpersSleepNeverLoseAJob() {
    final class Outcome: @unchecked Sendable {
        var handedOver = 0
        var completed: UInt64 = 0
    }
    let outcome = Outcome()
    let finished = DispatchSemaphore(value: 0)
    let runs = Atomic<Int>(0)
    let caller = Thread {
        let helper = HotHelper(spin: .microseconds(2)) { _ in runs.add(1, ordering: .relaxed) }
        var rng = SeededRNG(seed: 9)
        for argument in 0..<200_000 {
            // Pauses around the spin time land hand-overs at every point of the helper's loop.
            let pause = ContinuousClock.now + .nanoseconds(Int64(rng.next() % 4_000))
            while ContinuousClock.now < pause {}
            if helper.start(argument) {
                helper.wait()
                outcome.handedOver += 1
            }
        }
        outcome.completed = helper.completedJobs
        finished.signal()
    }
    caller.start()
    let done = finished.wait(timeout: .now() + 60) == .success
    #expect(done, "a handed-over job was never run: the caller is still waiting")
    guard done else { return }
    #expect(outcome.handedOver > 0)
    #expect(outcome.completed == UInt64(outcome.handedOver))
    #expect(runs.load(ordering: .relaxed) == outcome.handedOver)
}
