/// Lowercase hexadecimal text of bytes (digests, keys, signatures), without `String(format:)`.
enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
