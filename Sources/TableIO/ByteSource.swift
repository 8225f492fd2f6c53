#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file (or standard input) read with large `read(2)` calls; `EINTR` is retried here and nowhere else.
public final class ByteSource {
  /// The path as the user gave it (`-` for standard input).
  public let path: String
  /// The file's size when it is a regular file, else `nil` (pipes, standard input).
  public let size: Int?
  private let fd: Int32
  private let ownsDescriptor: Bool
  /// Bytes read so far.
  public private(set) var offset = 0
  /// Bytes read ahead by ``peek(_:)`` and handed out again by the next reads.
  private var replay: [UInt8] = []
  private var replayed = 0

  /// Opens `path` for reading; `-` reads standard input.
  public init(path: String) throws(TableIOError) {
    self.path = path
    if path == "-" {
      fd = 0
      ownsDescriptor = false
    } else {
      let opened = open(path, O_RDONLY | O_CLOEXEC)
      if opened < 0 {
        let code = errno
        throw code == ENOENT ? .inputMissing(path: path) : .inputUnreadable(path: path, errno: code)
      }
      fd = opened
      ownsDescriptor = true
    }
    var info = stat()
    if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG {
      size = Int(info.st_size)
    } else if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      if ownsDescriptor { close(fd) }
      throw .inputUnreadable(path: path, errno: EISDIR)
    } else {
      size = nil
    }
  }

  deinit {
    if ownsDescriptor { close(fd) }
  }

  /// Reads up to `count` bytes from the start without consuming them (for format detection).
  public func peek(_ count: Int) throws(TableIOError) -> [UInt8] {
    precondition(offset == 0 && replay.isEmpty, "peek only before the first read")
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
    defer { buffer.deallocate() }
    let n = try readFully(into: buffer)
    replay = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
    replayed = 0
    offset = 0
    return replay
  }

  /// Reads up to `buffer.count` bytes; returns 0 at end of file.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TableIOError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    if replayed < replay.count {
      let n = min(buffer.count, replay.count - replayed)
      replay.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + replayed, byteCount: n) }
      replayed += n
      offset += n
      if replayed == replay.count { replay = [] ; replayed = 0 }
      return n
    }
    while true {
      #if canImport(Glibc)
        let n = Glibc.read(fd, base, buffer.count)
      #else
        let n = Darwin.read(fd, base, buffer.count)
      #endif
      if n >= 0 {
        offset += n
        return n
      }
      if errno == EINTR { continue }
      throw .readFailed(path: path, byteOffset: offset, errno: errno)
    }
  }

  /// Reads until `buffer` is full or the file ends; returns the count.
  public func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(TableIOError) -> Int {
    var filled = 0
    while filled < buffer.count {
      let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
      if n == 0 { break }
      filled += n
    }
    return filled
  }
}
