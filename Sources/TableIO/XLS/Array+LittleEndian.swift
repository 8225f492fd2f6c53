extension Array where Element == UInt8 {
  /// The little-endian 16-bit value at `offset`; the caller has checked that the bytes are there.
  @inline(__always)
  func littleEndianUInt16(at offset: Int) -> UInt16 {
    UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
  }

  /// The little-endian 32-bit value at `offset`; the caller has checked that the bytes are there.
  @inline(__always)
  func littleEndianUInt32(at offset: Int) -> UInt32 {
    UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
      | UInt32(self[offset + 3]) << 24
  }

  /// The little-endian 64-bit value at `offset`; the caller has checked that the bytes are there.
  @inline(__always)
  func littleEndianUInt64(at offset: Int) -> UInt64 {
    UInt64(littleEndianUInt32(at: offset)) | UInt64(littleEndianUInt32(at: offset + 4)) << 32
  }

  /// Whether `count` bytes starting at `offset` lie inside the array (false for negative values).
  @inline(__always)
  func hasBytes(_ count: Int, at offset: Int) -> Bool {
    offset >= 0 && count >= 0 && offset <= self.count && count <= self.count - offset
  }
}
