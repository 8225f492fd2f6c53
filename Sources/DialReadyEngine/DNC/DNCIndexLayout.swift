/// The on-disk layout of a do-not-call index file (version 1); `FORMAT.md` beside this file says the same.
///
/// All integers are little-endian. The file is, in order:
///
/// 1. A header of 80 bytes:
///
///    | offset | size | field |
///    |-------:|-----:|-------|
///    | 0 | 8 | magic `DRDNCIX1` (ASCII) |
///    | 8 | 4 | format version, 1 |
///    | 12 | 4 | header size, 80 |
///    | 16 | 8 | created at, unix seconds (signed) |
///    | 24 | 8 | distinct numbers in the index |
///    | 32 | 4 | number of sources |
///    | 36 | 4 | reserved, 0 |
///    | 40 | 8 | sources section offset (80) |
///    | 48 | 8 | sources section length in bytes |
///    | 56 | 8 | area-code table offset (8-byte aligned) |
///    | 64 | 8 | file length in bytes |
///    | 72 | 4 | CRC-32 (IEEE, as zlib's `crc32`) of bytes 0..<72, then the sources section, then the table |
///    | 76 | 4 | reserved, 0 |
///
/// 2. The sources section, one record per list, packed without padding: name (UInt32 byte length,
///    UTF-8 bytes), SHA-256 hex (UInt32 byte length, ASCII bytes), source date (Int64 unix seconds),
///    numbers (UInt64, duplicates included), bad lines (UInt64).
///
/// 3. The area-code table, 1000 entries of 16 bytes indexed by the area code (NPA) 0…999: kind
///    (UInt32: 0 none, 1 sorted array, 2 bitmap), count (UInt32, distinct numbers), payload offset
///    (UInt64, 8-byte aligned; 0 for kind 0). Entries below 200 are always kind 0.
///
/// 4. The payloads, each starting 8-byte aligned, zero padding between them:
///    - kind 1: an exchange directory of 1001 UInt32 (entry `e` is the index of the first key of
///      exchange `e`, i.e. the first key ≥ `e * 10_000`; entry 1000 is `count`), 4 zero bytes, then
///      `count` ascending, distinct UInt32 line keys (the last seven digits, `n % 10_000_000`), so a
///      lookup binary-searches one exchange's keys, not the whole area code's;
///    - kind 2: a bitmap of 10,000,000 bits (1,250,000 bytes, 156,250 UInt64 words); line key `k` is
///      bit `k % 64` of word `k / 64`.
///
/// An area code is written as a bitmap exactly when it holds more than 156,250 distinct numbers (1/64
/// of its 10,000,000): from there the bitmap is at most twice the array's size and a lookup is one
/// memory read instead of a binary search (on a 50M-number index, classify ran 11.5% slower than
/// without DNC with this threshold against 29.9% at 1/32, `Scripts/bench-dnc.sh`). Equal sets of
/// numbers give byte-identical payloads whatever order they were inserted in.
enum DNCIndexLayout {
  /// The first eight bytes of every index file.
  static let magic: [UInt8] = Array("DRDNCIX1".utf8)
  /// The format version this code writes and reads.
  static let version: UInt32 = 1
  /// Bytes in the fixed header.
  static let headerSize = 80
  /// Where the checksum sits in the header; the checksum covers the bytes before it.
  static let checksumOffset = 72
  /// Area codes 0…999, one table entry each.
  static let tableEntries = 1000
  /// Bytes per table entry.
  static let tableEntrySize = 16
  /// Bytes in the whole table.
  static let tableSize = tableEntries * tableEntrySize
  /// The smallest valid area code; entries below it stay empty.
  static let firstAreaCode = 200
  /// Line keys per area code: the seven digits after it.
  static let linesPerAreaCode = 10_000_000
  /// UInt64 words in one area code's bitmap.
  static let bitmapWords = linesPerAreaCode / 64
  /// Bytes in one area code's bitmap.
  static let bitmapBytes = bitmapWords * 8
  /// Entries in a sorted array's exchange directory: exchanges 0…999 and the end.
  static let directoryEntries = 1001
  /// Bytes before a sorted array's keys: the directory, padded to 8.
  static let directoryBytes = 4008
  /// Line keys per exchange.
  static let linesPerExchange = 10_000

  /// More distinct numbers than this in an area code and it is stored as a bitmap.
  static let bitmapThreshold = linesPerAreaCode / 64

  /// Table entry kinds.
  enum Kind: UInt32 {
    /// No numbers in this area code.
    case none = 0
    /// A sorted array of UInt32 line keys.
    case sortedArray = 1
    /// A 10,000,000-bit bitmap.
    case bitmap = 2
  }

  /// `value` rounded up to a multiple of 8.
  @inline(__always)
  static func aligned(_ value: Int) -> Int { (value + 7) & ~7 }
}

#if _endian(big)
  #error("DNC index payloads are read in place and assume a little-endian machine")
#endif
