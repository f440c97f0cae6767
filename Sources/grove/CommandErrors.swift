import ArgumentParser

/// Runs a command's body: an `ExitCode` passes through, any other error prints one
/// `error: …` line on stderr and exits with status 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError(error)
        throw ExitCode.failure
    }
}
