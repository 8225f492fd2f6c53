/// A number stored in the 32-bit RK form of RK and MULRK cells.
///
/// Bit 0 says the value was multiplied by 100; bit 1 says the upper 30 bits are a signed integer
/// rather than the upper 30 bits of a 64-bit float (whose other bits are zero).
struct RKNumber {
  /// The decoded value.
  let value: Double

  /// Decodes the raw 32-bit RK value.
  init(_ raw: UInt32) {
    var number: Double
    if raw & 0x02 != 0 {
      number = Double(Int32(bitPattern: raw) >> 2)
    } else {
      number = Double(bitPattern: UInt64(raw & 0xFFFF_FFFC) << 32)
    }
    if raw & 0x01 != 0 { number /= 100 }
    value = number
  }
}
