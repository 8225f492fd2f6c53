#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TableIO

/// The output directory of one run: files are written into a hidden staging directory beside it and
/// the directory is renamed into place only when the whole run succeeded, so a failed or interrupted
/// run leaves no partial output.
final class OutputDirectory {
  /// The directory the outputs end up in.
  let finalPath: String
  /// The staging directory written meanwhile.
  let stagingPath: String
  private let force: Bool
  private var committed = false

  /// Creates the staging directory; fails when `finalPath` exists and `force` is off, or when `force`
  /// is on but `finalPath` is not an empty directory or an output directory DialReady wrote.
  init(finalPath: String, force: Bool) throws(DialReadyError) {
    self.finalPath = finalPath
    self.force = force
    let parent = Self.parent(of: finalPath)
    let base = finalPath.split(separator: "/").last.map(String.init) ?? finalPath
    stagingPath = parent + "/." + base + ".partial-" + String(getpid())
    // First, so that an earlier output set a killed run left aside counts as existing.
    Self.removeStaleStaging(parent: parent, base: base, finalPath: finalPath)
    if Self.exists(finalPath) {
      if !force { throw .outputExists(path: finalPath) }
      if !PathSafety.isReplaceableOutputDirectory(finalPath) { throw .outputNotReplaceable(path: finalPath) }
    }
    Self.removeTree(stagingPath)
    TemporaryPaths.register(stagingPath, isFolder: true)
    TemporaryPaths.register(stagingPath + ".old", isFolder: true)
    if FileIO.makeDirectory(stagingPath) != 0 { throw .cannotCreateOutput(path: finalPath, errno: errno) }
  }

  deinit {
    if !committed { discard() }
  }

  /// Opens an output file named `name` in the staging directory.
  func file(_ name: String) throws(DialReadyError) -> OutputFile {
    try OutputFile(stagingPath: stagingPath + "/" + name, finalPath: finalPath + "/" + name)
  }

  /// Moves the staging directory into place, replacing an existing output directory under `force`.
  /// The earlier outputs stay in place until the new set is complete; they are moved aside and
  /// removed only once the new set is renamed in.
  func commit() throws(DialReadyError) {
    FileIO.fsyncDirectory(stagingPath)
    let result: Result<Void, DialReadyError> = TemporaryPaths.completing(stagingPath) {
      Result { () throws(DialReadyError) in
        if Self.exists(finalPath) {
          guard force else { throw .outputExists(path: finalPath) }
          // Checked again: the folder may have changed while the run was writing.
          guard PathSafety.isReplaceableOutputDirectory(finalPath) else { throw .outputNotReplaceable(path: finalPath) }
          let aside = stagingPath + ".old"
          if FileIO.rename(finalPath, aside) != 0 { throw .cannotCreateOutput(path: finalPath, errno: errno) }
          if FileIO.rename(stagingPath, finalPath) != 0 {
            let code = errno
            _ = rename(aside, finalPath)
            throw .cannotCreateOutput(path: finalPath, errno: code)
          }
          committed = true
          Self.removeTree(aside)
        } else if FileIO.rename(stagingPath, finalPath) != 0 {
          throw .cannotCreateOutput(path: finalPath, errno: errno)
        }
        committed = true
      }
    }
    if !committed { TemporaryPaths.register(stagingPath, isFolder: true) }
    try result.get()
    TemporaryPaths.unregister(stagingPath + ".old")
    FileIO.fsyncFolder(of: finalPath)
  }

  /// Removes the staging directory and everything in it.
  func discard() {
    Self.removeTree(stagingPath)
    TemporaryPaths.unregister(stagingPath)
    TemporaryPaths.unregister(stagingPath + ".old")
  }

  /// Removes staging folders (`.NAME.partial-PID`, `….old`) that runs killed before they could clean
  /// up left beside the output directory; folders of processes still running are left alone. A run
  /// killed between the two renames of a `--force` commit leaves no output directory and the earlier
  /// complete set in `….old`: that set is renamed back into place, not removed.
  static func removeStaleStaging(parent: String, base: String, finalPath: String) {
    let prefix = "." + base + ".partial-"
    guard let dir = opendir(parent) else { return }
    var stale: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard name.hasPrefix(prefix) else { continue }
      let rest = name.dropFirst(prefix.count)
      let digits = rest.hasSuffix(".old") ? rest.dropLast(4) : rest
      guard let pid = Int32(digits), pid != getpid() else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { stale.append(parent + "/" + name) }
    }
    closedir(dir)
    for path in stale.sorted() {
      if path.hasSuffix(".old") && !exists(finalPath) && rename(path, finalPath) == 0 { continue }
      removeTree(path)
    }
  }

  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// Removes a directory of plain files (the only kind this type creates), or a file.
  static func removeTree(_ path: String) {
    guard let dir = opendir(path) else {
      unlink(path)
      return
    }
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      let child = path + "/" + name
      var info = stat()
      if lstat(child, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
        removeTree(child)
      } else {
        unlink(child)
      }
    }
    closedir(dir)
    rmdir(path)
  }
}
