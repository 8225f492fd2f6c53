/// The digits of an extension, kept as a number and a length so leading zeros survive without allocating.
public struct PhoneExtension: Sendable, Hashable, CustomStringConvertible {
  /// The extension's digits read as a decimal number.
  public let value: UInt64
  /// How many digits were written (1…15); leading zeros count.
  public let length: UInt8

  /// The longest extension accepted; longer ones make the field `too_long`.
  public static let maxLength = 15

  /// Creates an extension from its digits as a number and their count.
  public init(value: UInt64, length: UInt8) {
    self.value = value
    self.length = length
  }

  /// The digits, leading zeros included, e.g. `0089`.
  public var description: String {
    var digits = [UInt8](repeating: UInt8(ascii: "0"), count: Int(length))
    var rest = value
    var at = Int(length) - 1
    while at >= 0 {
      digits[at] = UInt8(ascii: "0") + UInt8(rest % 10)
      rest /= 10
      at -= 1
    }
    return String(decoding: digits, as: UTF8.self)
  }
}
