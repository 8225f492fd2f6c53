#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TableIO

/// A lock file beside an output directory (`<dir>.lock`, holding the owner's PID) so two runs never
/// write the same outputs. A lock left by a process that no longer exists is taken over, with a note.
final class OutputLock {
  /// The lock file's path.
  let path: String
  /// Set when a stale lock (dead PID) was recovered: its PID.
  private(set) var recoveredFromPID: Int32?
  private var held = false

  /// Takes the lock for `outputDirectory`, or fails naming the process that holds it.
  init(outputDirectory: String) throws(DialReadyError) {
    var trimmed = outputDirectory
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    path = trimmed + ".lock"
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
      let owner = Self.ownerPID(of: path)
      if let owner, owner != getpid(), kill(owner, 0) == 0 || errno == EPERM {
        throw .locked(path: path, pid: owner)
      }
      // Stale: the owner is gone (or the file is unreadable garbage). Take it over.
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

  private static func ownerPID(of path: String) -> Int32? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 32)
    guard fgets(&buffer, 32, file) != nil else { return nil }
    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

import Foundation
