import Foundation
import Hummingbird

extension GroveAPI {
    /// `POST /v1/jobs/{id}/cancel`: marks a queued or running job `cancelled`; the job runner
    /// stops a running phase, which commits nothing. 200 with the job.
    /// - Throws: 400 for an id that is not an integer, 404 for an unknown job, 409 for a job
    ///   that has already ended.
    func cancelJob(_ context: BasicRequestContext) async throws -> Response {
        let id = try RequestParameters.pathID(context)
        let job = try await daemon.store.cancel(jobID: id, reason: "cancelled through the API")
        context.logger.info("job cancelled", metadata: ["job.id": "\(id)"])
        return try JSONBody.response(APIJob(job))
    }
}
