import Foundation
import GroveData
import GroveStore
import Hummingbird

/// `GET /v1/models/{model}/drift`: what the watch on the model's prediction inputs found, its
/// drift events oldest first and its latest tested windows newest first.
public struct APIDrift: Codable, Sendable, Equatable {
    /// The model.
    public var model: String
    /// Every drift event.
    public var events: [Event]
    /// The latest tested windows, newest first.
    public var windows: [Window]

    /// A view of `model`'s events and windows.
    public init(model: String, events: [Event], windows: [Window]) {
        self.model = model
        self.events = events
        self.windows = windows
    }

    /// A drift: windows in a row that fit no mix of the known domains, and its candidate rows.
    public struct Event: Codable, Sendable, Equatable {
        /// The event's id (`grove drift export ID`).
        public var id: Int64
        /// The version serving when it was raised.
        public var version: Int
        /// When it was raised.
        public var detectedAt: Date
        /// Ids of the run's first and last windows.
        public var firstWindow: Int64
        public var lastWindow: Int64
        /// The last window's MMD² and p-value.
        public var statistic: Double
        public var pValue: Double
        /// The domain most of the run's rows were nearest to.
        public var nearestDomain: String?
        /// Rows kept as the candidate dataset, and features per row.
        public var rows: Int
        public var features: Int

        enum CodingKeys: String, CodingKey {
            case id, version, statistic, rows, features
            case detectedAt = "detected_at"
            case firstWindow = "first_window"
            case lastWindow = "last_window"
            case pValue = "p_value"
            case nearestDomain = "nearest_domain"
        }
    }

    /// One tested window of prediction inputs.
    public struct Window: Codable, Sendable, Equatable {
        /// The window's id.
        public var id: Int64
        /// The version that answered its rows.
        public var version: Int
        /// When it was tested.
        public var testedAt: Date
        /// Rows in it.
        public var rows: Int
        /// Its MMD² against the known domains in its proportions, and the p-value.
        public var statistic: Double
        public var pValue: Double
        /// Whether it fits the known domains.
        public var fits: Bool
        /// The domain most of its rows were nearest to.
        public var nearestDomain: String?
        /// The median novelty of its rows.
        public var medianNovelty: Double

        enum CodingKeys: String, CodingKey {
            case id, version, rows, statistic, fits
            case testedAt = "tested_at"
            case pValue = "p_value"
            case nearestDomain = "nearest_domain"
            case medianNovelty = "median_novelty"
        }
    }

    enum CodingKeys: String, CodingKey {
        case model, events, windows
    }
}

extension HomeViews {
    /// The drift events of `model` and its latest `windows` tested windows, from the store.
    /// - Throws: ``ServiceError/unknownModel(name:known:)`` or a `StoreError`.
    public func drift(model: String, windows limit: Int = 100) async throws -> APIDrift {
        let host = try await hosts.host(named: model)
        guard try await store.model(named: host.name) != nil else { return APIDrift(model: host.name, events: [], windows: []) }
        let names = Dictionary(uniqueKeysWithValues: try await store.domains(model: host.name).map { ($0.id, $0.name) })
        let numbers = Dictionary(uniqueKeysWithValues: try await store.modelVersions(model: host.name).map { ($0.id, $0.number) })
        let events = try await store.driftEvents(model: host.name).map { e in
            APIDrift.Event(id: e.id, version: numbers[e.modelVersionID] ?? 0, detectedAt: e.detectedAt, firstWindow: e.firstWindowID,
                           lastWindow: e.lastWindowID, statistic: e.statistic, pValue: e.pValue,
                           nearestDomain: e.nearestDomainID.flatMap { names[$0] }, rows: e.candidateRows, features: e.featureCount)
        }
        let windows = try await store.driftWindows(model: host.name, before: nil, limit: limit).map { w in
            APIDrift.Window(id: w.id, version: numbers[w.modelVersionID] ?? 0, testedAt: w.testedAt, rows: w.rowCount,
                            statistic: w.statistic, pValue: w.pValue, fits: w.fits,
                            nearestDomain: w.nearestDomainID.flatMap { names[$0] }, medianNovelty: w.medianNovelty)
        }
        return APIDrift(model: host.name, events: events, windows: windows)
    }
}

extension HomeViews {
    /// The candidate rows of `model`'s drift event `id`, in the order the watch saw them, with
    /// the model's feature names when it has them.
    /// - Throws: ``ServiceError/unknownModel(name:known:)``, ``ServiceError/unknownDriftEvent(id:model:)``
    ///   or a `StoreError` (a missing or corrupted blob).
    public func candidateRows(model: String, event id: Int64) async throws -> FeatureRows {
        let host = try await hosts.host(named: model)
        guard try await store.model(named: host.name) != nil,
              let event = try await store.driftEvents(model: host.name).first(where: { $0.id == id })
        else { throw ServiceError.unknownDriftEvent(id: id, model: host.name) }
        let bytes = try await store.blob(sha256: event.candidateSHA256)
        let count = event.candidateRows * event.featureCount
        guard bytes.count == count * 4 else {
            throw StoreError.blobUndecodable(sha256: event.candidateSHA256, reason: "\(bytes.count) bytes for \(event.candidateRows) rows of \(event.featureCount) float32 features")
        }
        let features = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0 ..< count { buffer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
            }
            initialized = count
        }
        var rows = FeatureRows(features: features, dimension: event.featureCount, count: event.candidateRows,
                               source: "candidate-\(id)")
        // Named as the model's features, so that the labelled CSV is learned column for column.
        if let names = await host.features, names.count == event.featureCount { rows.columnNames = names }
        return rows
    }
}

extension GroveAPI {
    /// `GET /v1/models/{model}/drift/{id}/rows?format=npy|csv` (default `npy`; `/v1/drift/{id}/rows`
    /// for `default`): a drift event's candidate rows as a float32 `.npy` array or as CSV with an
    /// empty `label` column.
    /// - Throws: 400 for a malformed id or an unknown format, 404 for an unknown model or event.
    func candidateRows(_ request: Request, context: BasicRequestContext, model: String) async throws -> Response {
        let id = try RequestParameters.pathID(context)
        let name = request.uri.queryParameters.get("format") ?? FeatureRowsWriter.Format.npy.rawValue
        guard let format = FeatureRowsWriter.Format(rawValue: name) else {
            throw APIError.badRequest("query parameter 'format': unknown format '\(name)'; use npy or csv")
        }
        let rows = try await views.candidateRows(model: model, event: id)
        return Response(status: .ok, headers: [.contentType: format.mediaType],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: format.encode(rows))))
    }
}
