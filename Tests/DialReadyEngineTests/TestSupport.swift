import Foundation

@testable import DialReadyEngine

/// Paths of checked-in files, from this source file's location.
enum Repository {
  static let root: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
  }()

  static func path(_ relative: String) -> String { root + "/" + relative }
}

/// A fresh temporary directory, removed by `cleanUp()`.
struct ScratchDirectory {
  let path: String

  init() {
    path = NSTemporaryDirectory() + "dialready-engine-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func cleanUp() { try? FileManager.default.removeItem(atPath: path) }

  func write(_ name: String, _ bytes: [UInt8]) -> String {
    let file = path + "/" + name
    FileManager.default.createFile(atPath: file, contents: Data(bytes))
    return file
  }
}

/// The four outputs of a run, read back.
struct RunOutputs {
  let processed: String
  let filtered: String
  let rejects: String
  let manifest: String

  init(directory: String) throws {
    func read(_ name: String) throws -> String {
      String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)), as: UTF8.self)
    }
    processed = try read("processed.csv")
    filtered = try read("processed-filtered.csv")
    rejects = try read("rejects.csv")
    manifest = try read("manifest.json")
  }
}

/// The manifest without what changes from run to run (times, timestamps, paths).
func stableManifest(_ json: String) throws -> NSDictionary {
  guard var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
  object["created_at"] = nil
  object["updated_at"] = nil
  object["timings"] = nil
  object["memory"] = nil
  object["output_directory"] = nil
  if var input = object["input"] as? [String: Any] {
    input["path"] = nil
    object["input"] = input
  }
  if var outputs = object["outputs"] as? [String: [String: Any]] {
    for key in outputs.keys { outputs[key]?["path"] = nil }
    object["outputs"] = outputs
  }
  if var engine = object["engine"] as? [String: Any] {
    engine["threads"] = nil
    object["engine"] = engine
  }
  return object as NSDictionary
}

/// The planned call time every engine test classifies at, so scores do not depend on the clock:
/// Wednesday 2026-11-25 17:00 UTC (12:00 in New York, midday).
enum TestClock {
  static let plannedCall = Date(timeIntervalSince1970: 1_795_626_000)
}

/// Classifies `text` (written to `in.csv` in a fresh scratch directory) into `out/` at the test clock's
/// planned call; the caller removes the scratch directory.
func classifyText(
  _ text: String, configure: (inout ClassifyOptions) -> Void = { _ in }
) throws -> (OutputManifest, ScratchDirectory, ClassifyJob) {
  let scratch = ScratchDirectory()
  let input = scratch.write("in.csv", Array(text.utf8))
  var options = ClassifyOptions(inputPath: input)
  options.plannedCallTime = TestClock.plannedCall
  options.outputDirectory = scratch.path + "/out"
  configure(&options)
  let job = ClassifyJob(options: options)
  do {
    return (try job.run(), scratch, job)
  } catch {
    scratch.cleanUp()
    throw error
  }
}
