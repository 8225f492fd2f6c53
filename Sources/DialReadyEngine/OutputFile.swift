import CWriteback
import Crypto
import Foundation
import TableIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One output file in the staging directory, written by many threads at once: each chunk's bytes go
/// to the offset its predecessors' sizes add up to (`pwrite(2)`). The file is moved into place only by
/// ``OutputDirectory/commit()``; its SHA-256 is taken by an in-order stage of the pipeline.
final class OutputFile {
  /// The path the file will have once the run succeeds.
  let finalPath: String
  /// Where it is written meanwhile.
  let stagingPath: String
  private let fd: Int32
  /// Bytes in the file once complete (the job sets it).
  var byteCount = 0
  /// Data rows in the file (the job sets it).
  var rows = 0

  init(stagingPath: String, finalPath: String) throws(DialReadyError) {
    self.stagingPath = stagingPath
    self.finalPath = finalPath
    fd = FileIO.create(stagingPath)
    if fd < 0 { throw .cannotCreateOutput(path: finalPath, errno: errno) }
  }

  deinit { close(fd) }

  /// Writes `bytes` at `offset` (any thread; ranges never overlap).
  func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(DialReadyError) {
    guard !bytes.isEmpty else { return }
    let code = FileIO.writeAll(fd, bytes, at: offset)
    if code != 0 { throw .writeFailed(path: finalPath, errno: code) }
    // Start writing these pages to disk now, beside the run, so the final `fsync` waits for little
    // more than the last chunk (it took a quarter of a 1M-row run when all of it was left to it).
    cwriteback_start(fd, Int64(offset), Int64(bytes.count))
  }

  /// Writes `pieces` one after another from `offset` (any thread; ranges never overlap).
  func write(pieces: [UnsafeRawBufferPointer], count: Int, at offset: Int) throws(DialReadyError) {
    guard count > 0 else { return }
    let code = FileIO.writeAll(fd, pieces: pieces, at: offset)
    if code != 0 { throw .writeFailed(path: finalPath, errno: code) }
    cwriteback_start(fd, Int64(offset), Int64(count))
  }

  /// Writes `bytes` at `offset` (a header line).
  func write(_ bytes: [UInt8], at offset: Int) throws(DialReadyError) {
    let code = bytes.withUnsafeBytes { FileIO.writeAll(fd, $0, at: offset) }
    if code != 0 { throw .writeFailed(path: finalPath, errno: code) }
  }

  /// Writes a whole small file (the manifest) at offset 0.
  func write(_ bytes: [UInt8]) throws(DialReadyError) {
    try write(bytes, at: 0)
    byteCount = bytes.count
  }

  /// Syncs the file to disk.
  func finish() throws(DialReadyError) {
    if FileIO.fsync(fd) != 0 { throw .writeFailed(path: finalPath, errno: errno) }
  }
}

/// Hashes the input's raw bytes as a streaming reader passes them (standard input, pipes, formats
/// read whole).
final class InputHasher {
  private var hasher = SHA256()
  func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
  /// Hashes a whole file (formats read through a memory map rather than the streaming reader).
  func hashFile(_ path: String) {
    guard let file = fopen(path, "rb") else { return }
    defer { fclose(file) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let n = fread(buffer.baseAddress, 1, buffer.count, file)
      if n <= 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
    }
  }

  func hexDigest() -> String { hasher.finalize().hexDigest }
}

extension SHA256.Digest {
  /// The digest in lowercase hex, as `sha256sum` prints it.
  var hexDigest: String { map { String($0, radix: 16).leftPadded(to: 2) }.joined() }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
