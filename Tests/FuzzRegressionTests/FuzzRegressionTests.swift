import Foundation
import Testing

/// Replays every input the fuzzers ever crashed on (`Fixtures/fuzz-regressions/TARGET/`) through the
/// same target bodies the fuzzers run (`FuzzTargets.swift` and `StoredZip.swift` are links to the fuzz
/// package's files), so a regression crashes `swift test`.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
  static let folder: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/Fixtures/fuzz-regressions"
  }()

  /// (target, file) for every committed regression input.
  static let cases: [String] = {
    let manager = FileManager.default
    var cases: [String] = []
    for target in (try? manager.contentsOfDirectory(atPath: folder))?.sorted() ?? [] {
      for file in (try? manager.contentsOfDirectory(atPath: folder + "/" + target))?.sorted() ?? [] {
        cases.append(target + "/" + file)
      }
    }
    return cases
  }()

  @Test func everyFolderNamesATarget() throws {
    let targets = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
    #expect(!targets.isEmpty)
    for target in targets { #expect(FuzzTargets.all[target] != nil, "no fuzz target named \(target)") }
  }

  @Test(arguments: cases)
  func replay(_ name: String) throws {
    let target = String(name.prefix { $0 != "/" })
    let body = try #require(FuzzTargets.all[target])
    let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + name))
    data.withUnsafeBytes { body($0) }
  }
}
