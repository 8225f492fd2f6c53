import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The rules that keep a run from destroying what it reads or what it did not write.
///
/// - An output (a directory the run creates or replaces, its lock file, a `--record` store, a converted
///   file) may not be, contain or lie inside any path the run reads (the input, `--dnc` indexes, the
///   `--exclude` store, lookup, history and model files). Paths are compared as real paths: symlinks,
///   `.`, `..` and repeated slashes resolved, also for outputs that do not exist yet.
/// - `--force` replaces only an empty directory or one DialReady wrote: it holds a `manifest.json`
///   written by DialReady and nothing but the files a run writes.
public enum PathSafety {
  /// A path the run reads, with what it is, for the error message.
  public struct ReadPath: Sendable, Equatable {
    public var path: String
    public var role: String
    public init(_ path: String, role: String) {
      self.path = path
      self.role = role
    }
  }

  /// The files a classify run writes into its output directory.
  public static let outputNames: Set<String> = ["processed.csv", "processed-filtered.csv", "rejects.csv", "manifest.json"]

  /// The absolute path of `path` with symlinks, `.`, `..` and repeated slashes resolved. For a path
  /// that does not exist (yet), its deepest existing ancestor is resolved and the rest is appended.
  public static func realPath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    var rest: [String] = []
    while true {
      let candidate = "/" + components.joined(separator: "/")
      if let resolved = resolve(candidate) {
        return normalize(resolved, appending: rest)
      }
      guard let last = components.popLast() else { return normalize("/", appending: rest) }
      rest.insert(last, at: 0)
    }
  }

  /// Whether `inner` is `outer` or lies inside it (both real paths).
  public static func isSameOrInside(_ inner: String, _ outer: String) -> Bool {
    if inner == outer { return true }
    let prefix = outer.hasSuffix("/") ? outer : outer + "/"
    return inner.hasPrefix(prefix)
  }

  /// The first read path that `output` is, contains or lies inside, or `nil` when they are apart.
  public static func overlap(output: String, reads: [ReadPath]) -> ReadPath? {
    let out = realPath(output)
    for read in reads where read.path != "-" && !read.path.isEmpty {
      let path = realPath(read.path)
      if isSameOrInside(out, path) || isSameOrInside(path, out) { return read }
    }
    return nil
  }

  /// Refuses (exit 64) an output that is, contains or lies inside a path the run reads.
  public static func check(output: String, role: String, reads: [ReadPath]) throws(DialReadyError) {
    if let read = overlap(output: output, reads: reads) {
      throw .outputOverlapsInput(output: output, outputRole: role, input: read.path, inputRole: read.role)
    }
  }

  /// Whether `path` (which exists) may be replaced under `--force`: an empty directory, or one that
  /// holds DialReady's `manifest.json` and only the files a run writes.
  public static func isReplaceableOutputDirectory(_ path: String) -> Bool {
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
    if names.isEmpty { return true }
    guard names.allSatisfy(outputNames.contains), names.contains("manifest.json") else { return false }
    for name in names {
      guard lstat(path + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
    }
    return isDialReadyManifest(path + "/manifest.json")
  }

  /// Whether `path` is a directory a batch run may write into: missing, empty, or a batch output root
  /// (it holds DialReady's `run.json`). A symlink to such a folder counts: the root is written into,
  /// never replaced.
  public static func isUsableBatchRoot(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return lstat(path, &info) != 0 }
    guard (info.st_mode & S_IFMT) == S_IFDIR else { return false }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
    if names.isEmpty { return true }
    guard let data = FileManager.default.contents(atPath: path + "/run.json"),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return false }
    return object["output_root"] != nil && object["files"] != nil
  }

  /// Whether the file is a manifest a DialReady run wrote (a JSON object with its engine and outputs).
  static func isDialReadyManifest(_ path: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: path),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return false }
    return object["engine"] is [String: Any] && object["outputs"] is [String: Any]
  }

  private static func resolve(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// `base` with `rest` appended, `.` dropped and `..` taking off the previous component.
  private static func normalize(_ base: String, appending rest: [String]) -> String {
    var parts = base.split(separator: "/").map(String.init)
    for part in rest {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }
}
