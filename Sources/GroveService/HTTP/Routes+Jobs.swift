import Foundation
import GroveStore
import Hummingbird
import HTTPTypes

extension GroveAPI {
    /// `POST /v1/jobs`: checks the body against the schema, stores the dataset spec durably and
    /// commits the job before answering 202 `{"job", "created"}`; the same spec again gives the
    /// same job with `created: false`. The first job that names a model creates it (`default`
    /// when the body names none).
    /// - Throws: 400 naming the field that breaks the schema or the file that is missing, 403
    ///   for a file outside the uploads and data roots, 413 over ``GroveHTTPConfiguration/maxJobBodySize``.
    func submitJob(_ request: Request) async throws -> Response {
        let data = try await JSONBody.collect(request, limit: configuration.maxJobBodySize, flag: "--max-job-bytes")
        let submission = try SpecValidation.decode(data)
        let model = submission.model ?? ModelName.standard
        let result = try await daemon.submissions.submit(submission.spec, model: model)
        return try JSONBody.response(APIJobSubmitted(job: APIJob(result.job), created: result.created, requeued: result.requeued), status: .accepted)
    }

    /// `GET /v1/jobs[?state=queued,running,...][&model=NAME][&limit=N][&after=ID]`: one page of
    /// jobs (of one model), oldest first: at most `limit` (default 100, at most 1000) whose id is
    /// above `after` (default 0). A full page carries `Link: <…>; rel="next"` to the next one.
    /// - Throws: 400 naming the query parameter that is malformed.
    func listJobs(_ request: Request) async throws -> Response {
        let states = try RequestParameters.states(request)
        let model = try RequestParameters.model(request)
        let limit = try RequestParameters.integer(request, "limit", in: 1...Int64(RequestParameters.maxPageSize))
            .map(Int.init) ?? RequestParameters.defaultPageSize
        let after = try RequestParameters.integer(request, "after", in: 0...Int64.max) ?? 0
        let jobs = await daemon.hosts.presented(try await daemon.store.jobs(model: model, states: states, after: after, limit: limit))
        var response = try JSONBody.response(jobs)
        if jobs.count == limit, let last = jobs.last, let link = HTTPField.Name("Link") {
            response.headers[link] = "<\(Self.jobsPage(model: model, states: states, after: last.id, limit: limit))>; rel=\"next\""
        }
        return response
    }

    /// The path of the page of jobs after `after`.
    static func jobsPage(model: String?, states: Set<JobState>?, after: Int64, limit: Int) -> String {
        var query = ["limit=\(limit)", "after=\(after)"]
        if let states { query.append("state=" + JobState.allCases.filter(states.contains).map(\.rawValue).joined(separator: ",")) }
        if let model { query.append("model=\(model)") }
        return GroveRoute.listJobs.path + "?" + query.joined(separator: "&")
    }

    /// `GET /v1/jobs/{id}`: one job.
    /// - Throws: 400 for an id that is not an integer in 1...2^63−1, 404 for an unknown one.
    func job(_ context: BasicRequestContext) async throws -> Response {
        let id = try RequestParameters.pathID(context)
        return try JSONBody.response(try await views.job(id: id))
    }
}
