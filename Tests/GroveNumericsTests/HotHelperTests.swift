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
    let helper = HotHelper(spin: .milliseconds(50), pickup: .milliseconds(50)) { argument in slots.values[argument] += argument }
    var done = 0
    for round in 0..<2000 {
        let argument = 1 + round % 3
        let before = slots.values[argument]
        if helper.start(argument), helper.wait() {
            done += 1
            #expect(slots.values[argument] == before + argument, "round \(round)")
        } else {
            #expect(slots.values[argument] == before, "round \(round): a refused or taken-back job must not run")
        }
    }
    // Back-to-back calls find it spinning.
    #expect(done >= 1990, "\(done) of 2000 jobs done by the helper")
    #expect(helper.completedJobs == UInt64(done))
}

@Test func anIdleHelperSleepsIsRefusedOnceAndIsHotAgainForLaterCalls() async throws {
    let runs = Atomic<Int>(0)
    let helper = HotHelper(spin: .microseconds(200)) { _ in runs.add(1, ordering: .relaxed) }
    var done = 0
    for cycle in 0..<20 {
        let deadline = ContinuousClock.now + .seconds(10)
        while !helper.isAsleep, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        #expect(helper.isAsleep, "cycle \(cycle): an idle helper falls asleep after its spin")
        #expect(!helper.start(0), "cycle \(cycle): a sleeping helper is refused (and woken)")
        // Waking takes a while; meanwhile jobs are taken back. Soon it takes work again.
        var accepted = false
        for _ in 0..<100_000 where !accepted {
            accepted = helper.start(0) && helper.wait()
        }
        #expect(accepted, "cycle \(cycle): the woken helper takes work again")
        done += accepted ? 1 : 0
    }
    #expect(runs.load(ordering: .relaxed) == done)
    #expect(helper.completedJobs == UInt64(done))
}

/// Hand-overs race the helper's decision to sleep and, with a short pickup time, the caller's
/// taking a job back: no job may be lost (the caller would wait forever) or run twice, and a
/// job taken back must not run at all.
@Test(arguments: [Duration.microseconds(5), .nanoseconds(100)])
func handOversRacingTheHelpersSleepAndTakeBacksNeverLoseOrRepeatAJob(pickup: Duration) {
    final class Outcome: @unchecked Sendable {
        var done = 0
        var takenBack = 0
        var completed: UInt64 = 0
    }
    let outcome = Outcome()
    let finished = DispatchSemaphore(value: 0)
    let runs = Atomic<Int>(0)
    let caller = Thread {
        let helper = HotHelper(spin: .microseconds(2), pickup: pickup) { _ in runs.add(1, ordering: .relaxed) }
        var rng = SeededRNG(seed: 9)
        for argument in 0..<200_000 {
            // Pauses around the spin time land hand-overs at every point of the helper's loop.
            let pause = ContinuousClock.now + .nanoseconds(Int64(rng.next() % 4_000))
            while ContinuousClock.now < pause {}
            guard helper.start(argument) else { continue }
            if helper.wait() { outcome.done += 1 } else { outcome.takenBack += 1 }
        }
        outcome.completed = helper.completedJobs
        finished.signal()
    }
    caller.start()
    let finishedInTime = finished.wait(timeout: .now() + 60) == .success
    #expect(finishedInTime, "a handed-over job was never run: the caller is still waiting")
    guard finishedInTime else { return }
    #expect(outcome.done > 0)
    #expect(outcome.completed == UInt64(outcome.done))
    #expect(runs.load(ordering: .relaxed) == outcome.done, "\(outcome.takenBack) taken back")
}

@Test func callsFurtherApartThanTwiceTheSpinLeaveTheHelperAsleep() async throws {
    let helper = HotHelper(spin: .microseconds(100)) { _ in }
    let deadline = ContinuousClock.now + .seconds(10)
    while !helper.isAsleep, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
    for call in 0..<5 {
        try await Task.sleep(for: .milliseconds(3))
        #expect(!helper.start(call), "call \(call) finds it asleep")
        #expect(helper.isAsleep, "call \(call) came 3 ms after the last one: no burst, no wake-up")
    }
    #expect(helper.completedJobs == 0)
    // A burst wakes it (see anIdleHelperSleepsIsRefusedOnceAndIsHotAgainForLaterCalls).
}
