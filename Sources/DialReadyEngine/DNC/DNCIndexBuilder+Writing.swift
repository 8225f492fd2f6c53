#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension DNCIndexBuilder {
  /// Writes the collected numbers as an index file (layout in ``DNCIndexLayout`` and `FORMAT.md`),
  /// atomically: a temporary file beside `path` is flushed to disk and renamed over it.
  ///
  /// - Parameters:
  ///   - path: The index file to create or replace.
  ///   - sources: The lists the numbers came from, recorded in the file for audits.
  ///   - createdAt: When the index is built, in unix seconds.
  /// - Throws: ``DNCIndexError/cannotWrite(path:errno:)``; the old file, if any, is left as it was.
  public func write(to path: String, sources: [DNCSource], createdAt: Int64) throws(DNCIndexError) {
    let buckets = areaCodes
    let sourceBytes = Self.encode(sources)
    let tableOffset = DNCIndexLayout.aligned(DNCIndexLayout.headerSize + sourceBytes.count)
    var entries = [(kind: DNCIndexLayout.Kind, count: Int, offset: Int)](
      repeating: (.none, 0, 0), count: DNCIndexLayout.tableEntries)
    var end = DNCIndexLayout.aligned(tableOffset + DNCIndexLayout.tableSize)
    var total = 0
    for npa in DNCIndexLayout.firstAreaCode..<DNCIndexLayout.tableEntries {
      buckets.normalize(buckets.buckets + npa)
      let count = buckets.buckets[npa].count
      guard count > 0 else { continue }
      let kind: DNCIndexLayout.Kind = count > DNCIndexLayout.bitmapThreshold ? .bitmap : .sortedArray
      entries[npa] = (kind, count, end)
      let size = kind == .bitmap ? DNCIndexLayout.bitmapBytes : DNCIndexLayout.directoryBytes + count * 4
      end = DNCIndexLayout.aligned(end + size)
      total += count
    }

    var front = [UInt8]()
    front.reserveCapacity(tableOffset + DNCIndexLayout.tableSize + 8)
    front.append(contentsOf: DNCIndexLayout.magic)
    front.appendLittleEndian(DNCIndexLayout.version)
    front.appendLittleEndian(UInt32(DNCIndexLayout.headerSize))
    front.appendLittleEndian(createdAt)
    front.appendLittleEndian(UInt64(total))
    front.appendLittleEndian(UInt32(sources.count))
    front.appendLittleEndian(UInt32(0))
    front.appendLittleEndian(UInt64(DNCIndexLayout.headerSize))
    front.appendLittleEndian(UInt64(sourceBytes.count))
    front.appendLittleEndian(UInt64(tableOffset))
    front.appendLittleEndian(UInt64(end))
    let checksumAt = front.count
    front.appendLittleEndian(UInt32(0))
    front.appendLittleEndian(UInt32(0))
    front.append(contentsOf: sourceBytes)
    front.append(contentsOf: repeatElement(0, count: tableOffset - front.count))
    for entry in entries {
      front.appendLittleEndian(entry.kind.rawValue)
      front.appendLittleEndian(UInt32(entry.count))
      front.appendLittleEndian(UInt64(entry.offset))
    }
    front.append(contentsOf: repeatElement(0, count: DNCIndexLayout.aligned(front.count) - front.count))
    var checksum = DNCIndexChecksum()
    front.withUnsafeBytes { bytes in
      checksum.update(UnsafeRawBufferPointer(rebasing: bytes[0..<checksumAt]))
      let sourcesAndTable = DNCIndexLayout.headerSize..<(tableOffset + DNCIndexLayout.tableSize)
      checksum.update(UnsafeRawBufferPointer(rebasing: bytes[sourcesAndTable]))
    }
    withUnsafeBytes(of: checksum.value.littleEndian) { front.replaceSubrange(checksumAt..<(checksumAt + 4), with: $0) }

    let file = try DNCFileWriter(path: path)
    do throws(DNCIndexError) {
      try file.write(front)
      var written = front.count
      for npa in DNCIndexLayout.firstAreaCode..<DNCIndexLayout.tableEntries where entries[npa].kind != .none {
        precondition(written == entries[npa].offset, "DNC index payload offsets out of step")
        let size = try Self.writePayload(of: buckets.buckets[npa], as: entries[npa].kind, to: file)
        written += size
        let pad = DNCIndexLayout.aligned(written) - written
        try file.writeZeros(pad)
        written += pad
      }
    } catch {
      file.abandon()
      throw error
    }
    try file.commit()
  }

  /// Writes one area code's payload in the form the table says and returns its size in bytes.
  private static func writePayload(
    of bucket: DNCAreaCodeBuckets.Bucket, as kind: DNCIndexLayout.Kind, to file: DNCFileWriter
  ) throws(DNCIndexError) -> Int {
    switch (kind, bucket.bitmap, bucket.keys) {
    case (.bitmap, let bitmap?, _):
      try file.write(UnsafeRawBufferPointer(start: bitmap, count: DNCIndexLayout.bitmapBytes))
      return DNCIndexLayout.bitmapBytes
    case (.sortedArray, nil, let keys?):
      try writeSortedArray(keys, count: bucket.count, to: file)
      return DNCIndexLayout.directoryBytes + bucket.count * 4
    case (.sortedArray, let bitmap?, _):
      // A bitmap that ended up with few distinct numbers (many repeats) is written as its keys.
      let keys = UnsafeMutablePointer<UInt32>.allocate(capacity: bucket.count)
      defer { keys.deallocate() }
      var n = 0
      for w in 0..<DNCIndexLayout.bitmapWords {
        var word = bitmap[w]
        while word != 0 {
          keys[n] = UInt32(w * 64 + word.trailingZeroBitCount)
          n += 1
          word &= word &- 1
        }
      }
      try writeSortedArray(keys, count: n, to: file)
      return DNCIndexLayout.directoryBytes + n * 4
    case (.bitmap, nil, let keys?):
      let bitmap = DNCAreaCodeBuckets.allocateZeroed(UInt64.self, DNCIndexLayout.bitmapWords)
      defer { free(bitmap) }
      for i in 0..<bucket.count { bitmap[Int(keys[i] >> 6)] |= 1 << UInt64(keys[i] & 63) }
      try file.write(UnsafeRawBufferPointer(start: bitmap, count: DNCIndexLayout.bitmapBytes))
      return DNCIndexLayout.bitmapBytes
    default:
      return 0
    }
  }

  /// Writes the exchange directory, then the keys.
  private static func writeSortedArray(
    _ keys: UnsafeMutablePointer<UInt32>, count: Int, to file: DNCFileWriter
  ) throws(DNCIndexError) {
    var directory = [UInt32](repeating: 0, count: DNCIndexLayout.directoryBytes / 4)
    var exchange = 0
    for i in 0..<count {
      let keyExchange = Int(keys[i]) / DNCIndexLayout.linesPerExchange
      while exchange < keyExchange {
        exchange += 1
        directory[exchange] = UInt32(i)
      }
    }
    while exchange < DNCIndexLayout.directoryEntries - 1 {
      exchange += 1
      directory[exchange] = UInt32(count)
    }
    for i in 0..<DNCIndexLayout.directoryEntries { directory[i] = directory[i].littleEndian }
    try file.write(directory.withUnsafeBytes { Array($0) })
    try file.write(UnsafeRawBufferPointer(start: keys, count: count * 4))
  }

  /// The sources section: per source, name and SHA-256 as UInt32-length-prefixed UTF-8, then
  /// date (Int64), numbers (UInt64) and bad lines (UInt64).
  private static func encode(_ sources: [DNCSource]) -> [UInt8] {
    var bytes = [UInt8]()
    for source in sources {
      let name = Array(source.name.utf8)
      let sha = Array(source.sha256.utf8)
      bytes.appendLittleEndian(UInt32(name.count))
      bytes.append(contentsOf: name)
      bytes.appendLittleEndian(UInt32(sha.count))
      bytes.append(contentsOf: sha)
      bytes.appendLittleEndian(source.date)
      bytes.appendLittleEndian(UInt64(clamping: source.numbers))
      bytes.appendLittleEndian(UInt64(clamping: source.badLines))
    }
    return bytes
  }
}

extension Array where Element == UInt8 {
  /// Appends `value` as little-endian bytes.
  fileprivate mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }
}
