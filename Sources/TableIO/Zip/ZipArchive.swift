import CSystemZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A ZIP archive read with every offset and size checked against the file: the central directory
/// (ZIP64 included), and entries inflated with zlib as they stream, so a damaged or hostile archive
/// is refused with `SpreadsheetError.corrupt` instead of being followed out of bounds or forever.
public final class ZipArchive: @unchecked Sendable {
  /// One file in the archive, as its central directory describes it.
  public struct Entry: Sendable {
    public let name: String
    let method: UInt16
    let flags: UInt16
    let crc32: UInt32
    public let compressedSize: Int64
    public let uncompressedSize: Int64
    let localHeaderOffset: Int64
  }

  /// The entries in central-directory order.
  public let entries: [Entry]
  private let byName: [String: Int]
  private let fd: Int32
  private let fileSize: Int64

  /// Opens `path` and reads its central directory.
  public init(path: String) throws(SpreadsheetError) {
    fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .corrupt("cannot open the archive (\(String(cString: strerror(errno))))") }
    var info = stat()
    fstat(fd, &info)
    fileSize = Int64(info.st_size)
    do {
      entries = try Self.readDirectory(fd: fd, fileSize: fileSize)
    } catch {
      close(fd)
      throw error
    }
    var byName: [String: Int] = [:]
    for (i, entry) in entries.enumerated() where byName[entry.name] == nil { byName[entry.name] = i }
    self.byName = byName
  }

  deinit { close(fd) }

  /// The entry named `name`.
  public subscript(name: String) -> Entry? { byName[name].map { entries[$0] } }

  // MARK: - Central directory

  private static func readDirectory(fd: Int32, fileSize: Int64) throws(SpreadsheetError) -> [Entry] {
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes, at the end.
    let tailLength = Int(min(fileSize, 22 + 65_535))
    let tail = try read(fd: fd, at: fileSize - Int64(tailLength), count: tailLength, fileSize: fileSize)
    guard tailLength >= 22,
      let eocd = stride(from: tailLength - 22, through: 0, by: -1).first(where: { tail.u32($0) == 0x0605_4B50 })
    else { throw .corrupt("not a ZIP archive: no end-of-central-directory record") }
    var count = Int64(tail.u16(eocd + 10))
    var directorySize = Int64(tail.u32(eocd + 12))
    var directoryOffset = Int64(tail.u32(eocd + 16))
    if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
      // ZIP64: a locator just before the record points at the ZIP64 end-of-central-directory record.
      guard eocd >= 20, tail.u32(eocd - 20) == 0x0706_4B50 else { throw .corrupt("a ZIP64 archive without its locator") }
      let record = try read(fd: fd, at: Int64(bitPattern: tail.u64(eocd - 12)), count: 56, fileSize: fileSize)
      guard record.u32(0) == 0x0606_4B50 else { throw .corrupt("the ZIP64 end-of-central-directory record is missing") }
      // Hostile values may have the top bit set: as bit patterns they turn negative and are refused below.
      count = Int64(bitPattern: record.u64(32))
      directorySize = Int64(bitPattern: record.u64(40))
      directoryOffset = Int64(bitPattern: record.u64(48))
    }
    // Compared by subtraction so that no sum of file-supplied values can overflow.
    guard directoryOffset >= 0, directorySize >= 0, directoryOffset <= fileSize, directorySize <= fileSize - directoryOffset,
      count >= 0, count <= directorySize / 46 + 1
    else { throw .corrupt("the central directory lies outside the file") }
    let directory = try read(fd: fd, at: directoryOffset, count: Int(directorySize), fileSize: fileSize)
    var entries: [Entry] = []
    entries.reserveCapacity(Int(count))
    var at = 0
    for _ in 0..<count {
      guard at + 46 <= directory.count, directory.u32(at) == 0x0201_4B50 else {
        throw .corrupt("central directory entry \(entries.count + 1) is damaged")
      }
      let nameLength = Int(directory.u16(at + 28))
      let extraLength = Int(directory.u16(at + 30))
      let commentLength = Int(directory.u16(at + 32))
      let end = at + 46 + nameLength + extraLength + commentLength
      guard end <= directory.count else { throw .corrupt("central directory entry \(entries.count + 1) is cut off") }
      var compressed = Int64(directory.u32(at + 20))
      var uncompressed = Int64(directory.u32(at + 24))
      var offset = Int64(directory.u32(at + 42))
      // ZIP64 sizes and offset, in that order, for the fields that hold 0xFFFFFFFF.
      var extra = at + 46 + nameLength
      let extraEnd = extra + extraLength
      while extra + 4 <= extraEnd {
        let id = directory.u16(extra)
        let size = Int(directory.u16(extra + 2))
        guard extra + 4 + size <= extraEnd else { break }
        if id == 0x0001 {
          var field = extra + 4
          for value in [0, 1, 2] where field + 8 <= extra + 4 + size {
            if value == 0 && uncompressed == 0xFFFF_FFFF {
              uncompressed = Int64(bitPattern: directory.u64(field)); field += 8
            } else if value == 1 && compressed == 0xFFFF_FFFF {
              compressed = Int64(bitPattern: directory.u64(field)); field += 8
            } else if value == 2 && offset == 0xFFFF_FFFF {
              offset = Int64(bitPattern: directory.u64(field)); field += 8
            }
          }
        }
        extra += 4 + size
      }
      let name = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
      guard compressed >= 0, uncompressed >= 0, offset >= 0, offset <= fileSize - 30, compressed <= fileSize - 30 - offset else {
        throw .corrupt("entry \(name) lies outside the file")
      }
      entries.append(
        Entry(
          name: name, method: directory.u16(at + 10), flags: directory.u16(at + 8), crc32: directory.u32(at + 16),
          compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: offset))
      at = end
    }
    return entries
  }

  private func readFully(into buffer: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int64) throws(SpreadsheetError) {
    var done = 0
    while done < count {
      let n = pread(fd, buffer + done, count - done, off_t(offset) + off_t(done))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw .corrupt("the archive is cut off at byte \(offset + Int64(done))") }
      done += n
    }
  }

  private static func read(fd: Int32, at offset: Int64, count: Int, fileSize: Int64) throws(SpreadsheetError) -> [UInt8] {
    guard offset >= 0, count >= 0, offset <= fileSize, Int64(count) <= fileSize - offset else {
      throw .corrupt("a ZIP structure lies outside the file")
    }
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw .corrupt("the archive is cut off at byte \(offset + Int64(done))") }
      done += n
    }
    return bytes
  }

  // MARK: - Inflating

  /// Streams the inflated bytes of `entry` to `body` in blocks of up to 64 KiB, counting them against
  /// `budget`; checks the result's size and CRC-32 against the directory.
  public func inflate(
    _ entry: Entry, budget: inout InflateBudget, body: (UnsafeRawBufferPointer) throws(SpreadsheetError) -> Void
  ) throws(SpreadsheetError) {
    guard entry.flags & 1 == 0 else { throw .encrypted }
    guard entry.method == 0 || entry.method == 8 else {
      throw .unsupported("ZIP compression method \(entry.method) (part \(entry.name)); save the workbook again")
    }
    let header = try Self.read(fd: fd, at: entry.localHeaderOffset, count: 30, fileSize: fileSize)
    guard header.u32(0) == 0x0403_4B50 else { throw .corrupt("the local header of part \(entry.name) is missing") }
    var position = entry.localHeaderOffset + 30 + Int64(header.u16(26)) + Int64(header.u16(28))
    var left = entry.compressedSize
    guard position <= fileSize, left <= fileSize - position else {
      throw .corrupt("part \(entry.name) runs past the end of the file")
    }
    let blockSize = 1 << 16
    let input = UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize)
    let output = UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize)
    defer {
      input.deallocate()
      output.deallocate()
    }
    var crc: UInt = 0
    var produced: Int64 = 0

    func deliver(_ bytes: UnsafeMutablePointer<UInt8>, _ count: Int) throws(SpreadsheetError) {
      guard count > 0 else { return }
      try budget.add(count)
      produced += Int64(count)
      crc = CSystemZlib.crc32(crc, bytes, UInt32(count))
      try body(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    if entry.compressedSize == 0 && entry.uncompressedSize == 0 {
      // An empty part (some writers store it as deflated with no data at all).
    } else if entry.method == 0 {
      while left > 0 {
        let n = Int(min(Int64(blockSize), left))
        try readFully(into: input, count: n, at: position)
        try deliver(input, n)
        position += Int64(n)
        left -= Int64(n)
      }
    } else {
      var stream = z_stream()
      guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw .corrupt("cannot start inflating part \(entry.name)")
      }
      defer { inflateEnd(&stream) }
      while true {
        if stream.avail_in == 0 && left > 0 {
          let n = Int(min(Int64(blockSize), left))
          try readFully(into: input, count: n, at: position)
          position += Int64(n)
          left -= Int64(n)
          stream.next_in = input
          stream.avail_in = UInt32(n)
        }
        let inputBefore = stream.avail_in
        stream.next_out = output
        stream.avail_out = UInt32(blockSize)
        let status = CSystemZlib.inflate(&stream, Z_NO_FLUSH)
        let made = blockSize - Int(stream.avail_out)
        try deliver(output, made)
        if status == Z_STREAM_END { break }
        guard status == Z_OK || status == Z_BUF_ERROR else {
          throw .corrupt("the compressed data of part \(entry.name) is damaged")
        }
        // Every round consumes input or produces output; one that does neither cannot finish. With
        // no input left (zlib may still hold output from the last bytes), no output means it ended early.
        if made == 0 && stream.avail_in == inputBefore {
          throw .corrupt(
            stream.avail_in == 0
              ? "the compressed data of part \(entry.name) ends too early"
              : "the compressed data of part \(entry.name) is damaged")
        }
      }
    }
    guard produced == entry.uncompressedSize else {
      throw .corrupt("part \(entry.name) inflates to \(produced) bytes, not the \(entry.uncompressedSize) it declares")
    }
    guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else { throw .corrupt("part \(entry.name) fails its CRC-32 check") }
  }
}

extension Array where Element == UInt8 {
  fileprivate func u16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
  fileprivate func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
  fileprivate func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}
