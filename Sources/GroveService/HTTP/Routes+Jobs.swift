import Foundation
import GroveStore
import Hummingbird

extension GroveAPI {
    /// `POST /v1/jobs`: stores the dataset spec durably and commits the job before answering
    /// 202 `{"job", "created"}`; the same spec again gives the same job with `created: false`.
    /// The first job that names a model creates it (`default` when the body names none).
    /// - Throws: 400 for a malformed spec (unknown format, missing path, missing file) or a
    ///   malformed model name.
    func submitJob(_ request: Request) async throws -> Response {
        let data = try await JSONBody.collect(request, limit: configuration.maxBodySize)
        let submission = try SpecValidation.decode(data)
        let model = submission.model ?? ModelName.standard
        try ModelName.validate(model)
        try SpecValidation.check(submission.spec)
        let result = try await daemon.submissions.submit(submission.spec, model: model)
        return try JSONBody.response(APIJobSubmitted(job: APIJob(result.job), created: result.created), status: .accepted)
    }

    /// `GET /v1/jobs[?state=queued,running,...][&model=NAME]`: jobs (of one model), oldest first.
    /// - Throws: 400 for an unknown state or a malformed model name.
    func listJobs(_ request: Request) async throws -> Response {
        var states: Set<JobState>?
        if let filter = request.uri.queryParameters.get("state"), !filter.isEmpty {
            states = []
            for name in filter.split(separator: ",") {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let state = JobState(rawValue: trimmed) else {
                    let known = JobState.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.badRequest("unknown job state '\(trimmed)'; use one of \(known)")
                }
                states?.insert(state)
            }
        }
        let model = request.uri.queryParameters.get("model")
        return try JSONBody.response(try await views.jobs(model: model, states: states))
    }

    /// `GET /v1/jobs/{id}`: one job.
    /// - Throws: 400 for an id that is not an integer, 404 for an unknown one.
    func job(_ context: BasicRequestContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw APIError.badRequest("job id '\(text)' is not an integer") }
        return try JSONBody.response(try await views.job(id: id))
    }
}
