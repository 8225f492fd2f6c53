#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import TableIO

/// Writes a file atomically: everything goes to a temporary file beside the target, which is
/// flushed to disk and then renamed over it, so readers see the old file or the whole new one.
/// `EINTR` is retried here and nowhere else; failures carry the target path and `errno`.
struct DNCFileWriter {
  /// The file being replaced, as the caller named it.
  let path: String
  private let temporaryPath: String
  private let fd: Int32

  /// Creates the temporary file beside `path`.
  init(path: String) throws(DNCIndexError) {
    self.path = path
    temporaryPath = "\(path).tmp-\(getpid())"
    unlink(temporaryPath)
    TemporaryPaths.register(temporaryPath, isFolder: false)
    let opened = FileIO.create(temporaryPath, exclusive: true)
    if opened < 0 {
      let code = errno
      TemporaryPaths.unregister(temporaryPath)
      throw .cannotWrite(path: path, errno: code)
    }
    fd = opened
  }

  /// Appends `bytes`, retrying short writes; after a failure the caller calls ``abandon()``.
  func write(_ bytes: UnsafeRawBufferPointer) throws(DNCIndexError) {
    let code = FileIO.writeAll(fd, bytes)
    if code != 0 { throw .cannotWrite(path: path, errno: code) }
  }

  /// Appends the bytes of `array`.
  func write(_ array: [UInt8]) throws(DNCIndexError) {
    let result: DNCIndexError? = array.withUnsafeBytes { bytes in
      do throws(DNCIndexError) {
        try write(bytes)
        return nil
      } catch {
        return error
      }
    }
    if let result { throw result }
  }

  /// Appends up to 8 zero bytes (padding to the next 8-byte boundary).
  func writeZeros(_ count: Int) throws(DNCIndexError) {
    guard count > 0 else { return }
    try withUnsafeBytes(of: UInt64(0)) { (bytes) throws(DNCIndexError) in
      try write(UnsafeRawBufferPointer(rebasing: bytes[0..<min(count, 8)]))
    }
  }

  /// Flushes the temporary file to disk and renames it over `path`, then flushes the folder so the
  /// rename itself survives a crash; on failure the temporary file is already gone.
  func commit() throws(DNCIndexError) {
    if FileIO.fsync(fd) != 0 {
      let code = errno
      abandon()
      throw .cannotWrite(path: path, errno: code)
    }
    if close(fd) != 0 && errno != EINTR {
      let code = errno
      unlink(temporaryPath)
      TemporaryPaths.unregister(temporaryPath)
      throw .cannotWrite(path: path, errno: code)
    }
    let code = TemporaryPaths.completing(temporaryPath) { FileIO.rename(temporaryPath, path) == 0 ? 0 : errno }
    if code != 0 {
      unlink(temporaryPath)
      throw .cannotWrite(path: path, errno: code)
    }
    FileIO.fsyncFolder(of: path)
  }

  /// Gives up: closes and removes the temporary file.
  func abandon() {
    close(fd)
    unlink(temporaryPath)
    TemporaryPaths.unregister(temporaryPath)
  }
}
