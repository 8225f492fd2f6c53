/// Packs named parts into a ZIP archive with every entry stored (not deflated), so the XML the fuzzer
/// writes reaches the XLSX reader's XML scanner byte for byte.
enum StoredZip {
  static func archive(_ parts: [(name: String, bytes: [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    for part in parts {
      let name = Array(part.name.utf8)
      let crc = crc32(part.bytes)
      let offset = UInt32(out.count)
      out.append32(0x0403_4B50)
      out.append16(20); out.append16(0); out.append16(0); out.append16(0); out.append16(0)
      out.append32(crc); out.append32(UInt32(part.bytes.count)); out.append32(UInt32(part.bytes.count))
      out.append16(UInt16(name.count)); out.append16(0)
      out += name
      out += part.bytes
      central.append32(0x0201_4B50)
      central.append16(20); central.append16(20); central.append16(0); central.append16(0); central.append16(0)
      central.append16(0)
      central.append32(crc); central.append32(UInt32(part.bytes.count)); central.append32(UInt32(part.bytes.count))
      central.append16(UInt16(name.count)); central.append16(0); central.append16(0); central.append16(0)
      central.append16(0); central.append32(0); central.append32(offset)
      central += name
    }
    let centralOffset = UInt32(out.count)
    out += central
    out.append32(0x0605_4B50)
    out.append16(0); out.append16(0); out.append16(UInt16(parts.count)); out.append16(UInt16(parts.count))
    out.append32(UInt32(central.count)); out.append32(centralOffset); out.append16(0)
    return out
  }

  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}

extension Array where Element == UInt8 {
  mutating func append16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
  mutating func append32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(s)) & 0xFF)) } }
}

/// Turns a fuzz input that is not a ZIP into a minimal workbook: the input is split at `\n@@\n` into the
/// sheet XML, the shared-string table and the workbook XML (later parts fall back to valid defaults).
enum XLSXParts {
  static let separator: [UInt8] = Array("\n@@\n".utf8)
  static let defaultWorkbook = Array(
    """
    <?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
    xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
    <sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
    """.utf8)
  static let workbookRels = Array(
    """
    <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
    Target="worksheets/sheet1.xml"/></Relationships>
    """.utf8)
  static let rootRels = Array(
    """
    <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
    Target="xl/workbook.xml"/></Relationships>
    """.utf8)

  static func package(_ input: UnsafeRawBufferPointer) -> [UInt8] {
    var parts: [[UInt8]] = []
    var start = 0
    var i = 0
    let bytes = Array(input)
    while i + separator.count <= bytes.count {
      if bytes[i..<(i + separator.count)].elementsEqual(separator) {
        parts.append(Array(bytes[start..<i]))
        i += separator.count
        start = i
      } else {
        i += 1
      }
    }
    parts.append(Array(bytes[start...]))
    var files: [(name: String, bytes: [UInt8])] = [
      ("_rels/.rels", rootRels),
      ("xl/workbook.xml", parts.count > 2 ? parts[2] : defaultWorkbook),
      ("xl/_rels/workbook.xml.rels", workbookRels),
      ("xl/worksheets/sheet1.xml", parts[0]),
    ]
    if parts.count > 1 { files.append(("xl/sharedStrings.xml", parts[1])) }
    return StoredZip.archive(files)
  }
}
