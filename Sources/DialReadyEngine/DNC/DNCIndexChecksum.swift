/// CRC-32 (IEEE 802.3, reflected, the same as zlib's `crc32`) over the parts of an index that are read
/// at open (about 16 KB), eight bytes a step ("slicing-by-8") so opening stays in microseconds.
struct DNCIndexChecksum {
  /// Eight 256-entry tables, one after another: table 0 is the classic byte table, table `k` advances
  /// a byte through `k` more zero bytes.
  private static let tables: [UInt32] = {
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
      var crc = UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
      tables[byte] = crc
    }
    for k in 1..<8 {
      for byte in 0..<256 {
        let previous = tables[(k - 1) * 256 + byte]
        tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
      }
    }
    return tables
  }()

  private var state: UInt32 = 0xFFFF_FFFF

  /// A checksum of nothing yet.
  init() {}

  /// Feeds `bytes` into the checksum.
  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    Self.tables.withUnsafeBufferPointer { table in
      var crc = state
      var at = 0
      let count = bytes.count
      while count - at >= 8 {
        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        let low = UInt32(truncatingIfNeeded: word) ^ crc
        let high = UInt32(truncatingIfNeeded: word >> 32)
        crc =
          table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
          ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
          ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
          ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
        at += 8
      }
      while at < count {
        crc = table[Int((crc ^ UInt32(base.load(fromByteOffset: at, as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
        at += 1
      }
      state = crc
    }
  }

  /// The CRC-32 of everything fed so far.
  var value: UInt32 { state ^ 0xFFFF_FFFF }
}
