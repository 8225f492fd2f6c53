import Crypto
import DialReadyEngine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The request context of every route.
public typealias ServerContext = BasicRequestContext

/// The Uploads API of `../shared/reference/000_…`: create, list, retrieve, cancel, errors, downloads,
/// and the signed file URLs the downloads point at. Handlers only translate HTTP to ``UploadIntake``,
/// the store and the file store.
struct UploadsAPI: APIHandlers {
  let configuration: ServerConfiguration
  let store: any ServerStore
  let files: FileStore
  let signer: URLSigner
  let rateLimiter: RateLimiter
  let pool: JobWorkerPool
  /// Bounds the uploads parsed and validated at once (each holds its body and runs the engine).
  let intakeSlots: AsyncSlots
  /// Woken when a change queued events.
  let events: WebhookDispatcher
  let logger: Logger

  func register(on router: Router<ServerContext>) {
    router.get("/healthz") { _, _ in try await onStore { try health() } }
    let uploads = router.group("/api/v1/uploads")
    uploads.post { request, context in try await create(request, context) }
    uploads.get { request, _ in try await onStore { try list(request) } }
    uploads.get(":id") { request, context in try await onStore { try retrieve(request, context) } }
    uploads.delete(":id") { request, context in try await onStore { try cancel(request, context) } }
    uploads.get(":id/errors") { request, context in try await onStore { try errors(request, context) } }
    uploads.get(":id/download/:kind") { request, context in try await onStore { try download(request, context) } }
    router.get("/files/:id/:kind") { request, context in try await serveFile(request, context) }
  }

  // MARK: Handlers

  func health() throws -> Response {
    do { try store.checkHealth() } catch {
      throw APIError(.serviceUnavailable, "The store cannot be read")
    }
    let pending = (try? store.pendingJobCount()) ?? 0
    return json(.ordered([("status", .string("ok")), ("queued_jobs", .int(pending)), ("workers", .int(configuration.workers))]))
  }

  func create(_ request: Request, _ context: ServerContext) async throws -> Response {
    let (key, organization) = try await onStore {
      let (key, organization) = try authenticate(request)
      try checkWrite(key: key, organization: organization)
      return (key, organization)
    }
    let contentType = request.headers[.contentType] ?? ""
    let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    guard mediaType == "multipart/form-data" || mediaType == "application/json" else {
      throw APIError(.unsupportedMediaType, "Content-Type must be multipart/form-data or application/json")
    }
    let limit = configuration.maximumBodyBytes + 1024 * 1024
    let tooLarge = APIError(
      .contentTooLarge, "The request exceeds \(configuration.maximumBodyBytes / (1024 * 1024)) MB; split the list into smaller uploads")
    // Refused before reading when the client says how much it sends.
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
    // The body goes to disk as it arrives, never whole into memory: a form's file part straight to its
    // staged file (fields kept as text), a JSON body to a spool file. Sizes are checked as it comes.
    let files = self.files
    var form: StreamingForm.Result?
    var spool: FileStore.StagedFile?
    if mediaType == "multipart/form-data" {
      guard let boundary = MultipartForm.boundary(contentType: contentType) else {
        throw APIError(.badRequest, "multipart/form-data without a boundary (or one over 70 characters)")
      }
      let reader = StreamingForm(boundary: boundary, files: files, maximumFileBytes: configuration.maximumBodyBytes)
      do {
        try await Self.stream(request.body, limit: limit, tooLarge: tooLarge) { try reader.feed($0) }
        form = try await BlockingThreads.files.run { try reader.finish() }
      } catch {
        reader.abandon()
        throw Self.bodyRefusal(error, configuration: configuration)
      }
    } else {
      let writer: StagingWriter
      do { writer = try files.startStaging(ext: "json") } catch {
        throw APIError(.serviceUnavailable, "Could not store the request; try again later")
      }
      do {
        try await Self.stream(request.body, limit: limit, tooLarge: tooLarge) { try writer.write($0) }
        spool = try await BlockingThreads.files.run { try writer.finish() }
      } catch {
        writer.abandon()
        throw Self.bodyRefusal(error, configuration: configuration)
      }
    }
    let received = DispatchTime.now().uptimeNanoseconds
    let intake = UploadIntake(configuration: configuration, files: files)
    // Parsing and the engine's validation run on a thread of their own, a bounded number at once.
    let (submission, validated, parsed) = try await intakeSlots.run {
      try await onThread { () throws -> (UploadIntake.Submission, UploadIntake.Validated, UInt64) in
        let submission: UploadIntake.Submission
        if let spool {
          defer { files.discard(spool) }
          submission = try intake.json(spool: spool)
        } else {
          do { submission = try intake.multipart(form!) } catch {
            form?.file.map(files.discard)
            throw error
          }
        }
        let parsed = DispatchTime.now().uptimeNanoseconds
        return (submission, try intake.validate(submission), parsed)
      }
    }
    let checked = DispatchTime.now().uptimeNanoseconds
    defer { try? FileManager.default.removeItem(atPath: validated.work) }
    // Into the store: the original and the validation's manifest and rejects (content-addressed, and
    // held until the upload that refers to them is recorded, or refused).
    let store = self.store
    let held = HeldFiles()
    func letGo(removing: Bool) async {
      let paths = held.paths
      _ = try? await onStore {
        for path in paths {
          if removing { files.releaseRemovingIfUnused(path, isReferenced: store.isFileReferenced) } else { files.release(path) }
        }
      }
    }
    let original: FileStore.StoredFile
    let manifestFile: FileStore.StoredFile
    let rejectsFile: FileStore.StoredFile
    do {
      (original, rejectsFile, manifestFile) = try await onStore {
        let original = try files.commit(validated.original)
        held.append(original.storagePath)
        let rejects = try files.adopt(validated.work + "/rejects.csv", sha256: validated.rejectsSHA256, ext: "csv")
        held.append(rejects.storagePath)
        let manifest = try files.adopt(validated.work + "/manifest.json", ext: "json")
        held.append(manifest.storagePath)
        return (original, rejects, manifest)
      }
    } catch {
      files.discard(validated.original)
      await letGo(removing: true)
      logger.error("cannot store an upload's files", metadata: ["error": "\(error)"])
      throw APIError(.serviceUnavailable, "Could not store the file; try again later")
    }
    let now = Timestamp.string(clock.now())
    let upload = UploadRecord(
      id: UUID().uuidString.lowercased(), userId: key.userId, organizationId: organization.id,
      originalFilename: submission.originalFilename, storagePath: original.storagePath,
      fileSizeBytes: original.size, status: .readyForProcessing, validRowCount: validated.validRows,
      invalidRowCount: validated.invalidRows, creditsRequired: validated.validRows, creditsCharged: nil,
      creditsRefunded: nil, source: "api", apiKeyId: key.id, skipMobileLookup: submission.skipMobileLookup,
      processedStoragePath: nil, processedFilteredStoragePath: nil, errorMessage: nil, createdAt: now, updatedAt: now,
      phoneColumn: submission.phoneColumn, options: submission.options,
      manifestStoragePath: manifestFile.storagePath, rejectsStoragePath: rejectsFile.storagePath)
    let created: UploadRecord
    do {
      created = try await onStore { try store.createUpload(upload) }
      await letGo(removing: false)
    } catch {
      // Refused: each file goes unless another upload refers to it or another request holds it.
      await letGo(removing: true)
      if case StoreError.insufficientCredits(let balance, let required) = error {
        throw APIError(HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), "Insufficient credits: \(required) required, \(balance) available")
      }
      throw error
    }
    pool.wake()
    events.wake()
    logger.info(
      "upload created",
      metadata: [
        "upload_id": "\(created.id)", "organization_id": "\(organization.id)", "valid": "\(validated.validRows)",
        "invalid": "\(validated.invalidRows)", "parse_ms": "\((parsed - received) / 1_000_000)",
        "validate_ms": "\((checked - parsed) / 1_000_000)",
        "total_ms": "\((DispatchTime.now().uptimeNanoseconds - received) / 1_000_000)",
      ])
    return json(created.json)
  }

  func list(_ request: Request) throws -> Response {
    let (_, organization) = try authenticate(request)
    let (limit, cursor) = try page(request)
    let found = try store.listUploads(organizationId: organization.id, limit: limit, after: cursor)
    return json(.ordered([("data", .array(found.uploads.map(\.json))), ("next_cursor", .optional(found.next?.token))]))
  }

  func retrieve(_ request: Request, _ context: ServerContext) throws -> Response {
    let (_, organization) = try authenticate(request)
    return json(try upload(context, organization).json)
  }

  func cancel(_ request: Request, _ context: ServerContext) throws -> Response {
    let (key, organization) = try authenticate(request)
    try checkWrite(key: key, organization: organization)
    let id = try context.parameters.require("id")
    guard let (upload, refunded) = try store.cancelUpload(id: id, organizationId: organization.id, at: clock.now()) else {
      throw APIError.notFound
    }
    if refunded > 0 || upload.status == .cancelled { events.wake() }
    return json(.ordered([("status", .string(upload.status.rawValue)), ("credits_refunded", .int(refunded))]))
  }

  /// The latest engine run's rejected rows grouped by reason, each with every row number (rows are
  /// spreadsheet rows, the header being row 1), as the other reference upload API reports them.
  func errors(_ request: Request, _ context: ServerContext) throws -> Response {
    let (_, organization) = try authenticate(request)
    let upload = try upload(context, organization)
    var groups: [(reason: String, rows: [Int])] = []
    var index: [String: Int] = [:]
    if let rejects = upload.rejectsStoragePath, let data = FileManager.default.contents(atPath: files.path(of: rejects)) {
      for (row, reason) in RejectsFile.entries(Array(data)) {
        // `duplicate_of_row_N` names the first occurrence; the group is every duplicate.
        let group = reason.hasPrefix("duplicate_of_row_") ? "duplicate" : reason
        if let i = index[group] { groups[i].rows.append(row) } else {
          index[group] = groups.count
          groups.append((group, [row]))
        }
      }
    }
    let body: JSONValue = .ordered([
      ("upload_id", .string(upload.id)), ("status", .string(upload.status.rawValue)),
      ("invalid_row_count", .optional(upload.invalidRowCount)),
      ("errors", .array(groups.map { .ordered([("reason", .string($0.reason)), ("count", .int($0.rows.count)), ("rows", .array($0.rows.map(JSONValue.int)))]) })),
    ])
    return json(body)
  }

  func download(_ request: Request, _ context: ServerContext) throws -> Response {
    let (_, organization) = try authenticate(request)
    let upload = try upload(context, organization)
    let kind = try context.parameters.require("kind")
    guard Self.storagePath(of: upload, kind: kind) != nil else {
      throw APIError(.notFound, kind == "original" || kind == "processed" || kind == "processed-filtered" ? "The file is not ready yet" : "Not found")
    }
    let path = "/files/\(upload.id)/\(kind)"
    let signed = signer.sign(path: path, now: clock.now())
    let base = configuration.publicURL ?? "http://\(request.head.authority ?? "\(configuration.host):\(configuration.port)")"
    return json(.ordered([("download_url", .string("\(base)\(path)?\(signed.query)")), ("expires_at", .double(signed.expiresAt))]))
  }

  func serveFile(_ request: Request, _ context: ServerContext) async throws -> Response {
    let id = try context.parameters.require("id")
    let kind = try context.parameters.require("kind")
    let query = request.uri.queryParameters
    guard
      signer.verify(
        path: "/files/\(id)/\(kind)", expires: query["expires"].map(String.init), signature: query["signature"].map(String.init),
        now: clock.now())
    else { throw APIError(.forbidden, "The download URL has expired or is not valid; ask the download endpoint for a new one") }
    let store = self.store
    guard let upload = try await onStore({ try store.upload(id: id) }), let storagePath = Self.storagePath(of: upload, kind: kind) else {
      throw APIError.notFound
    }
    let body = try await Hummingbird.FileIO().loadFile(path: files.path(of: storagePath), context: context)
    let name = kind == "original" ? upload.originalFilename : "\(kind).csv"
    var headers: HTTPFields = [.contentType: kind == "original" ? "application/octet-stream" : "text/csv; charset=utf-8"]
    headers[.contentDisposition] = "attachment; filename=\"\(name.replacingOccurrences(of: "\"", with: ""))\""
    return Response(status: .ok, headers: headers, body: body)
  }

  // MARK: Helpers

  /// A body refused while it was read, as the response that says why.
  /// Hands the request body to `sink` chunk by chunk on the file threads (off the cooperative pool),
  /// refusing it with `tooLarge` the moment it passes `limit` bytes.
  static func stream(
    _ body: RequestBody, limit: Int, tooLarge: APIError, into sink: @escaping (UnsafeRawBufferPointer) throws -> Void
  ) async throws {
    var total = 0
    for try await chunk in body {
      total += chunk.readableBytes
      if total > limit { throw tooLarge }
      try await BlockingThreads.files.run { try chunk.withUnsafeReadableBytes { try sink($0) } }
    }
  }

  static func bodyRefusal(_ error: any Error, configuration: ServerConfiguration) -> any Error {
    switch error {
    case let error as APIError: return error
    case StreamingForm.Refusal.fileTooLarge:
      return APIError(
        .contentTooLarge, "File exceeds \(configuration.maximumBodyBytes / (1024 * 1024)) MB; split it into smaller uploads")
    case StreamingForm.Refusal.fieldTooLarge(let name):
      return APIError(
        .contentTooLarge, "Field '\(name.unicodeScalars.prefix(64).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined())' exceeds \(StreamingForm.maximumFieldBytes / 1024) KiB; only the file part may be large")
    case StreamingForm.Refusal.tooManyParts:
      return APIError(.contentTooLarge, "The form has more than \(StreamingForm.maximumParts) parts; send the file and its settings only")
    case StreamingForm.Refusal.malformed(let reason): return APIError(.badRequest, "Malformed multipart body: \(reason)")
    case is FileStoreError: return APIError(.serviceUnavailable, "Could not store the request; try again later")
    default: return error
    }
  }

  static func storagePath(of upload: UploadRecord, kind: String) -> String? {
    switch kind {
    case "original": return upload.storagePath
    case "processed": return upload.status == .completed ? upload.processedStoragePath : nil
    case "processed-filtered": return upload.status == .completed ? upload.processedFilteredStoragePath : nil
    default: return nil
    }
  }

  func upload(_ context: ServerContext, _ organization: Organization) throws -> UploadRecord {
    let id = try context.parameters.require("id")
    guard let upload = try store.upload(id: id, organizationId: organization.id) else { throw APIError.notFound }
    return upload
  }
}

/// The stored files a request holds, in the order it took them.
final class HeldFiles: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [String] = []

  var paths: [String] { lock.withLock { list } }

  func append(_ path: String) { lock.withLock { list.append(path) } }
}

/// API keys: `od_live_` and 32 random bytes in hex, shown once; the store keeps their SHA-256.
public enum APIKeys {
  /// A new key.
  public static func generate() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return "od_live_" + Hex.string(bytes)
  }

  /// The SHA-256 (hex) a key is stored and looked up by.
  public static func hash(_ key: String) -> String {
    Hex.string(SHA256.hash(data: Data(key.utf8)))
  }

  /// The prefix listings show (`od_live_` and 8 hex digits).
  public static func prefix(_ key: String) -> String { String(key.prefix(16)) }
}

/// Reads the engine's `rejects.csv` (`row,phone,reason`, RFC 4180 quoting): each rejected row's number
/// and reason.
enum RejectsFile {
  static func entries(_ bytes: [UInt8]) -> [(Int, String)] {
    var result: [(Int, String)] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var i = 0
    var header = true
    func endRecord() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      if !header, fields.count >= 3, let row = Int(fields[0]) { result.append((row, fields[fields.count - 1])) }
      header = false
      fields.removeAll(keepingCapacity: true)
    }
    while i < bytes.count {
      let byte = bytes[i]
      if quoted {
        if byte == 34 {
          if i + 1 < bytes.count, bytes[i + 1] == 34 { field.append(34); i += 1 } else { quoted = false }
        } else {
          field.append(byte)
        }
      } else if byte == 34 {
        quoted = true
      } else if byte == 44 {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
      } else if byte == 10 || byte == 13 {
        if byte == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
        endRecord()
      } else {
        field.append(byte)
      }
      i += 1
    }
    if !field.isEmpty || !fields.isEmpty { endRecord() }
    return result
  }
}
