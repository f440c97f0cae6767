import Foundation

/// A worker's claim on a running job for a limited time.
///
/// Workers that share a store claim jobs with a lease and renew it while the job's phase runs
/// (``Store/renewLease(jobID:lease:)``). A worker that dies stops renewing; once its lease has
/// run out, ``Store/requeueExpired(maxAttempts:)`` puts the job back in the queue for another.
public struct JobLease: Sendable, Hashable {
    /// Who holds it: unique per worker process (host, pid and a random part).
    public var owner: String
    /// How long the lease lasts after each claim or renewal, in seconds.
    public var seconds: Double

    /// A lease of `seconds` held by `owner`.
    public init(owner: String, seconds: Double) {
        self.owner = owner
        self.seconds = seconds
    }

    /// A new owner name for this process: host name, process id and a random suffix.
    public static func newOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }
}
