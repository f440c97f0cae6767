import Foundation

extension PhaseTermination {
    /// What happened to a child that ended without recording an outcome, in words for the
    /// job's error: the signal by name, the crash line the child printed, memory running out.
    /// - Parameter memoryLimit: the address-space cap the child ran under, if any.
    func explanation(memoryLimit: Int?) -> String {
        var text: String
        switch (cause, crashLine) {
        case (.signalled(let signal), nil): text = "died of \(Self.name(ofSignal: signal))"
        case (.signalled(let signal), let line?): text = "died of \(Self.name(ofSignal: signal).prefix { $0 != " " }): \(line)"
        case (.exited(let status), nil): text = "exited with status \(status)"
        case (.exited(let status), let line?): text = "exited with status \(status): \(line)"
        }
        if outOfMemory {
            text += "; memory ran out (the kernel's out-of-memory killer stopped it)"
        } else if let memoryLimit, crashLine?.contains("allocate") ?? false {
            text += "; it reached its memory cap of \(memoryLimit / (1 << 20)) MiB (grove daemon --phase-memory-limit)"
        }
        return text
    }

    /// `SIGSEGV (invalid memory access)`, `signal 42` for one not listed.
    static func name(ofSignal signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV (invalid memory access)"
        case SIGBUS: "SIGBUS (bus error: a mapped file shrank, or misaligned access)"
        case SIGILL: "SIGILL (illegal instruction: a failed runtime check)"
        case SIGTRAP: "SIGTRAP (a failed runtime check)"
        case SIGABRT: "SIGABRT (aborted)"
        case SIGFPE: "SIGFPE (arithmetic error)"
        case SIGKILL: "SIGKILL (killed)"
        case SIGTERM: "SIGTERM (terminated)"
        case SIGINT: "SIGINT (interrupted)"
        case SIGXCPU: "SIGXCPU (CPU time limit)"
        default: "signal \(signal)"
        }
    }
}
