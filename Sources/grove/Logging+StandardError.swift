import Logging

/// Sends every logger of this process to standard error at `level` and above (the daemon and
/// its phase processes log the same way, so a phase's lines join the daemon's log).
func bootstrapStandardErrorLogging(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
