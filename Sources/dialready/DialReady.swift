import ArgumentParser
import DialReadyEngine

/// The `dialready` command: makes phone lists ready to dial.
@main
struct DialReady: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dialready",
    abstract: "Make phone lists ready to dial: normalize, validate, dedup and classify North American numbers.",
    version: "0.1.0",
    subcommands: [Classify.self, Inspect.self, Normalize.self, Convert.self, DNCCommand.self, Train.self, Evaluate.self, Serve.self, Admin.self]
  )

  /// Removes temporary files on SIGINT/SIGTERM (exit 130/143), then parses and runs the command.
  static func main() {
    // `serve` drains on SIGTERM/SIGINT itself and exits 0; every other command cleans up and exits 130/143.
    if CommandLine.arguments.dropFirst().first != "serve" { InterruptCleanup.install() }
    main(nil as [String]?)
  }
}
