import GroveStore
import Logging
import ServiceLifecycle

/// Keeps every model this worker serves at its newest committed version when other workers
/// share the store and commit phases too: it follows the store's announcements
/// (``VersionAnnouncing``) and, as a safety net for announcements missed while reconnecting,
/// compares each served version with the store's every ``pollInterval``.
struct HeadFollower: Service {
    let store: any Store
    let hosts: ModelHosts
    let logger: Logger
    /// How often the served versions are compared with the store's.
    var pollInterval: Duration = .seconds(2)

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if let announcing = store as? any VersionAnnouncing {
                        group.addTask { try await follow(announcing) }
                    }
                    group.addTask { try await poll() }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
    }

    /// Serves each announced version as it commits; reconnects after a second when the
    /// connection fails.
    private func follow(_ announcing: any VersionAnnouncing) async throws {
        while !Task.isCancelled {
            do {
                try await announcing.followVersions { announcement in
                    await refresh(announcement.model, to: announcement.number)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("lost the store's version announcements; reconnecting", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private func poll() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: pollInterval)
            for host in await hosts.loaded() {
                do {
                    if try await host.catchUp(with: store) {
                        let version = await host.version
                        logger.info("serving a version another worker committed", metadata: [
                            "model": "\(host.name)", "version": "\(version)", "found.by": "poll",
                        ])
                    }
                } catch {
                    logger.warning("could not catch up with the store", metadata: ["model": "\(host.name)", "error": "\(error)"])
                }
            }
        }
    }

    private func refresh(_ model: String, to number: Int) async {
        guard let host = await hosts.loadedHost(named: model), await host.version < number else { return }
        do {
            try await host.restore(from: store)
            let version = await host.version
            logger.info("serving a version another worker committed", metadata: [
                "model": "\(model)", "version": "\(version)", "found.by": "announcement",
            ])
        } catch {
            logger.warning("could not load an announced version", metadata: ["model": "\(model)", "version": "\(number)", "error": "\(error)"])
        }
    }
}
