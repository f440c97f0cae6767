import ArgumentParser
import GroveNumerics

/// The `grove` command: a lifelong-learning Mixture-of-Experts service and its tools.
@main
struct Grove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grove",
        abstract: "Continual learning with expert growth: a Mixture-of-Experts that grows and never forgets.",
        subcommands: [DemoCommand.self, DaemonCommand.self, SubmitCommand.self, CancelCommand.self, RetryCommand.self, ModelsCommand.self, StatusCommand.self, JobsCommand.self, DomainsCommand.self, ExpertsCommand.self, ReportCommand.self, EvaluateCommand.self, DriftCommand.self, VersionsCommand.self, RollbackCommand.self, ExportCommand.self, PredictCommand.self, BenchCommand.self, BLASCommand.self, FitCommand.self, GCCommand.self, StoreCommand.self, PhaseCommand.self]
    )

    /// Puts OpenBLAS on the right kernels (which may restart the process) and sets up the
    /// allocator, then runs the command.
    static func main() async {
        BLASCoreStartup.chooseCore()
        ProcessMemory.configure()
        await main(nil)
    }
}
