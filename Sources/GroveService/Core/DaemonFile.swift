import Foundation

/// The note a serving daemon keeps in its home, `daemon.json`: the address it listens on and
/// its process id, so that a command given only `--home` finds it.
///
/// Written atomically once the daemon is open and removed when it stops. A daemon killed with
/// SIGKILL leaves it behind; clients treat an address that does not answer as no daemon.
public struct DaemonFile: Codable, Sendable, Equatable {
    /// The daemon's base URL as a local client reaches it (`http://127.0.0.1:7878`).
    public var url: String
    /// The daemon's process id.
    public var pid: Int32

    /// A note for a daemon listening on `host:port` in process `pid`; a wildcard host
    /// (`0.0.0.0`, `::`) becomes the loopback address.
    public init(host: String, port: Int, pid: Int32) {
        let reachable = switch host {
        case "0.0.0.0", "": "127.0.0.1"
        case "::": "[::1]"
        default: host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
        url = "http://\(reachable):\(port)"
        self.pid = pid
    }

    /// Writes the note into `home` (a temporary file renamed over the old one).
    /// - Throws: `ServiceError.unusableHome`.
    public func write(to home: GroveHome) throws {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(self).write(to: home.daemonFile, options: .atomic)
        } catch {
            throw ServiceError.unusableHome(path: home.root.path, reason: "cannot write \(home.daemonFile.lastPathComponent): \(error.localizedDescription)")
        }
    }

    /// The note in `home`, or nil when there is none or it is unreadable.
    public static func read(from home: GroveHome) -> DaemonFile? {
        guard let data = try? Data(contentsOf: home.daemonFile) else { return nil }
        return try? JSONDecoder().decode(DaemonFile.self, from: data)
    }

    /// Removes the note from `home` if it is this process's (a second daemon's note stays).
    public static func remove(from home: GroveHome, pid: Int32) {
        guard read(from: home)?.pid == pid else { return }
        try? FileManager.default.removeItem(at: home.daemonFile)
    }
}
