/// The sectors of a compound file and its file allocation table (FAT): follows sector chains
/// with every sector number checked against the file and every chain cut short of a loop.
struct CompoundFileSectors: Sendable {
  /// The highest FAT value that names a sector; higher values are markers (end of chain, free,
  /// FAT and DIFAT sectors).
  static let maxRegularSector: UInt32 = 0xFFFF_FFFA

  /// The whole file.
  let bytes: [UInt8]
  /// Bytes per sector (512 or 4096).
  let sectorSize: Int
  /// Sectors that start inside the file (the last one may be cut short).
  let sectorCount: Int
  /// The next sector of each sector's chain.
  var fat: [UInt32] = []

  /// Describes the sectors of `bytes`, whose header takes the first `sectorSize` bytes.
  init(bytes: [UInt8], sectorSize: Int) {
    self.bytes = bytes
    self.sectorSize = sectorSize
    // Sector n starts at (n + 1) * sectorSize; count those that start before the end of the file.
    sectorCount = max(0, (bytes.count - 1) / sectorSize)
  }

  /// The byte range of sector `sector` inside the file, cut at the end of the file.
  /// - Throws: `.corrupt` when the sector lies past the end of the file.
  func range(ofSector sector: UInt32, what: String) throws(SpreadsheetError) -> Range<Int> {
    guard Int(sector) < sectorCount else {
      throw .corrupt(
        "sector \(sector) of \(what) lies past the end of the file (\(bytes.count) bytes, \(sectorCount) sectors)")
    }
    let start = (Int(sector) + 1) * sectorSize
    return start..<min(start + sectorSize, bytes.count)
  }

  /// The byte range of sector `sector`, which must lie wholly inside the file (FAT, directory
  /// and mini FAT sectors are never legitimately cut short).
  /// - Throws: `.corrupt` when the sector lies past, or runs past, the end of the file.
  func wholeRange(ofSector sector: UInt32, what: String) throws(SpreadsheetError) -> Range<Int> {
    let range = try range(ofSector: sector, what: what)
    guard range.count == sectorSize else {
      throw .corrupt("sector \(sector) of \(what) is cut off at byte offset \(bytes.count), the end of the file")
    }
    return range
  }

  /// The sectors of the chain that starts at `start`, up to its end-of-chain marker.
  /// - Throws: `.corrupt` when a sector number is out of range or the chain loops.
  func chain(from start: UInt32, what: String) throws(SpreadsheetError) -> [UInt32] {
    var sectors: [UInt32] = []
    var sector = start
    while sector <= CompoundFileSectors.maxRegularSector {
      guard Int(sector) < fat.count && Int(sector) < sectorCount else {
        throw .corrupt(
          "sector \(sector) of \(what) lies past the end of the file or its allocation table (\(sectorCount) sectors)")
      }
      // A chain longer than the file has sectors must visit one twice.
      guard sectors.count < sectorCount else { throw .corrupt("the sector chain of \(what) loops") }
      sectors.append(sector)
      sector = fat[Int(sector)]
    }
    return sectors
  }

  /// The first `size` bytes of the chain that starts at `start`.
  /// - Throws: `.corrupt` when the chain is shorter than `size` or leaves the file.
  func read(from start: UInt32, size: UInt64, what: String) throws(SpreadsheetError) -> [UInt8] {
    guard size <= UInt64(sectorCount) * UInt64(sectorSize) else {
      throw .corrupt("\(what) claims \(size) bytes, more than the file's \(bytes.count) bytes")
    }
    let wanted = Int(size)
    var out: [UInt8] = []
    out.reserveCapacity(wanted)
    var sector = start
    var visited = [Bool](repeating: false, count: min(fat.count, sectorCount))
    while out.count < wanted {
      guard sector <= CompoundFileSectors.maxRegularSector && Int(sector) < visited.count else {
        throw .corrupt(
          "the sector chain of \(what) ends after \(out.count) of its \(wanted) bytes (sector value \(sector))")
      }
      guard !visited[Int(sector)] else { throw .corrupt("the sector chain of \(what) loops back to sector \(sector)") }
      visited[Int(sector)] = true
      let range = try self.range(ofSector: sector, what: what)
      let take = min(range.count, wanted - out.count)
      out.append(contentsOf: bytes[range.lowerBound..<range.lowerBound + take])
      if take < sectorSize && out.count < wanted {
        throw .corrupt("\(what) is cut off at byte offset \(bytes.count), the end of the file")
      }
      sector = fat[Int(sector)]
    }
    return out
  }
}
