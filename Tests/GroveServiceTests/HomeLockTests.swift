import Foundation
import GroveService
import Testing

/// One process per home: the lock is shared within a process, refused to another one with
/// its process id, and released with the last handle.
@Suite struct HomeLockTests {
    static func temporaryHome() -> GroveHome {
        GroveHome(path: FileManager.default.temporaryDirectory.appendingPathComponent("grove-lock-\(UUID().uuidString)").path)
    }

    /// Whether another open file description (as in another process) could lock the home now.
    static func isFree(_ home: GroveHome) -> Bool {
        let descriptor = open(home.lockFile.path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return false }
        flock(descriptor, LOCK_UN)
        return true
    }

    @Test func aProcessSharesItsLockAndReleasesItWithTheLastHandle() throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        var first: HomeLock? = try HomeLock.acquire(home)
        var second: HomeLock? = try HomeLock.acquire(GroveHome(path: home.root.path + "/"))
        #expect(first?.path == second?.path)
        #expect(HomeLock.recordedHolder(of: home) == getpid())
        #expect(!Self.isFree(home))
        first = nil
        #expect(!Self.isFree(home), "one handle still holds it")
        second = nil
        #expect(Self.isFree(home))
        let third = try HomeLock.acquire(home)
        #expect(!Self.isFree(home) && third.path.hasSuffix("/daemon.lock"))
    }

    @Test func anotherHolderIsNamedAndTheHomeIsLeftUntouched() async throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        try FileManager.default.createDirectory(at: home.root, withIntermediateDirectories: true)
        let other = open(home.lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { close(other) }
        #expect(flock(other, LOCK_EX) == 0)
        #expect(write(other, "4242\n", 5) == 5)

        #expect(throws: HomeLockError.held(home: home.root.path, pid: 4242)) { _ = try HomeLock.acquire(home) }
        #expect(HomeLockError.held(home: "/h", pid: 4242).description
                == "home /h is in use by another grove process (pid 4242); stop it first or choose another --home")
        #expect(HomeLockError.held(home: "/h", pid: nil).description.contains("(pid unknown)"))
        await #expect(throws: HomeLockError.held(home: home.root.path, pid: 4242)) {
            _ = try await GroveDaemon.open(home: home, config: HTTPFixture.tinyConfig, logger: HTTPFixture.quietLogger)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.root.path) == ["daemon.lock"], "nothing else was created")
    }
}
