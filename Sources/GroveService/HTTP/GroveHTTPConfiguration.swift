/// Settings of the daemon's HTTP API, passed to ``makeGroveApplication(daemon:configuration:logger:)``.
///
/// ```swift
/// var configuration = GroveHTTPConfiguration(host: "0.0.0.0", port: 8080)
/// configuration.token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
/// try configuration.check()   // a non-loopback address needs the token
/// ```
public struct GroveHTTPConfiguration: Sendable {
    /// The address to bind. Default `127.0.0.1`: local clients only.
    public var host: String
    /// The TCP port. Default `7878`; `0` picks a free one.
    public var port: Int
    /// The bearer token every route but `/healthz` requires, or `nil` (the default) for none.
    public var token: String?
    /// The largest upload (`POST /v1/files`) in bytes; larger ones get 413. Default 512 MiB.
    public var maxBodySize: Int
    /// The largest `POST /v1/jobs` body in bytes. Default 1 MiB.
    public var maxJobBodySize: Int
    /// The largest predict body in bytes. Default 64 MiB.
    public var maxPredictBodySize: Int
    /// The most rows one predict request may hold. Default 10 000.
    public var maxPredictRows: Int
    /// How long a connection may send nothing (between requests or inside one) before it is
    /// closed. Default 30 s.
    public var idleTimeout: Duration
    /// How long a client has to send a request's head (method, path, headers) after connecting
    /// or after its previous answer; the connection is closed otherwise. Default 10 s.
    public var readTimeout: Duration
    /// The most connections served at once; further ones wait in the kernel's backlog. Default 256.
    public var maxConnections: Int

    /// A configuration; every argument has the default stated on its property.
    public init(host: String = "127.0.0.1", port: Int = 7878, token: String? = nil, maxBodySize: Int = 512 << 20,
                maxJobBodySize: Int = 1 << 20, maxPredictBodySize: Int = 64 << 20, maxPredictRows: Int = 10_000,
                idleTimeout: Duration = .seconds(30), readTimeout: Duration = .seconds(10), maxConnections: Int = 256) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodySize = maxBodySize
        self.maxJobBodySize = maxJobBodySize
        self.maxPredictBodySize = maxPredictBodySize
        self.maxPredictRows = maxPredictRows
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.maxConnections = maxConnections
    }

    /// Parses `HOST:PORT` (as `--listen` takes it; `[::1]:PORT` for IPv6) into ``host`` and ``port``.
    /// - Throws: `ServiceError.badInput` naming the text when it is not `HOST:PORT` with a port in 0...65535.
    public mutating func listen(on address: String) throws {
        guard let colon = address.lastIndex(of: ":") else {
            throw ServiceError.badInput("--listen '\(address)': expected HOST:PORT")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(address[address.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ServiceError.badInput("--listen '\(address)': expected HOST:PORT with a port in 0...65535")
        }
        self.host = host
        self.port = port
    }

    /// Whether ``host`` is a loopback address or name, reachable from this machine only.
    public var listensOnLoopback: Bool { ListenAddress.isLoopback(host) }

    /// Checks that the settings can be served safely: a daemon reachable from other machines
    /// needs a token, and every limit is positive.
    /// - Throws: `ServiceError.badInput` with a one-line reason.
    public func check() throws {
        if !listensOnLoopback, token?.isEmpty ?? true {
            throw ServiceError.badInput(
                "--listen \(host): a daemon reachable from other machines needs a bearer token (--token-file FILE)")
        }
        let limits = [("--max-upload-bytes", maxBodySize), ("--max-job-bytes", maxJobBodySize),
                      ("--max-predict-bytes", maxPredictBodySize), ("--max-predict-rows", maxPredictRows),
                      ("--max-connections", maxConnections)]
        for (flag, value) in limits where value < 1 {
            throw ServiceError.badInput("\(flag) \(value): must be at least 1")
        }
        if idleTimeout <= .zero { throw ServiceError.badInput("--idle-timeout: must be more than 0 seconds") }
        if readTimeout <= .zero { throw ServiceError.badInput("--read-timeout: must be more than 0 seconds") }
    }
}

/// What a listen host is: loopback, a wildcard (every interface) or one specific address.
enum ListenAddress {
    /// The names a loopback request may address: `localhost`, `127.0.0.1`, `::1`.
    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]

    /// Whether `host` is a loopback name or address (`127.0.0.0/8`, `::1`, `localhost`).
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return loopbackNames.contains(host) || host.hasPrefix("127.") || host == "0:0:0:0:0:0:0:1"
    }

    /// Whether `host` means every interface (`0.0.0.0`, `::`).
    static func isWildcard(_ host: String) -> Bool {
        ["0.0.0.0", "::", "0:0:0:0:0:0:0:0", ""].contains(host.lowercased())
    }
}
