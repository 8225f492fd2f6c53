/// How a number a spreadsheet stores is written out as text.
///
/// Integer literals are kept digit for digit (a phone number stored as a number stays exact, however
/// long). Other literals are read as the `Double` the spreadsheet itself holds and written as that
/// value's shortest round-trip text, as spreadsheet applications show it: integral values without a
/// point (`2.125551234E9` → `2125551234`, `100.000` → `100`), others shortest (`78.459999999999994` →
/// `78.46`). No digit the stored value has is lost.
public enum NumberText {
  /// Appends the normalized text of the number literal `literal` to `out`; non-numbers are copied.
  public static func appendNormalized(_ literal: UnsafeRawBufferPointer, to out: OutputBytes) {
    var isInteger = literal.count > 0
    for (i, b) in literal.enumerated() where !(b >= 48 && b <= 57) && !(i == 0 && b == UInt8(ascii: "-")) {
      isInteger = false
      break
    }
    if isInteger || literal.isEmpty {
      // `-0` is zero, as a spreadsheet shows it.
      if literal.count == 2 && literal[0] == UInt8(ascii: "-") && literal[1] == UInt8(ascii: "0") {
        out.append(UInt8(ascii: "0"))
      } else {
        out.append(literal)
      }
      return
    }
    guard let value = Double(String(decoding: literal, as: UTF8.self)), value.isFinite else {
      out.append(literal)
      return
    }
    out.append(text: format(value))
  }

  /// The text of a stored `Double`: integral values below 2^53 as integers, others shortest round-trip.
  public static func format(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
      return value == 0 ? "0" : String(Int64(value))
    }
    return value.description
  }
}
