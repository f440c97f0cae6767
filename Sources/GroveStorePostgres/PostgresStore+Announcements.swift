import Foundation
import GroveStore
import PostgresNIO

// MARK: - Following committed versions

extension PostgresStore: VersionAnnouncing {
    /// The channel a trigger on `model_versions` notifies at each commit.
    static let versionChannel = "grove_versions"

    public func followVersions(_ announced: @escaping @Sendable (VersionAnnouncement) async -> Void) async throws {
        try await read { connection in
            try await connection.listen(on: Self.versionChannel) { notifications in
                for try await notification in notifications {
                    guard let announcement = try? JSONDecoder().decode(VersionAnnouncement.self, from: Data(notification.payload.utf8)) else {
                        self.logger.warning("unreadable version announcement", metadata: ["payload": "\(notification.payload.prefix(200))"])
                        continue
                    }
                    await announced(announcement)
                }
            }
        }
    }
}
