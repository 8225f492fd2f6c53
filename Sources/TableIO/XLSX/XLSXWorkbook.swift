/// The worksheets of an XLSX package: names in workbook order and the part each one lives in.
struct XLSXWorkbook {
  struct Sheet {
    let name: String
    let part: String
  }

  let sheets: [Sheet]

  init(package: ZipPackage) throws(SpreadsheetError) {
    if package.contains("EncryptedPackage") { throw .encrypted }
    let workbookPart = "xl/workbook.xml"
    let workbook = try package.read(workbookPart)
    let rels = package.contains("xl/_rels/workbook.xml.rels") ? try package.read("xl/_rels/workbook.xml.rels") : []

    var relations = RelationsHandler()
    _ = try SharedStrings.scan(rels, isFinal: true, handler: &relations)
    var listing = SheetListHandler()
    _ = try SharedStrings.scan(workbook, isFinal: true, handler: &listing)
    var sheets: [Sheet] = []
    for (index, entry) in listing.sheets.enumerated() {
      var part = relations.targets[entry.relation] ?? "worksheets/sheet\(index + 1).xml"
      if part.hasPrefix("/") { part.removeFirst() } else if !part.hasPrefix("xl/") { part = "xl/" + part }
      sheets.append(Sheet(name: entry.name, part: part))
    }
    guard !sheets.isEmpty else { throw .noWorksheet }
    self.sheets = sheets
  }

  /// The sheet named `requested` (or numbered, from 1), or the first.
  func sheet(_ requested: String?) throws(SpreadsheetError) -> Sheet {
    guard let requested else { return sheets[0] }
    if let match = sheets.first(where: { $0.name == requested }) { return match }
    if let match = sheets.first(where: { $0.name.lowercased() == requested.lowercased() }) { return match }
    if let number = Int(requested), number >= 1, number <= sheets.count { return sheets[number - 1] }
    throw .sheetNotFound(requested: requested, available: sheets.map(\.name))
  }
}

private struct RelationsHandler: XMLHandler {
  var targets: [String: String] = [:]
  var wantsPause: Bool { false }

  mutating func startElement(_ name: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer, selfClosing: Bool) {
    guard XMLScanner.isName(name, "Relationship"), let id = XMLScanner.attribute("Id", in: attributes),
      let target = XMLScanner.attribute("Target", in: attributes)
    else { return }
    targets[String(decoding: id, as: UTF8.self)] = String(decoding: target, as: UTF8.self)
  }
  mutating func endElement(_ name: UnsafeRawBufferPointer) {}
  mutating func text(_ raw: UnsafeRawBufferPointer, isCDATA: Bool) {}
}

private struct SheetListHandler: XMLHandler {
  var sheets: [(name: String, relation: String)] = []
  var wantsPause: Bool { false }

  mutating func startElement(_ name: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer, selfClosing: Bool) {
    guard XMLScanner.isName(name, "sheet"), let sheetName = XMLScanner.attribute("name", in: attributes) else { return }
    let relation = XMLScanner.attribute("r:id", in: attributes) ?? XMLScanner.attribute("id", in: attributes)
    let decoded = OutputBytes(capacity: 64)
    XMLText.decode(sheetName, into: decoded)
    sheets.append((String(decoding: decoded.bytes, as: UTF8.self), relation.map { String(decoding: $0, as: UTF8.self) } ?? ""))
  }
  mutating func endElement(_ name: UnsafeRawBufferPointer) {}
  mutating func text(_ raw: UnsafeRawBufferPointer, isCDATA: Bool) {}
}
