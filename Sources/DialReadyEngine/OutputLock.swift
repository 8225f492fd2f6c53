#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TableIO

/// A lock file beside an output directory (`<dir>.lock`, holding the owner's PID) so two runs never
/// write the same outputs. A lock left by a process that no longer exists is taken over, with a note;
/// a file at the lock's path that is not a DialReady lock is never removed (exit 73).
final class OutputLock {
  /// The lock file's path.
  let path: String
  /// Set when a stale lock (dead PID) was recovered: its PID.
  private(set) var recoveredFromPID: Int32?
  private var held = false

  /// Takes the lock for `outputDirectory`, or fails naming the process that holds it.
  init(outputDirectory: String) throws(DialReadyError) {
    path = Self.path(for: outputDirectory)
    for _ in 0..<3 {
      let fd = FileIO.create(path, exclusive: true)
      if fd >= 0 {
        // Registered only once this run owns the file: an interrupt must never remove another run's lock.
        TemporaryPaths.register(path, isFolder: false)
        let text = Array("\(getpid())\n".utf8)
        let code = text.withUnsafeBytes { FileIO.writeAll(fd, $0) }
        close(fd)
        held = true
        if code != 0 {
          release()
          throw .writeFailed(path: path, errno: code)
        }
        return
      }
      guard errno == EEXIST else { throw .cannotCreateOutput(path: path, errno: errno) }
      let owner: Int32?
      switch Self.contents(of: path) {
      case .pid(let pid): owner = pid
      case .empty: owner = nil  // A run killed between creating the lock and writing its PID.
      case .other: throw .notALock(path: path)  // Someone else's file: never removed.
      }
      if let owner, owner != getpid(), kill(owner, 0) == 0 || errno == EPERM {
        throw .locked(path: path, pid: owner)
      }
      // Stale: the owner is gone (or died before writing its PID). Take it over.
      recoveredFromPID = owner ?? -1
      unlink(path)
    }
    throw .cannotCreateOutput(path: path, errno: EEXIST)
  }

  deinit { release() }

  /// Removes the lock file.
  func release() {
    if held {
      unlink(path)
      TemporaryPaths.unregister(path)
      held = false
    }
  }

  /// The lock file of `outputDirectory`: `<dir>.lock` beside it.
  static func path(for outputDirectory: String) -> String {
    var trimmed = outputDirectory
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    return trimmed + ".lock"
  }

  /// What an existing lock path holds.
  enum Contents: Equatable {
    /// A lock as DialReady writes it: one line with a PID.
    case pid(Int32)
    /// Nothing (or it vanished meanwhile).
    case empty
    /// Anything else: not a lock DialReady wrote.
    case other
  }

  static func contents(of path: String) -> Contents {
    guard let file = fopen(path, "r") else { return .empty }
    defer { fclose(file) }
    var buffer = [UInt8](repeating: 0, count: 33)
    let n = fread(&buffer, 1, 33, file)
    if n == 0 { return .empty }
    guard n <= 32 else { return .other }
    let text = String(decoding: buffer[0..<n], as: UTF8.self)
    let line = text.hasSuffix("\n") ? String(text.dropLast()) : text
    guard !line.isEmpty, line.allSatisfy(\.isASCII), line.allSatisfy(\.isNumber), let pid = Int32(line), pid > 0 else {
      return .other
    }
    return .pid(pid)
  }
}

import Foundation
