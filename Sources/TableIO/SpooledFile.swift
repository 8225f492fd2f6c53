#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An input held as a memory-mapped file: the file itself when it is a regular file, else standard
/// input (or a pipe) copied to a temporary file first. Formats that need random access (ZIP, OLE2) or
/// two passes (JSON's union of keys) read through it; mapped pages cost no heap memory.
public final class SpooledFile {
  /// The path as the user gave it.
  public let displayPath: String
  /// A path of the bytes on disk (the temporary copy for standard input).
  public let path: String
  /// The mapped bytes.
  public let bytes: UnsafeRawBufferPointer
  private let temporary: Bool

  /// Maps `source`'s file, or spools it to a temporary file first when it is not a regular file.
  public init(source: ByteSource) throws(TableIOError) {
    displayPath = source.path
    var spoolPath = source.path
    var isTemporary = false
    if source.path == "-" || source.size == nil {
      var template = Array("/tmp/dialready-spool-XXXXXX".utf8CString)
      let fd = mkstemp(&template)
      guard fd >= 0 else { throw .inputUnreadable(path: source.path, errno: errno) }
      spoolPath = String(cString: template)
      isTemporary = true
      TemporaryPaths.register(spoolPath, isFolder: false)
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
      defer { buffer.deallocate() }
      do throws(TableIOError) {
        while true {
          let n = try source.read(into: buffer)
          if n == 0 { break }
          let code = FileIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
          if code != 0 { throw TableIOError.readFailed(path: source.path, byteOffset: source.offset, errno: code) }
        }
      } catch {
        close(fd)
        unlink(spoolPath)
        TemporaryPaths.unregister(spoolPath)
        throw error
      }
      close(fd)
    }
    path = spoolPath
    temporary = isTemporary
    let fd = open(spoolPath, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .inputUnreadable(path: source.path, errno: errno) }
    defer { close(fd) }
    var info = stat()
    fstat(fd, &info)
    let size = Int(info.st_size)
    if size == 0 {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
    guard let mapped, mapped != MAP_FAILED else {
      let code = errno
      if isTemporary {
        unlink(spoolPath)
        TemporaryPaths.unregister(spoolPath)
      }
      throw .inputUnreadable(path: source.path, errno: code)
    }
    madvise(mapped, size, MADV_SEQUENTIAL)
    bytes = UnsafeRawBufferPointer(start: mapped, count: size)
  }

  deinit {
    if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    if temporary {
      unlink(path)
      TemporaryPaths.unregister(path)
    }
  }
}
