/// One 128-byte entry of a compound file's directory: a storage, a stream or the root.
struct CompoundFileDirectoryEntry: Sendable {
  /// What an entry holds.
  enum Kind: UInt8, Sendable {
    case unused = 0
    case storage = 1
    case stream = 2
    case root = 5
  }

  /// The size of an entry in the directory.
  static let size = 128
  /// The sibling or child index that means "none".
  static let none: UInt32 = 0xFFFF_FFFF

  /// The entry's name (at most 31 UTF-16 code units).
  let name: String
  /// What the entry holds; `nil` for a type byte the format does not define.
  let kind: Kind?
  /// The left sibling in the red-black tree of its storage.
  let leftSibling: UInt32
  /// The right sibling in the red-black tree of its storage.
  let rightSibling: UInt32
  /// The root of the tree of its children (storages and the root only).
  let child: UInt32
  /// The first sector of the stream (a mini sector when the stream is below the cutoff).
  let startSector: UInt32
  /// The stream's size in bytes.
  let size: UInt64

  /// Reads the entry at `offset` of `bytes`; the caller has checked that 128 bytes are there.
  /// - Parameter majorVersion: 3 for 512-byte sectors, where only the low 32 bits of the size count.
  init(bytes: [UInt8], at offset: Int, majorVersion: UInt16) {
    let nameLength = Int(bytes.littleEndianUInt16(at: offset + 0x40))
    // The length counts the terminating NUL, in bytes; anything odd or too long is clamped.
    let units = max(0, min(nameLength, 64) / 2 - 1)
    var codeUnits: [UInt16] = []
    codeUnits.reserveCapacity(units)
    for index in 0..<units {
      let unit = bytes.littleEndianUInt16(at: offset + 2 * index)
      if unit == 0 { break }
      codeUnits.append(unit)
    }
    name = String(decoding: codeUnits, as: UTF16.self)
    kind = Kind(rawValue: bytes[offset + 0x42])
    leftSibling = bytes.littleEndianUInt32(at: offset + 0x44)
    rightSibling = bytes.littleEndianUInt32(at: offset + 0x48)
    child = bytes.littleEndianUInt32(at: offset + 0x4C)
    startSector = bytes.littleEndianUInt32(at: offset + 0x74)
    let fullSize = bytes.littleEndianUInt64(at: offset + 0x78)
    size = majorVersion == 3 ? fullSize & 0xFFFF_FFFF : fullSize
  }
}
