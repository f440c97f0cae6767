import Hummingbird

extension GroveAPI {
    /// `GET /v1/models`: every model in name order, with its input dimension, size and latest version.
    func models() async throws -> Response {
        try await answers.json("models") { try await views.models() }
    }

    /// `GET /v1/models/{model}` (`GET /v1/status` for `default`): the model's latest version and
    /// size, its job counts per state and its running job. This and the other views of the
    /// store's rows are computed once per change of the store (``AnswerCache``).
    /// - Throws: 400 for a malformed name, 404 for an unknown model.
    func status(model: String) async throws -> Response {
        try await answers.json("status/" + model) { try await views.status(model: model) }
    }

    /// `GET /v1/models/{model}/domains` (`GET /v1/domains` for `default`): known domains in
    /// order of appearance, with the latest phase's accuracy.
    /// - Throws: 400 for a malformed name, 404 for an unknown model.
    func domains(model: String) async throws -> Response {
        try await answers.json("domains/" + model) { try await views.domains(model: model) }
    }

    /// `GET /v1/models/{model}/experts` (`GET /v1/experts` for `default`): every expert with its
    /// lineage, oldest first.
    /// - Throws: 400 for a malformed name, 404 for an unknown model.
    func experts(model: String) async throws -> Response {
        try await answers.json("experts/" + model) { try await views.experts(model: model) }
    }
}
