/// Settings of the daemon's HTTP API, passed to ``makeGroveApplication(daemon:configuration:logger:)``.
///
/// ```swift
/// var configuration = GroveHTTPConfiguration(host: "0.0.0.0", port: 8080)
/// configuration.token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
/// configuration.metricsText = { registry.emitToString() }
/// ```
public struct GroveHTTPConfiguration: Sendable {
    /// The address to bind. Default `127.0.0.1`: local clients only.
    public var host: String
    /// The TCP port. Default `7878`; `0` picks a free one.
    public var port: Int
    /// The bearer token every route but `/healthz` requires, or `nil` (the default) for none.
    public var token: String?
    /// The largest request body in bytes, uploads included; larger ones get 413. Default 512 MiB.
    public var maxBodySize: Int
    /// Renders the process's metrics in Prometheus text format for `GET /metrics`.
    ///
    /// The library records its metrics through swift-metrics and never bootstraps a backend; the
    /// executable that does (swift-prometheus) passes its registry's rendering here. Default: empty.
    public var metricsText: @Sendable () -> String

    /// A configuration; every argument has the default stated on its property.
    public init(host: String = "127.0.0.1", port: Int = 7878, token: String? = nil, maxBodySize: Int = 512 << 20,
                metricsText: @escaping @Sendable () -> String = { "" }) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodySize = maxBodySize
        self.metricsText = metricsText
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
}
