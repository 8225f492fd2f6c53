import Crypto
import TableIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One output file written through a 1 MiB buffer into a staging directory, hashed (SHA-256) as it is
/// written, and moved into place only by ``OutputDirectory/commit()``.
final class OutputFile {
  /// The path the file will have once the run succeeds.
  let finalPath: String
  /// Where it is written meanwhile.
  let stagingPath: String
  private let fd: Int32
  private let buffer = OutputBytes(capacity: 1 << 20)
  private var hasher = SHA256()
  /// Bytes written, buffered ones included.
  @exclusivity(unchecked) private(set) var byteCount = 0
  /// Data rows written (the caller counts them).
  @exclusivity(unchecked) var rows = 0

  init(stagingPath: String, finalPath: String) throws(DialReadyError) {
    self.stagingPath = stagingPath
    self.finalPath = finalPath
    fd = FileIO.create(stagingPath)
    if fd < 0 { throw .cannotCreateOutput(path: finalPath, errno: errno) }
  }

  deinit { close(fd) }

  /// Appends bytes, writing a block to disk whenever the buffer fills.
  @inline(__always)
  func write(_ bytes: UnsafeRawBufferPointer) throws(DialReadyError) {
    if buffer.count + bytes.count > (1 << 20) { try flush() }
    if bytes.count >= (1 << 20) {
      try writeThrough(bytes)
      return
    }
    buffer.append(bytes)
  }

  /// Appends a string literal.
  func write(_ text: StaticString) throws(DialReadyError) {
    try write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// The buffer to render small pieces into directly; call ``flushIfFull()`` after.
  var pending: OutputBytes { buffer }

  /// Writes the buffer out once it is past 1 MiB.
  @inline(__always)
  func flushIfFull() throws(DialReadyError) {
    if buffer.count >= (1 << 20) { try flush() }
  }

  /// Writes the buffer out.
  func flush() throws(DialReadyError) {
    guard buffer.count > 0 else { return }
    try writeThrough(buffer.bytes)
    buffer.removeAll()
  }

  private func writeThrough(_ bytes: UnsafeRawBufferPointer) throws(DialReadyError) {
    hasher.update(bufferPointer: bytes)
    byteCount += bytes.count
    let code = FileIO.writeAll(fd, bytes)
    if code != 0 { throw .writeFailed(path: finalPath, errno: code) }
  }

  /// Flushes, syncs to disk and returns the hex SHA-256 of everything written.
  func finish() throws(DialReadyError) -> String {
    try flush()
    if FileIO.fsync(fd) != 0 { throw .writeFailed(path: finalPath, errno: errno) }
    return hasher.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
