import Foundation
import Hummingbird

extension GroveAPI {
    /// `POST /v1/files?name=FILE`: writes the body to `incoming/` chunk by chunk, then moves it
    /// (flushed) into `datasets/` under its content hash. 201 `{"path", "sha256"}`.
    /// - Throws: 400 without a name or with an empty body, 413 over the body limit.
    func uploadFile(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let given = request.uri.queryParameters.get("name"), !given.isEmpty else {
            throw APIError.badRequest("missing query parameter 'name' (the file's name, e.g. ?name=train.csv)")
        }
        // Only the last component counts: the name chooses the stored extension, never a directory.
        let name = URL(fileURLWithPath: given).lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw APIError.badRequest("query parameter 'name' is not a file name: '\(given)'")
        }
        let limit = configuration.maxBodySize
        try request.checkDeclaredLength(limit: limit)
        let submissions = daemon.submissions
        let temporary = daemon.home.incoming.appendingPathComponent("upload-\(UUID().uuidString)")
        let exceeded = ExceededFlag()
        do {
            try await FileIO().writeFile(contents: BodyLimit(request.body, limit: limit, exceeded: exceeded),
                                         path: temporary.path, context: context)
            let stored = try await PhaseExecutor.offPool { try submissions.adopt(fileAt: temporary, name: name) }
            let sha256 = String(URL(fileURLWithPath: stored).lastPathComponent.prefix(64))
            context.logger.info("file stored", metadata: ["upload.name": "\(name)", "upload.path": "\(stored)"])
            return try JSONBody.response(APIUpload(path: stored, sha256: sha256), status: .created)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            // The file system layer may wrap the body's error; the flag says what happened.
            if exceeded.isRaised { throw APIError.tooLarge(limit: limit) }
            throw error
        }
    }
}
