import Foundation
import Hummingbird

extension GroveAPI {
    /// `POST /v1/files?name=FILE`: writes the body to `incoming/` chunk by chunk, then moves it
    /// (flushed) into `datasets/` under its content hash. 201 `{"path", "sha256"}`.
    /// - Throws: 400 without a name (or with a name that is no file name) or with an empty body,
    ///   413 over ``GroveHTTPConfiguration/maxBodySize``.
    func uploadFile(_ request: Request, context: BasicRequestContext) async throws -> Response {
        // The name chooses the stored extension, never a directory: it has no '/'.
        let name = try RequestParameters.fileName(request)
        let limit = configuration.maxBodySize
        try request.checkDeclaredLength(limit: limit, flag: "--max-upload-bytes")
        let submissions = daemon.submissions
        let temporary = daemon.home.incoming.appendingPathComponent("upload-\(UUID().uuidString)")
        let exceeded = ExceededFlag()
        do {
            try await FileIO().writeFile(contents: BodyLimit(request.body, limit: limit, flag: "--max-upload-bytes", exceeded: exceeded),
                                         path: temporary.path, context: context)
            let stored = try await PhaseExecutor.offPool { try submissions.adopt(fileAt: temporary, name: name) }
            let sha256 = String(URL(fileURLWithPath: stored).lastPathComponent.prefix(64))
            context.logger.info("file stored", metadata: ["upload.name": "\(name)", "upload.path": "\(stored)"])
            return try JSONBody.response(APIUpload(path: stored, sha256: sha256), status: .created)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            // The file system layer may wrap the body's error; the flag says what happened.
            if exceeded.isRaised { throw APIError.tooLarge(limit: limit, flag: "--max-upload-bytes") }
            throw error
        }
    }
}
