/// The worksheets of an XLSX package: names in workbook order and the part each one lives in.
struct XLSXWorkbook {
  struct Sheet {
    let name: String
    let part: String
  }

  let sheets: [Sheet]

  init(package: ZipPackage, limits: ReaderLimits) throws(SpreadsheetError) {
    if package.contains("EncryptedPackage") { throw .encrypted }
    // The package relationships name the workbook part (usually xl/workbook.xml, not always).
    var workbookPart = "xl/workbook.xml"
    if package.contains("_rels/.rels") {
      var root = RelationsHandler()
      do {
        try SharedStrings.scan(try package.read("_rels/.rels"), handler: &root, limits: limits)
      } catch {
        throw .corrupt("the package relationships (_rels/.rels) are not valid XML")
      }
      guard let target = root.officeDocument else {
        throw .corrupt("the package relationships (_rels/.rels) name no workbook")
      }
      workbookPart = Self.resolve(target, relativeTo: "")
    }
    let folder = workbookPart.contains("/") ? String(workbookPart[..<workbookPart.lastIndex(of: "/")!]) : ""
    let fileName = workbookPart.split(separator: "/").last.map(String.init) ?? workbookPart
    let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + fileName + ".rels"
    let workbook = try package.read(workbookPart)
    let rels = package.contains(relsPart) ? try package.read(relsPart) : []

    var relations = RelationsHandler()
    try SharedStrings.scan(rels, handler: &relations, limits: limits)
    var listing = SheetListHandler()
    try SharedStrings.scan(workbook, handler: &listing, limits: limits)
    var sheets: [Sheet] = []
    for (index, entry) in listing.sheets.enumerated() {
      let target = relations.targets[entry.relation] ?? "worksheets/sheet\(index + 1).xml"
      sheets.append(Sheet(name: entry.name, part: Self.resolve(target, relativeTo: folder)))
    }
    guard !sheets.isEmpty else { throw .noWorksheet }
    self.sheets = sheets
  }

  /// A relationship target as a part name: absolute targets from the package root, others from `folder`,
  /// with `.` and `..` segments resolved.
  static func resolve(_ target: String, relativeTo folder: String) -> String {
    var segments: [Substring] = target.hasPrefix("/") || folder.isEmpty ? [] : folder.split(separator: "/")
    for segment in target.split(separator: "/") {
      if segment == "." { continue }
      if segment == ".." {
        if !segments.isEmpty { segments.removeLast() }
        continue
      }
      segments.append(segment)
    }
    return segments.joined(separator: "/")
  }

  /// The sheet named `requested` (or numbered, from 1), or the first.
  func sheet(_ requested: String?) throws(SpreadsheetError) -> Sheet {
    sheets[try SheetRowWriter.sheetIndex(requested, in: sheets.map(\.name))]
  }
}

private struct RelationsHandler: XMLHandler {
  var targets: [String: String] = [:]
  /// The target of the `officeDocument` relationship (in the package's root relationships).
  var officeDocument: String?
  var wantsPause: Bool { false }

  mutating func startElement(_ name: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer, selfClosing: Bool) {
    guard XMLScanner.isName(name, "Relationship"), let id = XMLScanner.attribute("Id", in: attributes),
      let target = XMLScanner.attribute("Target", in: attributes)
    else { return }
    let targetText = String(decoding: target, as: UTF8.self)
    targets[String(decoding: id, as: UTF8.self)] = targetText
    if let type = XMLScanner.attribute("Type", in: attributes), String(decoding: type, as: UTF8.self).hasSuffix("/officeDocument") {
      officeDocument = targetText
    }
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
