import Foundation
import GroveStore
import Hummingbird

extension GroveAPI {
    /// `POST /v1/jobs/{id}/retry` (body empty or `{}`): puts a failed or cancelled job back in
    /// the queue as if new (attempts 0, no error) and answers 202 with the job.
    /// - Throws: 400 for an id that is not an integer, 404 for an unknown job, 409 for a job
    ///   that is queued, running or succeeded, or whose files garbage collection has removed
    ///   (submitting the data again queues it again).
    func retryJob(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try RequestParameters.pathID(context)
        let body = try await JSONBody.collect(request, limit: 1024)
        if !body.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], object.isEmpty else {
                throw APIError.badRequest("the body of a retry must be empty or {}")
            }
        }
        guard let job = try await daemon.store.job(id: id) else { throw StoreError.jobNotFound(id: id) }
        if job.state == .failed || job.state == .cancelled {
            let missing = JobFiles(of: job, home: daemon.home).missing
            if !missing.isEmpty {
                throw APIError(.conflict, "cannot retry job \(id): its files are missing or unreadable (\(missing.joined(separator: ", "))); submit the data again")
            }
        }
        let queued = try await daemon.store.retry(jobID: id)
        return try JSONBody.response(APIJob(queued), status: .accepted)
    }
}
