/// An OLE2 compound file (the container of .xls and of encrypted .xlsx files).
///
/// The file is a small file system: fixed-size sectors chained by a file allocation table (FAT),
/// a directory of named streams, and a mini stream of 64-byte sectors for streams under 4,096 bytes.
/// Every sector number, size and chain is checked against the file, so damaged input throws
/// `SpreadsheetError.corrupt` instead of reading out of bounds or looping.
public struct CompoundFile: Sendable {
  /// The eight bytes every compound file starts with.
  static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
  /// The size of the header, and of the smallest sector.
  private static let headerSize = 512
  /// FAT sector numbers held in the header; the rest are in the DIFAT chain.
  private static let headerFATSectors = 109
  /// The size of a mini sector.
  private static let miniSectorSize = 64

  private let sectors: CompoundFileSectors
  private let entries: [CompoundFileDirectoryEntry]
  /// Directory indexes of the streams directly under the root storage.
  private let rootStreams: [Int]
  private let miniStreamCutoff: UInt64
  private let firstMiniFATSector: UInt32

  /// Reads the header, the FAT and the directory of the compound file in `bytes`.
  /// - Throws: `SpreadsheetError.corrupt` when `bytes` is not a compound file or its header, FAT
  ///   or directory is damaged.
  public init(bytes: [UInt8]) throws(SpreadsheetError) {
    guard bytes.count >= CompoundFile.headerSize else {
      throw .corrupt("compound file header: the file has \(bytes.count) bytes, fewer than the 512-byte header")
    }
    guard bytes.starts(with: CompoundFile.signature) else {
      throw .corrupt("not an OLE2 compound file (wrong signature at byte offset 0)")
    }
    let majorVersion = bytes.littleEndianUInt16(at: 0x1A)
    let sectorShift = bytes.littleEndianUInt16(at: 0x1E)
    guard sectorShift == 9 || sectorShift == 12 else {
      throw .corrupt("compound file header: sector size 2^\(sectorShift) at byte offset 30 (expected 2^9 or 2^12)")
    }
    let miniSectorShift = bytes.littleEndianUInt16(at: 0x20)
    guard miniSectorShift == 6 else {
      throw .corrupt("compound file header: mini sector size 2^\(miniSectorShift) at byte offset 32 (expected 2^6)")
    }
    var sectors = CompoundFileSectors(bytes: bytes, sectorSize: 1 << Int(sectorShift))
    let fatSectorCount = Int(bytes.littleEndianUInt32(at: 0x2C))
    let firstDirectorySector = bytes.littleEndianUInt32(at: 0x30)
    miniStreamCutoff = UInt64(bytes.littleEndianUInt32(at: 0x38))
    firstMiniFATSector = bytes.littleEndianUInt32(at: 0x3C)
    let firstDIFATSector = bytes.littleEndianUInt32(at: 0x44)
    guard fatSectorCount <= sectors.sectorCount else {
      throw .corrupt(
        "compound file header: \(fatSectorCount) FAT sectors at byte offset 44, more than the file's \(sectors.sectorCount) sectors")
    }

    // The FAT's own sectors: 109 listed in the header, the rest in the chained DIFAT sectors.
    var fatSectors: [UInt32] = []
    fatSectors.reserveCapacity(fatSectorCount)
    for index in 0..<min(fatSectorCount, CompoundFile.headerFATSectors) {
      fatSectors.append(bytes.littleEndianUInt32(at: 0x4C + 4 * index))
    }
    var difatSector = firstDIFATSector
    var difatSectorsRead = 0
    let entriesPerDIFATSector = sectors.sectorSize / 4 - 1
    while fatSectors.count < fatSectorCount {
      guard difatSector <= CompoundFileSectors.maxRegularSector, difatSectorsRead < sectors.sectorCount else {
        throw .corrupt("the DIFAT chain ends after \(fatSectors.count) of \(fatSectorCount) FAT sectors")
      }
      let range = try sectors.wholeRange(ofSector: difatSector, what: "the DIFAT chain")
      for index in 0..<entriesPerDIFATSector where fatSectors.count < fatSectorCount {
        fatSectors.append(bytes.littleEndianUInt32(at: range.lowerBound + 4 * index))
      }
      difatSector = bytes.littleEndianUInt32(at: range.lowerBound + 4 * entriesPerDIFATSector)
      difatSectorsRead += 1
    }

    var fat: [UInt32] = []
    fat.reserveCapacity(fatSectorCount * sectors.sectorSize / 4)
    for sector in fatSectors {
      let range = try sectors.wholeRange(ofSector: sector, what: "the FAT")
      for offset in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
        fat.append(bytes.littleEndianUInt32(at: offset))
      }
    }
    sectors.fat = fat
    self.sectors = sectors

    var entries: [CompoundFileDirectoryEntry] = []
    for sector in try sectors.chain(from: firstDirectorySector, what: "the directory") {
      let range = try sectors.wholeRange(ofSector: sector, what: "the directory")
      for offset in stride(from: range.lowerBound, to: range.upperBound, by: CompoundFileDirectoryEntry.size) {
        entries.append(CompoundFileDirectoryEntry(bytes: bytes, at: offset, majorVersion: majorVersion))
      }
    }
    guard let root = entries.first, root.kind == .root else {
      throw .corrupt("the compound file directory (sector \(firstDirectorySector)) has no root entry")
    }
    self.entries = entries
    rootStreams = CompoundFile.streams(under: root, in: entries)
  }

  /// Names of every stream in the directory (e.g. "Workbook", "EncryptionInfo", "EncryptedPackage").
  public var streamNames: [String] {
    entries.filter { $0.kind == .stream }.map(\.name)
  }

  /// The bytes of a stream (regular FAT or mini-stream), or nil.
  ///
  /// A stream directly under the root storage wins over one of the same name in a sub-storage;
  /// names are compared exactly first, then ignoring ASCII case (as the format compares them).
  /// - Throws: `SpreadsheetError.corrupt` when the stream's sectors are damaged.
  public func stream(named name: String) throws(SpreadsheetError) -> [UInt8]? {
    let allStreams = entries.indices.filter { entries[$0].kind == .stream }
    let folded = CompoundFile.foldCase(name)
    let found =
      rootStreams.first { entries[$0].name == name } ?? allStreams.first { entries[$0].name == name }
      ?? rootStreams.first { CompoundFile.foldCase(entries[$0].name) == folded }
      ?? allStreams.first { CompoundFile.foldCase(entries[$0].name) == folded }
    guard let index = found else { return nil }
    let entry = entries[index]
    let what = "stream '\(MessageText.sanitized(entry.name))'"
    if entry.size == 0 { return [] }
    if entry.size >= miniStreamCutoff {
      return try sectors.read(from: entry.startSector, size: entry.size, what: what)
    }
    return try readFromMiniStream(entry, what: what)
  }

  /// Reads a stream kept in the mini stream, which is itself the root entry's stream.
  private func readFromMiniStream(_ entry: CompoundFileDirectoryEntry, what: String) throws(SpreadsheetError)
    -> [UInt8]
  {
    let root = entries[0]
    let container = try sectors.read(from: root.startSector, size: root.size, what: "the mini stream")
    var miniFAT: [UInt32] = []
    for sector in try sectors.chain(from: firstMiniFATSector, what: "the mini FAT") {
      let range = try sectors.wholeRange(ofSector: sector, what: "the mini FAT")
      for offset in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
        miniFAT.append(sectors.bytes.littleEndianUInt32(at: offset))
      }
    }
    let sectorSize = CompoundFile.miniSectorSize
    guard entry.size <= UInt64(container.count) else {
      throw .corrupt("\(what) claims \(entry.size) bytes, more than the \(container.count)-byte mini stream")
    }
    let wanted = Int(entry.size)
    var out: [UInt8] = []
    out.reserveCapacity(wanted)
    var sector = entry.startSector
    var visited = [Bool](repeating: false, count: min(miniFAT.count, container.count / sectorSize))
    while out.count < wanted {
      guard Int(sector) < visited.count else {
        throw .corrupt(
          "the mini sector chain of \(what) ends after \(out.count) of its \(wanted) bytes (mini sector value \(sector))")
      }
      guard !visited[Int(sector)] else { throw .corrupt("the mini sector chain of \(what) loops back to mini sector \(sector)") }
      visited[Int(sector)] = true
      let start = Int(sector) * sectorSize
      let take = min(sectorSize, wanted - out.count)
      out.append(contentsOf: container[start..<start + take])
      sector = miniFAT[Int(sector)]
    }
    return out
  }

  /// The streams in the tree of the root's children, in directory order; bad links are ignored.
  private static func streams(under root: CompoundFileDirectoryEntry, in entries: [CompoundFileDirectoryEntry]) -> [Int] {
    var visited = [Bool](repeating: false, count: entries.count)
    var pending = [root.child]
    var found: [Int] = []
    while let link = pending.popLast() {
      guard link != CompoundFileDirectoryEntry.none, Int(link) < entries.count, !visited[Int(link)] else { continue }
      let index = Int(link)
      visited[index] = true
      let entry = entries[index]
      if entry.kind == .stream { found.append(index) }
      pending.append(entry.leftSibling)
      pending.append(entry.rightSibling)
    }
    return found.sorted()
  }

  /// `name` with ASCII letters lowered, for the format's case-insensitive comparison.
  private static func foldCase(_ name: String) -> String {
    String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
      ("A"..."Z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value + 32)) : scalar
    }))
  }
}
