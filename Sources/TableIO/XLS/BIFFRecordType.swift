/// The BIFF8 record types the reader acts on; every other record is skipped.
enum BIFFRecordType {
  /// Beginning of a substream (workbook globals, a worksheet, an embedded chart).
  static let bof: UInt16 = 0x0809
  /// End of a substream.
  static let eof: UInt16 = 0x000A
  /// The text encoding of the workbook (informational in BIFF8, whose strings are Unicode).
  static let codePage: UInt16 = 0x0042
  /// The workbook is encrypted.
  static let filePass: UInt16 = 0x002F
  /// A sheet's name, type and the stream offset of its BOF record.
  static let boundSheet: UInt16 = 0x0085
  /// The shared-string table.
  static let sst: UInt16 = 0x00FC
  /// More data for the record before it.
  static let `continue`: UInt16 = 0x003C
  /// A cell holding a shared string.
  static let labelSST: UInt16 = 0x00FD
  /// A cell holding its own string.
  static let label: UInt16 = 0x0204
  /// A cell holding its own string with formatting runs.
  static let richString: UInt16 = 0x00D6
  /// A cell holding a 64-bit float.
  static let number: UInt16 = 0x0203
  /// A cell holding a compressed (RK) number.
  static let rk: UInt16 = 0x027E
  /// Adjacent cells of one row holding RK numbers.
  static let mulRK: UInt16 = 0x00BD
  /// A formula cell with its cached result.
  static let formula: UInt16 = 0x0006
  /// The string result of the formula before it.
  static let string: UInt16 = 0x0207
  /// A cell holding a boolean or an error value.
  static let boolErr: UInt16 = 0x0205
}
