import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one door every file DialReady writes goes through: create, write, fsync, rename, mkdir.
///
/// Each call returns the system call's result (`-1` with `errno` set on failure), so callers keep their
/// own error types. `writeAll` retries `EINTR` and short writes until every byte is written.
///
/// Test seam: `DIALREADY_TEST_FAULT=N:KIND` makes the Nth call (counting from 1, across all operations)
/// misbehave: `eio` and `enospc` fail with that errno, `short` writes only half the bytes asked for (a
/// write call) or nothing else, `eintr` fails with `EINTR` (to be retried). `DIALREADY_TEST_FAULT=count`
/// prints the number of calls to standard error at exit, so a test can sweep every N.
public enum FileIO {
  /// What an injected fault does.
  public enum Fault: String, Sendable, CaseIterable {
    case eio, enospc, short, eintr
  }

  private static let state = FaultState(spec: ProcessInfo.processInfo.environment["DIALREADY_TEST_FAULT"])

  /// Creates (or truncates) a file for writing.
  public static func create(_ path: String, exclusive: Bool = false, mode: mode_t = 0o644) -> Int32 {
    let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
    return retryingEINTR { open(path, flags, mode) }
  }

  /// One `write(2)`.
  public static func write(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    switch state.next(isWrite: true) {
    case .some(.short): return systemWrite(fd, bytes, max(1, count / 2))
    case .some(let failure): return fail(failure)
    case .none: return systemWrite(fd, bytes, count)
    }
  }

  /// Writes every byte, retrying `EINTR` and short writes; returns 0, or the failing `errno`.
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    guard let base = bytes.baseAddress else { return 0 }
    var offset = 0
    while offset < bytes.count {
      let n = write(fd, base + offset, min(bytes.count - offset, 1 << 30))
      if n < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if n == 0 { return EIO }
      offset += n
    }
    return 0
  }

  /// One `pwrite(2)` at `offset`.
  public static func write(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, at offset: Int) -> Int {
    switch state.next(isWrite: true) {
    case .some(.short): return pwrite(fd, bytes, max(1, count / 2), off_t(offset))
    case .some(let failure): return fail(failure)
    case .none: return pwrite(fd, bytes, count, off_t(offset))
    }
  }

  /// Writes every byte at `offset` (positional, so threads can fill one file at once), retrying
  /// `EINTR` and short writes; returns 0, or the failing `errno`.
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
    guard let base = bytes.baseAddress else { return 0 }
    var done = 0
    while done < bytes.count {
      let n = write(fd, base + done, min(bytes.count - done, 1 << 30), at: offset + done)
      if n < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if n == 0 { return EIO }
      done += n
    }
    return 0
  }

  /// Writes `pieces` one after another from `offset` with gathered positional writes (`pwritev(2)`,
  /// at most 1,024 pieces a call), retrying `EINTR` and short writes; returns 0, or the failing `errno`.
  /// The filtered output is written this way straight from the processed rows it repeats.
  public static func writeAll(_ fd: Int32, pieces: [UnsafeRawBufferPointer], at offset: Int) -> Int32 {
    var vectors = [iovec](repeating: iovec(), count: min(pieces.count, 1024))
    var index = 0
    var skip = 0
    var at = offset
    while index < pieces.count {
      var count = 0
      var i = index
      while i < pieces.count && count < vectors.count {
        let piece = pieces[i]
        let start = i == index ? skip : 0
        if piece.count > start {
          vectors[count] = iovec(
            iov_base: UnsafeMutableRawPointer(mutating: piece.baseAddress! + start), iov_len: piece.count - start)
          count += 1
        }
        i += 1
      }
      if count == 0 { break }
      let n: Int
      switch state.next(isWrite: true) {
      case .some(.short):
        vectors[0].iov_len = max(1, vectors[0].iov_len / 2)
        n = vectors.withUnsafeBufferPointer { pwritev(fd, $0.baseAddress, 1, off_t(at)) }
      case .some(let failure): n = fail(failure)
      case .none: n = vectors.withUnsafeBufferPointer { pwritev(fd, $0.baseAddress, Int32(count), off_t(at)) }
      }
      if n < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if n == 0 { return EIO }
      at += n
      // Advance past what was written.
      var left = n
      while left > 0 && index < pieces.count {
        let remaining = pieces[index].count - skip
        if left >= remaining {
          left -= remaining
          index += 1
          skip = 0
        } else {
          skip += left
          left = 0
        }
      }
      while index < pieces.count && pieces[index].count - skip == 0 {
        index += 1
        skip = 0
      }
    }
    return 0
  }

  /// `fsync(2)`, retrying `EINTR`. File systems that cannot sync (`EINVAL`) count as synced.
  public static func fsync(_ fd: Int32) -> Int32 {
    while true {
      if let failure = state.next(isWrite: false) {
        if failure == .eintr { continue }
        return fail(failure)
      }
      if systemFsync(fd) == 0 || errno == EINVAL { return 0 }
      if errno != EINTR { return -1 }
    }
  }

  /// Syncs the folder holding `path` so a rename or a new entry in it survives a crash (best effort).
  public static func fsyncFolder(of path: String) {
    fsyncDirectory(path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? ".")
  }

  /// Syncs a folder's entries to disk (best effort).
  public static func fsyncDirectory(_ folder: String) {
    let fd = open(folder, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = systemFsync(fd)
    close(fd)
  }

  /// `rename(2)`.
  public static func rename(_ from: String, _ to: String) -> Int32 {
    retryingEINTR { systemRename(from, to) }
  }

  /// `mkdir(2)`.
  public static func makeDirectory(_ path: String, mode: mode_t = 0o755) -> Int32 {
    retryingEINTR { mkdir(path, mode) }
  }

  /// Runs one counted call, retrying it while it fails with `EINTR`.
  private static func retryingEINTR(_ call: () -> Int32) -> Int32 {
    while true {
      let result: Int32
      if let failure = state.next(isWrite: false) { result = fail(failure) } else { result = call() }
      if result < 0 && errno == EINTR { continue }
      return result
    }
  }

  /// Writes `data` to `path` atomically: a temporary file beside it, fsync, rename, folder sync.
  /// Returns 0, or the failing `errno` (the temporary file is removed).
  public static func writeFileAtomically(_ bytes: UnsafeRawBufferPointer, to path: String) -> Int32 {
    // Unique per call: two threads writing the same path never share a temporary file.
    let temporary = path + ".partial-" + String(getpid()) + "-" + String(temporarySerial.next())
    TemporaryPaths.register(temporary, isFolder: false)
    let fd = create(temporary)
    if fd < 0 {
      let code = errno
      TemporaryPaths.unregister(temporary)
      return code
    }
    var code = writeAll(fd, bytes)
    if code == 0 && fsync(fd) != 0 { code = errno }
    close(fd)
    if code == 0 && TemporaryPaths.completing(temporary, { rename(temporary, path) }) != 0 { code = errno }
    if code != 0 {
      unlink(temporary)
      TemporaryPaths.unregister(temporary)
      return code
    }
    fsyncFolder(of: path)
    return 0
  }

  private static let temporarySerial = SerialNumbers()

  private static func fail<T: BinaryInteger>(_ failure: Fault) -> T {
    switch failure {
    case .eio, .short: errno = EIO
    case .enospc: errno = ENOSPC
    case .eintr: errno = EINTR
    }
    return -1
  }

  private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, bytes, count)
    #else
      Darwin.write(fd, bytes, count)
    #endif
  }

  private static func systemFsync(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
      Glibc.fsync(fd)
    #else
      Darwin.fsync(fd)
    #endif
  }

  private static func systemRename(_ from: String, _ to: String) -> Int32 {
    #if canImport(Glibc)
      Glibc.rename(from, to)
    #else
      Darwin.rename(from, to)
    #endif
  }
}

/// The call counter and the planned fault of the test seam (inert unless the variable is set).
private final class FaultState: @unchecked Sendable {
  private let lock = NSLock()
  private let target: Int
  private let fault: FileIO.Fault?
  private let counting: Bool
  private var calls = 0

  init(spec: String?) {
    let parts = spec?.split(separator: ":").map(String.init) ?? []
    counting = spec == "count"
    if parts.count == 2, let n = Int(parts[0]), let fault = FileIO.Fault(rawValue: parts[1]) {
      target = n
      self.fault = fault
    } else {
      target = 0
      fault = nil
    }
    if counting {
      atexit { FileIOCallCount.report() }
      FileIOCallCount.state = self
    }
  }

  var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return calls
  }

  /// Counts a call; returns the fault to inject into it, if any. A short write applies only to writes.
  func next(isWrite: Bool) -> FileIO.Fault? {
    guard fault != nil || counting else { return nil }
    lock.lock()
    defer { lock.unlock() }
    calls += 1
    guard calls == target, let fault else { return nil }
    return fault == .short && !isWrite ? nil : fault
  }
}

/// Prints the call count at exit (`DIALREADY_TEST_FAULT=count`).
private enum FileIOCallCount {
  nonisolated(unsafe) static var state: FaultState?
  static func report() {
    if let state { FileHandle.standardError.write(Data("dialready-test: file-io-calls \(state.count)\n".utf8)) }
  }
}

/// A thread-safe counter for unique temporary names.
private final class SerialNumbers: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
