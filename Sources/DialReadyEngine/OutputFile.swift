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
/// ``OutputDirectory/commit()``; its SHA-256 is taken by an ``OrderedHasher`` beside the writers.
final class OutputFile: @unchecked Sendable {  // Immutable but for `rows` and `byteCount`, set once writing is done.
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

/// Hashes one output (SHA-256) on its own thread as its chunks are completed: pieces arrive in any
/// order with their sequence number and are hashed in order, each released (its `done` called) once
/// hashed, so the slot holding it can be reused. The hash never waits for the writes, and the run
/// waits for it only past its last piece.
final class OrderedHasher: @unchecked Sendable {  // Mutable state is guarded by `condition`; `hasher` is the thread's own.
  private struct Piece {
    let bytes: UnsafeRawBufferPointer
    let done: @Sendable () -> Void
  }

  private var hasher = SHA256()
  private let condition = NSCondition()
  private var pending: [Int: Piece] = [:]
  private var next = 0
  private var closing = false
  private var running = true
  private var digest = ""

  /// Starts the thread, hashing `prefix` (the header line) first.
  init(name: String, prefix: [UInt8]) {
    prefix.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    let thread = Thread { [self] in self.loop() }
    thread.name = "dialready.hash.\(name)"
    thread.start()
  }

  /// Hands over the bytes of piece `sequence`; `done` runs on the hashing thread once they are hashed
  /// (the bytes must stay valid until then).
  func submit(_ sequence: Int, _ bytes: UnsafeRawBufferPointer, done: @escaping @Sendable () -> Void) {
    condition.lock()
    pending[sequence] = Piece(bytes: bytes, done: done)
    condition.signal()
    condition.unlock()
  }

  /// Waits until every piece submitted in sequence is hashed, stops the thread and returns the hex
  /// digest. Pieces after a gap (a failed run) are dropped unhashed.
  func finish() -> String {
    condition.lock()
    closing = true
    condition.signal()
    while running { condition.wait() }
    let result = digest
    condition.unlock()
    return result
  }

  private func loop() {
    condition.lock()
    while true {
      if let piece = pending.removeValue(forKey: next) {
        condition.unlock()
        if !piece.bytes.isEmpty { hasher.update(bufferPointer: piece.bytes) }
        piece.done()
        condition.lock()
        next += 1
        continue
      }
      if closing { break }
      condition.wait()
    }
    digest = hasher.finalize().hexDigest
    running = false
    condition.broadcast()
    condition.unlock()
  }
}

/// Hashes the input file (SHA-256) on its own thread with positional reads, beside the workers.
final class InputFileHasher: @unchecked Sendable {  // `digest` is written by the thread before `done` is signalled.
  private let done = DispatchSemaphore(value: 0)
  private var digest = ""
  private var error: TableIOError?

  init(_ ranges: CSVFileRanges) {
    let thread = Thread { [self] in
      var hasher = SHA256()
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
      defer { buffer.deallocate() }
      var offset = 0
      while offset < ranges.size {
        let n: Int
        do throws(TableIOError) {
          n = try ranges.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, ranges.size - offset)]), at: offset)
        } catch {
          self.error = error
          break
        }
        if n == 0 {
          self.error = .readFailed(path: ranges.path, byteOffset: offset, errno: EIO)
          break
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        offset += n
      }
      self.digest = hasher.finalize().hexDigest
      self.done.signal()
    }
    thread.name = "dialready.hash.input"
    thread.start()
  }

  /// Waits for the hash and returns it in hex.
  func finish() throws(DialReadyError) -> String {
    done.wait()
    if let error { throw .input(error) }
    return digest
  }
}

/// Hashes the input's raw bytes as a streaming reader passes them (standard input, pipes, formats
/// read whole).
final class InputHasher: @unchecked Sendable {  // Fed by the one thread that reads at a time.
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
