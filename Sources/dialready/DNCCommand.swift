import ArgumentParser
import DialReadyEngine
import Foundation
import NANP

/// `dialready dnc`: build do-not-call indexes and look numbers up in them.
struct DNCCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dnc",
    abstract: "Build do-not-call indexes from the national registries' lists and internal lists, and check numbers against them.",
    subcommands: [Build.self, Check.self]
  )

  /// `dialready dnc build`.
  struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Index do-not-call lists (FTC/DNCL full lists `AAA,NNNNNNN`, bare numbers, a ZIP of area-code files, or CSV/XLSX files with a phone column) into one compact file.")

    @Argument(help: "List files to index.")
    var lists: [String]

    @Option(help: "The index file to write (replaced atomically).")
    var out: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
      let result: (reports: [DNCLists.SourceReport], count: Int)
      do {
        try PathSafety.check(output: out, role: "index", reads: lists.map { PathSafety.ReadPath($0, role: "a list") })
        result = try DNCLists.build(lists, to: out)
      } catch {
        standardError("dialready: \(error.description)")
        throw ExitCode(error.exitCode)
      }
      if json {
        let sources = result.reports.map { report -> [String: Any] in
          [
            "name": report.source.name, "sha256": report.source.sha256, "numbers": report.source.numbers,
            "bad_lines": report.source.badLines,
            "first_bad_lines": report.firstBadLines.map { ["line": $0.line, "reason": $0.reason] },
          ]
        }
        let object: [String: Any] = ["index": out, "distinct_numbers": result.count, "sources": sources]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
        return
      }
      print("\(out): \(result.count) distinct numbers from \(result.reports.count) source(s)")
      for report in result.reports {
        print("  \(report.source.name): \(report.source.numbers) numbers, \(report.source.badLines) bad lines")
        for bad in report.firstBadLines.prefix(10) { print("    line \(bad.line): \(bad.reason)") }
      }
    }
  }

  /// `dialready dnc check`.
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Tell whether numbers are on the do-not-call lists (for support staff).")

    @Argument(help: "Numbers to check, in any format.")
    var numbers: [String]

    @Option(name: .customLong("dnc"), help: "A do-not-call index or list (repeatable).")
    var dnc: [String]

    func run() throws {
      let indexes: [DNCIndex]
      do { indexes = try DNCLists.open(dnc) } catch {
        standardError("dialready: \(error.description)")
        throw ExitCode(error.exitCode)
      }
      let parser = PhoneNumberParser(allowedRegions: .all)
      for number in numbers {
        switch parser.parse(number) {
        case .valid(let parsed):
          let hits = indexes.filter { $0.contains(parsed.national) }.map { ($0.path as NSString).lastPathComponent }
          print("\(parsed.e164)\t\(hits.isEmpty ? "not listed" : "listed in " + hits.joined(separator: ", "))")
        case .invalid(let reason):
          print("\(number)\tinvalid: \(reason.rawValue)")
        }
      }
    }
  }
}

/// The do-not-call and earlier-run options of `classify`.
struct ListOptions: ParsableArguments {
  @Option(name: .customLong("dnc"), help: "A do-not-call index (from `dialready dnc build`) or raw list; repeatable. Listed numbers get dnc=true and class Do Not Call.")
  var dnc: [String] = []

  @Option(help: "Refuse (exit 65) do-not-call lists older than this many days (safe harbor: 31).")
  var dncMaxAge: Int = 31

  @Flag(help: "Use do-not-call lists older than --dnc-max-age anyway.")
  var allowStaleDnc = false

  @Option(help: "An index of numbers delivered on earlier runs: they become Duplicate with reason seen_in_previous_run.")
  var exclude: String?

  @Option(help: "Add this run's delivered (filtered) numbers to this index, created if missing and replaced atomically.")
  var record: String?

  mutating func validate() throws {
    if dncMaxAge < 0 { throw ValidationError("--dnc-max-age must be zero or more days") }
  }

  func apply(to options: inout ClassifyOptions) {
    options.dncPaths = dnc
    options.dncMaxAgeDays = dncMaxAge
    options.allowStaleDNC = allowStaleDnc
    options.excludePath = exclude
    options.recordPath = record
  }
}
