import GroveLearning
import GroveNumerics
import GroveStore

/// The answer to `GET /v1/status`: the model, its size and the queue.
public struct APIStatus: Codable, Sendable, Equatable {
    /// The model's name.
    public var model: String
    /// The latest model version's number, or `null` before the first phase.
    public var version: Int?
    /// How many experts the model has.
    public var experts: Int
    /// How many domains it knows.
    public var domains: Int
    /// Jobs per state, every state present.
    public var jobs: [String: Int]
    /// The job being learned, or `null`.
    public var running: APIJob?
    /// The kernels OpenBLAS runs in the daemon (its phase processes inherit the choice).
    public var blas: APIBLAS

    /// A status.
    public init(model: String, version: Int?, experts: Int, domains: Int, jobs: [String: Int], running: APIJob?, blas: APIBLAS) {
        self.model = model
        self.version = version
        self.experts = experts
        self.domains = domains
        self.jobs = jobs
        self.running = running
        self.blas = blas
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(version, forKey: .version)
        try c.encode(experts, forKey: .experts)
        try c.encode(domains, forKey: .domains)
        try c.encode(jobs, forKey: .jobs)
        try c.encode(running, forKey: .running)
        try c.encode(blas, forKey: .blas)
    }
}

/// The BLAS kernels of a process (`blas` of `GET /v1/status`).
public struct APIBLAS: Codable, Sendable, Equatable {
    /// The OpenBLAS core (`Haswell`, `SkylakeX`, `Cooperlake`, …; `Prescott` is its generic fallback).
    public var core: String
    /// Who chose it: `openblas`, `grove` (from `cpuid`) or `user` (`OPENBLAS_CORETYPE`).
    public var coreSource: BLASCoreSource
    /// OpenBLAS's thread count.
    public var threads: Int

    /// A BLAS description.
    public init(core: String, coreSource: BLASCoreSource, threads: Int) {
        self.core = core
        self.coreSource = coreSource
        self.threads = threads
    }

    enum CodingKeys: String, CodingKey {
        case core
        case coreSource = "core_source"
        case threads
    }
}

/// One known domain (`GET /v1/domains`).
public struct APIDomain: Codable, Sendable, Equatable {
    /// The domain's name.
    public var name: String
    /// Ids of the experts grown for it, oldest first.
    public var experts: [Int]
    /// Names of the labels seen in it, in class-index order.
    public var classes: [String]
    /// The phase it first appeared in, from 0.
    public var firstPhase: Int
    /// Accuracy on its held-out samples after the latest phase, in [0, 1], or `null`.
    public var accuracy: Double?
    /// Share of its held-out samples routed first to its own experts after the latest phase, or `null`.
    public var routingAccuracy: Double?

    /// A domain.
    public init(name: String, experts: [Int], classes: [String], firstPhase: Int, accuracy: Double?, routingAccuracy: Double?) {
        self.name = name
        self.experts = experts
        self.classes = classes
        self.firstPhase = firstPhase
        self.accuracy = accuracy
        self.routingAccuracy = routingAccuracy
    }

    enum CodingKeys: String, CodingKey {
        case name, experts, classes, accuracy
        case firstPhase = "first_phase"
        case routingAccuracy = "routing_accuracy"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(experts, forKey: .experts)
        try c.encode(classes, forKey: .classes)
        try c.encode(firstPhase, forKey: .firstPhase)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(routingAccuracy, forKey: .routingAccuracy)
    }
}

/// One expert with its lineage (`GET /v1/experts`).
public struct APIExpert: Codable, Sendable, Equatable {
    /// The expert's id in the model.
    public var id: Int
    /// The expert it was grown from, or `null` for a root.
    public var parent: Int?
    /// The domain it was grown for, or `null`.
    public var domain: String?
    /// The phase that grew it, or `null` when no phase lists it.
    public var createdPhase: Int?
    /// Whether its weights are frozen.
    public var frozen: Bool
    /// Names of the labels it predicts, in output order.
    public var classes: [String]
    /// Its parameter count.
    public var parameters: Int

    /// An expert.
    public init(id: Int, parent: Int?, domain: String?, createdPhase: Int?, frozen: Bool, classes: [String], parameters: Int) {
        self.id = id
        self.parent = parent
        self.domain = domain
        self.createdPhase = createdPhase
        self.frozen = frozen
        self.classes = classes
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case id, parent, domain, frozen, classes, parameters
        case createdPhase = "created_phase"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(parent, forKey: .parent)
        try c.encode(domain, forKey: .domain)
        try c.encode(createdPhase, forKey: .createdPhase)
        try c.encode(frozen, forKey: .frozen)
        try c.encode(classes, forKey: .classes)
        try c.encode(parameters, forKey: .parameters)
    }
}

/// The body of `POST /v1/predict`: samples as rows of features.
public struct APIPredictRequest: Codable, Sendable, Equatable {
    /// One row per sample, each as wide as the model's input.
    public var x: [[Float]]

    /// A request for `x`.
    public init(x: [[Float]]) {
        self.x = x
    }
}

/// The answer to `POST /v1/predict`: one prediction per row, in order, and the model version
/// that made them.
public struct APIPredictResponse: Codable, Sendable, Equatable {
    /// Label, class index, probability and chosen experts of each row.
    public var predictions: [Prediction]
    /// The model version that answered (absent from daemons before versions were reported).
    public var version: Int?

    /// An answer.
    public init(predictions: [Prediction], version: Int? = nil) {
        self.predictions = predictions
        self.version = version
    }
}
