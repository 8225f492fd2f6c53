/// The header, sources and area-code table of an index file, read and checked against the mapped
/// bytes without touching a single payload; every offset is checked to lie inside the file, so a
/// damaged or truncated file throws here and never crashes a lookup later.
struct DNCIndexHeader {
  /// One area code's entry, with its payload's byte offset in the file.
  struct Entry {
    /// What the payload is.
    var kind: DNCIndexLayout.Kind
    /// Distinct numbers in the area code.
    var count: Int
    /// Where the payload starts.
    var offset: Int
  }

  /// When the index was built, in unix seconds.
  let createdAt: Int64
  /// Distinct numbers in the index.
  let count: Int
  /// The lists the index was built from.
  let sources: [DNCSource]
  /// Area codes 0…999.
  let entries: [Entry]

  /// Reads and checks the parts of `bytes` (the whole file) that are not payloads.
  init(bytes: UnsafeRawBufferPointer, path: String) throws(DNCIndexError) {
    let size = UInt64(bytes.count)
    guard DNCIndex.isIndexFile(bytes) else { throw .notIndexFile(path: path) }
    let headerSize = UInt64(DNCIndexLayout.headerSize)
    guard size >= 12 else { throw .truncated(path: path, expectedBytes: headerSize, actualBytes: size) }
    let version: UInt32 = Self.load(bytes, 8)
    guard version == DNCIndexLayout.version else { throw .unsupportedVersion(path: path, version: version) }
    guard size >= headerSize else { throw .truncated(path: path, expectedBytes: headerSize, actualBytes: size) }

    let fileLength: UInt64 = Self.load(bytes, 64)
    guard fileLength <= size else { throw .truncated(path: path, expectedBytes: fileLength, actualBytes: size) }
    guard fileLength == size else {
      throw .damaged(path: path, detail: "\(size - fileLength) bytes past the recorded end of the file")
    }
    let sourcesOffset: UInt64 = Self.load(bytes, 40)
    let sourcesLength: UInt64 = Self.load(bytes, 48)
    let tableOffset: UInt64 = Self.load(bytes, 56)
    let tableSize = UInt64(DNCIndexLayout.tableSize)
    guard Self.load(bytes, 12) as UInt32 == UInt32(headerSize),
      Self.load(bytes, 36) as UInt32 == 0, Self.load(bytes, 76) as UInt32 == 0,
      sourcesOffset == headerSize,
      sourcesLength <= fileLength - headerSize,
      tableOffset == UInt64(DNCIndexLayout.aligned(Int(headerSize + sourcesLength))),
      tableOffset <= fileLength, tableSize <= fileLength - tableOffset
    else { throw .damaged(path: path, detail: "header fields out of range") }

    var checksum = DNCIndexChecksum()
    checksum.update(UnsafeRawBufferPointer(rebasing: bytes[0..<DNCIndexLayout.checksumOffset]))
    checksum.update(UnsafeRawBufferPointer(rebasing: bytes[Int(headerSize)..<Int(tableOffset + tableSize)]))
    guard checksum.value == Self.load(bytes, DNCIndexLayout.checksumOffset) as UInt32 else {
      throw .damaged(path: path, detail: "header checksum mismatch")
    }

    createdAt = Self.load(bytes, 16)
    let total: UInt64 = Self.load(bytes, 24)
    let sourceCount: UInt32 = Self.load(bytes, 32)
    sources = try Self.readSources(
      UnsafeRawBufferPointer(rebasing: bytes[Int(sourcesOffset)..<Int(sourcesOffset + sourcesLength)]),
      count: Int(sourceCount), path: path)

    let payloadStart = tableOffset + tableSize
    var entries = [Entry]()
    entries.reserveCapacity(DNCIndexLayout.tableEntries)
    var sum: UInt64 = 0
    for npa in 0..<DNCIndexLayout.tableEntries {
      let at = Int(tableOffset) + npa * DNCIndexLayout.tableEntrySize
      let rawKind: UInt32 = Self.load(bytes, at)
      let count = UInt64(Self.load(bytes, at + 4) as UInt32)
      let offset: UInt64 = Self.load(bytes, at + 8)
      guard let kind = DNCIndexLayout.Kind(rawValue: rawKind) else {
        throw .damaged(path: path, detail: "area code \(npa) has unknown table entry kind \(rawKind)")
      }
      let payloadSize: UInt64
      switch kind {
      case .none: payloadSize = 0
      case .sortedArray: payloadSize = UInt64(DNCIndexLayout.directoryBytes) + count * 4
      case .bitmap: payloadSize = UInt64(DNCIndexLayout.bitmapBytes)
      }
      let fits =
        kind == .none
        ? count == 0 && offset == 0
        : npa >= DNCIndexLayout.firstAreaCode && count > 0 && count <= UInt64(DNCIndexLayout.linesPerAreaCode)
          && offset % 8 == 0 && offset >= payloadStart && offset <= fileLength
          && payloadSize <= fileLength - offset
      guard fits else {
        throw .damaged(path: path, detail: "table entry for area code \(npa) points outside the file")
      }
      sum += count
      entries.append(Entry(kind: kind, count: Int(count), offset: Int(offset)))
    }
    guard sum == total else {
      throw .damaged(path: path, detail: "area codes hold \(sum) numbers but the header says \(total)")
    }
    count = Int(total)
    self.entries = entries
  }

  private static func readSources(
    _ bytes: UnsafeRawBufferPointer, count: Int, path: String
  ) throws(DNCIndexError) -> [DNCSource] {
    var sources = [DNCSource]()
    var at = 0
    func take(_ size: Int) throws(DNCIndexError) -> Int {
      guard size >= 0, size <= bytes.count - at else {
        throw .damaged(path: path, detail: "sources section cut short")
      }
      defer { at += size }
      return at
    }
    func text() throws(DNCIndexError) -> String {
      let length = Int(load(bytes, try take(4)) as UInt32)
      let start = try take(length)
      return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]), as: UTF8.self)
    }
    for _ in 0..<count {
      let name = try text()
      let sha256 = try text()
      let date: Int64 = load(bytes, try take(8))
      let numbers: UInt64 = load(bytes, try take(8))
      let badLines: UInt64 = load(bytes, try take(8))
      sources.append(
        DNCSource(
          name: name, sha256: sha256, date: date, numbers: Int(clamping: numbers), badLines: Int(clamping: badLines)))
    }
    guard at == bytes.count else { throw .damaged(path: path, detail: "sources section has trailing bytes") }
    return sources
  }

  @inline(__always)
  private static func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T {
    T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
  }
}
