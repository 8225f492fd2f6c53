/// The kind of file a lead list arrives as.
public enum InputFormat: String, Sendable, CaseIterable {
  case csv, tsv, xlsx, xls, json, ndjson

  /// Parses a `--format` value.
  public init?(name: String) {
    switch name.lowercased() {
    case "csv", "txt": self = .csv
    case "tsv", "tab": self = .tsv
    case "xlsx", "xlsm": self = .xlsx
    case "xls": self = .xls
    case "json": self = .json
    case "ndjson", "jsonl", "jsonlines": self = .ndjson
    default: return nil
    }
  }

  /// Decides the format from the first bytes (ZIP magic → XLSX, OLE2 magic → XLS, `{`/`[` → JSON or
  /// NDJSON), using the file extension only to tell JSON from NDJSON and CSV from TSV.
  public static func detect(prefix: [UInt8], path: String) -> InputFormat {
    let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
    if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) || prefix.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .xlsx }
    if prefix.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) || isEarlyBIFF(prefix) { return .xls }
    var i = prefix.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while i < prefix.count, prefix[i] == 0x20 || prefix[i] == 0x09 || prefix[i] == 0x0A || prefix[i] == 0x0D { i += 1 }
    if i < prefix.count && (prefix[i] == UInt8(ascii: "{") || prefix[i] == UInt8(ascii: "[")) {
      if ext == "ndjson" || ext == "jsonl" { return .ndjson }
      if prefix[i] == UInt8(ascii: "{") && looksLikeLines(prefix, from: i) { return .ndjson }
      return .json
    }
    return ext == "tsv" || ext == "tab" ? .tsv : .csv
  }

  /// Whether the bytes start with the BOF record of a raw BIFF2, BIFF3 or BIFF4 stream (Excel 2.x–4.0).
  static func isEarlyBIFF(_ prefix: [UInt8]) -> Bool {
    prefix.count >= 4 && prefix[0] == 0x09 && [0x00, 0x02, 0x04].contains(prefix[1]) && prefix[3] == 0x00
      && prefix[2] >= 4 && prefix[2] <= 16
  }

  /// Whether the file name claims a spreadsheet (`.xls`, `.xlsx`, `.xlsm`, `.xlsb`).
  static func claimsSpreadsheet(path: String) -> Bool {
    let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
    return ["xls", "xlsx", "xlsm", "xlsb"].contains(ext) && path.contains(".")
  }

  /// Whether the bytes look like delimited text: no NUL byte, a line break, and a delimiter on the first line.
  static func looksLikeDelimitedText(_ prefix: [UInt8]) -> Bool {
    guard !prefix.contains(0), let newline = prefix.firstIndex(where: { $0 == 10 || $0 == 13 }) else { return false }
    return prefix[..<newline].contains { CSVDialect.candidates.contains($0) }
  }

  /// Whether the text holds one complete JSON object per line (at least two such lines).
  private static func looksLikeLines(_ bytes: [UInt8], from start: Int) -> Bool {
    var depth = 0
    var inString = false
    var escaped = false
    var objects = 0
    for b in bytes[start...] {
      if inString {
        if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
        continue
      }
      switch b {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 0 { objects += 1 }
      case 0x0A:
        if depth > 0 { return false }  // A line break inside the first object: pretty-printed JSON.
        if objects >= 1 { return true }
      default: break
      }
    }
    return false
  }
}
