import Hummingbird

extension GroveAPI {
    /// `GET /v1/status`: the model's latest version and size, job counts per state and the running job.
    func status() async throws -> Response {
        try JSONBody.response(try await views.status())
    }

    /// `GET /v1/domains`: known domains in order of appearance, with the latest phase's accuracy.
    func domains() async throws -> Response {
        try JSONBody.response(await views.domains())
    }

    /// `GET /v1/experts`: every expert with its lineage, oldest first.
    func experts() async throws -> Response {
        try JSONBody.response(await views.experts())
    }
}
