import DialReadyEngine
import Foundation

/// Turns a `POST /api/v1/uploads` body into a staged input file, validates it through the engine
/// (the same reader, normalizer and validator as `dialready classify`) and returns the upload to create.
/// It holds no numbering logic of its own.
struct UploadIntake {
  let configuration: ServerConfiguration
  let files: FileStore

  /// What the request asked for, before validation.
  struct Submission {
    /// The input, staged in `DIR/tmp/` (the caller discards it when the submission is refused).
    var file: FileStore.StagedFile
    var originalFilename: String
    var phoneColumn: String
    var skipMobileLookup: Bool?
    var options: UploadOptions
  }

  // MARK: Request bodies

  /// A `multipart/form-data` body read by ``StreamingForm``: `file`, `phone_column`,
  /// `skip_mobile_lookup`, `filename_override`, and the compliance fields `enable_dnc`, `timezone`,
  /// `calling_hours`, `allowed_days`.
  func multipart(_ form: StreamingForm.Result) throws(APIError) -> Submission {
    guard let file = form.file else { throw APIError(.badRequest, "Missing required field: file") }
    let text = { (name: String) in form.fields[name] }
    guard let phoneColumn = text("phone_column"), !phoneColumn.isEmpty else {
      throw APIError(.badRequest, "Missing required field: phone_column")
    }
    if file.size == 0 { throw APIError(.badRequest, "The file is empty") }
    let name = (form.filename?.isEmpty == false ? form.filename! : "upload.csv")
    var options = UploadOptions()
    options.enableDNC = try Self.flag(text("enable_dnc"), field: "enable_dnc") ?? false
    options.timezone = text("timezone").flatMap { $0.isEmpty ? nil : $0 }
    if let hours = text("calling_hours") ?? text("callingHour") {
      options.callingHours = try Self.decode(UploadOptions.Hours.self, hours, field: "calling_hours")
    }
    if let days = text("allowed_days") ?? text("allowedDays") {
      options.allowedDays = try Self.decode([Int].self, days, field: "allowed_days")
    }
    let override = text("filename_override").flatMap { $0.isEmpty ? nil : $0 }
    return Submission(
      file: file, originalFilename: override ?? name, phoneColumn: phoneColumn,
      skipMobileLookup: try Self.flag(text("skip_mobile_lookup"), field: "skip_mobile_lookup") ?? false, options: options)
  }

  /// An `application/json` body, read from its spool file by ``JSONBodyReader``: `phone_numbers` xor
  /// `contacts` + `phone_column`, `filename`, `skip_mobile_lookup`, and the compliance fields. The
  /// numbers become a CSV file (the original), written as they are read: a first pass checks the
  /// fields and counts (and finds the contacts' columns), a second writes the rows.
  func json(spool: FileStore.StagedFile) throws(APIError) -> Submission {
    var object: [String: Any] = [:]
    var counts: [String: Int] = [:]
    var keys: [String] = []
    var seen = Set<String>()
    try readJSON(spool) { key, value in
      object[key] = value
    } element: { key, item in
      counts[key, default: 0] += 1
      try checkCount(counts[key]!, field: key)
      if key == "phone_numbers" {
        guard Self.text(item) != nil, !(item is [Any]), !(item is [String: Any]) else {
          throw APIError(.badRequest, "phone_numbers must be an array of strings")
        }
      } else {
        guard let contact = item as? [String: Any] else { throw APIError(.badRequest, "contacts must be an array of objects") }
        // JSONSerialization does not keep key order; sorted keys give every run the same columns.
        for key in contact.keys.sorted() where seen.insert(key).inserted { keys.append(key) }
        if keys.count > Self.maximumContactKeys { throw Self.tooManyKeys(keys.count) }
      }
    }
    let numbers = object["phone_numbers"]
    let contacts = object["contacts"]
    if (numbers == nil || numbers is NSNull) == (contacts == nil || contacts is NSNull) {
      throw APIError(.badRequest, "Provide exactly one of phone_numbers and contacts")
    }
    let listed = numbers != nil && !(numbers is NSNull) ? "phone_numbers" : "contacts"
    guard object[listed] is [Any] else {
      throw APIError(
        .badRequest, listed == "contacts" ? "contacts must be an array of objects" : "phone_numbers must be an array of strings")
    }
    let phoneColumn: String
    if listed == "contacts" {
      guard let column = object["phone_column"] as? String, !column.isEmpty else {
        throw APIError(.badRequest, "Missing required field: phone_column (required with contacts)")
      }
      // Every row is written as wide as the union of keys: bound the cells.
      if keys.count * counts["contacts", default: 0] > Self.maximumContactCells { throw Self.tooManyKeys(keys.count) }
      guard seen.contains(column) else {
        throw APIError(.badRequest, "phone_column '\(column)' is not present in the contacts")
      }
      keys.removeAll { $0 == column }
      keys.insert(column, at: 0)
      phoneColumn = column
    } else {
      keys = ["phone"]
      phoneColumn = "phone"
    }
    // The second pass: the rows, straight into the staged CSV.
    let writer: StagingWriter
    do { writer = try files.startStaging(ext: "csv") } catch {
      throw APIError(.serviceUnavailable, "Could not store the file; try again later")
    }
    let staged: FileStore.StagedFile
    do {
      var csv = CSVBuilder()
      csv.row(keys)
      try readJSON(spool) { _, _ in } element: { key, item in
        guard key == listed else { return }
        if let contact = item as? [String: Any] {
          csv.row(keys.map { contact[$0].flatMap(Self.text) ?? "" })
        } else {
          csv.row([Self.text(item) ?? ""])
        }
        if csv.bytes.count >= 1 << 18 { try csv.flush(to: writer) }
      }
      try csv.flush(to: writer)
      staged = try writer.finish()
    } catch {
      writer.abandon()
      if let error = error as? APIError { throw error }
      throw APIError(.serviceUnavailable, "Could not store the file; try again later")
    }
    var options = UploadOptions()
    options.enableDNC = try Self.jsonFlag(object["enable_dnc"], field: "enable_dnc") ?? false
    options.timezone = object["timezone"] as? String
    if let hours = object["calling_hours"], !(hours is NSNull) {
      guard let dict = hours as? [String: Any], let start = dict["start"] as? String, let end = dict["end"] as? String else {
        throw APIError(.badRequest, "calling_hours must be {\"start\":\"HH:MM\",\"end\":\"HH:MM\"}")
      }
      options.callingHours = .init(start: start, end: end)
    }
    if let days = object["allowed_days"], !(days is NSNull) {
      guard let list = days as? [Int] else { throw APIError(.badRequest, "allowed_days must be an array of day numbers 1-7") }
      options.allowedDays = list
    }
    let hex = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    let filename = (object["filename"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "api_upload_\(hex).csv"
    let skipMobileLookup: Bool
    do { skipMobileLookup = try Self.jsonFlag(object["skip_mobile_lookup"], field: "skip_mobile_lookup") ?? false } catch {
      files.discard(staged)
      throw error
    }
    return Submission(
      file: staged, originalFilename: filename, phoneColumn: phoneColumn,
      skipMobileLookup: skipMobileLookup, options: options)
  }

  /// Reads the spooled body, as the reference's errors.
  private func readJSON(
    _ spool: FileStore.StagedFile, field: (String, Any) throws -> Void, element: (String, Any) throws -> Void
  ) throws(APIError) {
    do { try JSONBodyReader.read(path: spool.path, field: field, element: element) } catch let error as APIError {
      throw error
    } catch JSONBodyReader.Refusal.valueTooLarge(let field) {
      throw APIError(
        .contentTooLarge,
        "\(field) is larger than \(JSONBodyReader.maximumValueBytes / 1024) KiB; send large lists as a file (multipart/form-data)")
    } catch JSONBodyReader.Refusal.malformed(let reason) {
      throw APIError(.badRequest, "Malformed JSON: \(reason)")
    } catch {
      throw APIError(.serviceUnavailable, "Could not read the request back; try again later")
    }
  }

  static func tooManyKeys(_ count: Int) -> APIError {
    APIError(
      .contentTooLarge,
      "contacts have too many distinct keys (\(count)); at most \(maximumContactKeys) columns and \(maximumContactCells) cells")
  }

  /// The engine's default column limit, and 50 million cells (a CSV of at least 50 MB).
  static let maximumContactKeys = 16_384
  static let maximumContactCells = 50_000_000

  private func checkCount(_ count: Int, field: String) throws(APIError) {
    if count > configuration.maximumNumbers {
      throw APIError(.contentTooLarge, "\(field) exceeds \(configuration.maximumNumbers) entries")
    }
  }

  // MARK: Validation

  /// What validation found: the staged original, the counts, and the engine run's folder (its
  /// manifest and rejects become the upload's once it is committed).
  struct Validated {
    var original: FileStore.StagedFile
    var validRows: Int
    var invalidRows: Int
    var work: String
    var rejectsSHA256: String
  }

  /// Runs the engine over the staged original: the phone column must exist, at most
  /// ``ServerConfiguration/maximumNumbers`` rows, at least ``ServerConfiguration/minimumValidNumbers``
  /// valid. A refused submission leaves no file behind.
  func validate(_ submission: Submission) throws(APIError) -> Validated {
    let staged = submission.file
    do { try Self.checkOptions(submission.options, configuration: configuration) } catch {
      files.discard(staged)
      throw error
    }
    let work = files.workPath("validate-\(UUID().uuidString.lowercased()).dialready")
    var options = configuration.classifyOptions(input: staged.path, output: work, phoneColumn: submission.phoneColumn)
    options.minValid = configuration.minimumValidNumbers
    do {
      let manifest = try ClassifyJob(options: options).run()
      return Validated(
        original: staged, validRows: manifest.validRowCount, invalidRows: manifest.invalidRowCount, work: work,
        rejectsSHA256: manifest.outputs.rejects.sha256)
    } catch {
      files.discard(staged)
      try? FileManager.default.removeItem(atPath: work)
      throw Self.apiError(error, inputPath: staged.path, filename: submission.originalFilename)
    }
  }

  /// The engine's refusal as the reference's status and body.
  static func apiError(_ error: DialReadyError, inputPath: String, filename: String) -> APIError {
    let message = error.description.replacingOccurrences(of: inputPath, with: filename)
    switch error {
    case .minContactsRequired(_, let minimum, let got): return .minContactsRequired(minimum: minimum, got: got)
    case .tooManyRows(_, let limit): return APIError(.contentTooLarge, "The file has more than \(limit) phone numbers")
    case .tooManyBytes: return APIError(.contentTooLarge, message)
    case .phoneColumnUnknown(_, let name, let columns):
      return APIError(.badRequest, "phone_column '\(name)' is not present in the data; the columns are \(columns.joined(separator: ", "))")
    case .phoneColumnNotFound, .input: return APIError(.badRequest, message)
    case .writeFailed, .cannotCreateOutput: return APIError(.serviceUnavailable, "Could not store the results; try again later")
    default: return APIError(.internalServerError, "Internal server error")
    }
  }

  /// Refuses compliance options the engine could not apply (400), before any work.
  static func checkOptions(_ options: UploadOptions, configuration: ServerConfiguration) throws(APIError) {
    if options.enableDNC && configuration.dncPaths.isEmpty {
      throw APIError(.badRequest, "enable_dnc needs a do-not-call list on the server (dialready serve --dnc FILE)")
    }
    do { _ = try callingPolicy(options) } catch { throw APIError(.badRequest, "\(error)") }
  }

  /// The engine's calling policy for an upload's options (`nil` when none is set).
  static func callingPolicy(_ options: UploadOptions) throws -> CallingPolicy? {
    guard options.hasCallingWindow else { return nil }
    var policy = CallingPolicy()
    if let zone = options.timezone {
      try CallingPolicy.checkTimeZone(zone)
      policy.timezoneFallback = zone
    }
    if let hours = options.callingHours { policy.callingHours = try CallingHours.parse("\(hours.start)-\(hours.end)") }
    if let days = options.allowedDays {
      policy.allowedDays = try AllowedDays.parse("[" + days.map(String.init).joined(separator: ",") + "]")
    }
    return policy
  }

  // MARK: Helpers

  static func flag(_ text: String?, field: String) throws(APIError) -> Bool? {
    guard let text else { return nil }
    switch text.lowercased() {
    case "true", "1", "yes", "on": return true
    case "false", "0", "no", "off", "": return false
    default: throw APIError(.badRequest, "\(field) must be true or false")
    }
  }

  static func jsonFlag(_ value: Any?, field: String) throws(APIError) -> Bool? {
    guard let value, !(value is NSNull) else { return nil }
    if let n = value as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue }
    if let s = value as? String { return try flag(s, field: field) }
    throw APIError(.badRequest, "\(field) must be true or false")
  }

  static func decode<T: Decodable>(_ type: T.Type, _ text: String, field: String) throws(APIError) -> T {
    do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
      throw APIError(.badRequest, "\(field) is not valid: \(text)")
    }
  }

  /// A JSON scalar as CSV text: strings as they are, numbers and booleans as JSON writes them, null empty.
  static func text(_ value: Any) -> String? {
    switch value {
    case let s as String: return s
    case is NSNull: return ""
    case let n as NSNumber:
      // JSON booleans arrive as NSNumbers of type "c" (char), numbers as "q" or "d".
      if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
      return n.stringValue
    default:
      guard JSONSerialization.isValidJSONObject(value),
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
      else { return nil }
      return String(decoding: data, as: UTF8.self)
    }
  }

  /// The extension the engine reads a submitted file by; unknown ones are read as delimited text.
  static func fileExtension(_ name: String) -> String {
    let ext = (name as NSString).pathExtension.lowercased()
    return ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "json", "ndjson"].contains(ext) ? ext : "csv"
  }
}

/// Builds RFC 4180 CSV text: fields quoted when they hold a comma, quote, CR, LF or edge spaces.
struct CSVBuilder {
  private(set) var bytes: [UInt8] = []

  /// Writes the rows so far to `writer` and starts empty again.
  mutating func flush(to writer: StagingWriter) throws {
    try bytes.withUnsafeBytes { try writer.write($0) }
    bytes.removeAll(keepingCapacity: true)
  }

  mutating func row(_ fields: [String]) {
    for (i, field) in fields.enumerated() {
      if i > 0 { bytes.append(44) }
      let utf8 = field.utf8
      let needsQuotes = utf8.contains { $0 == 44 || $0 == 34 || $0 == 13 || $0 == 10 }
        || utf8.first == 32 || utf8.last == 32
      if needsQuotes {
        bytes.append(34)
        for byte in utf8 {
          if byte == 34 { bytes.append(34) }
          bytes.append(byte)
        }
        bytes.append(34)
      } else {
        bytes.append(contentsOf: utf8)
      }
    }
    bytes.append(contentsOf: [13, 10])
  }
}
