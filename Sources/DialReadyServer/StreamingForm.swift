import Foundation

/// Reads a `multipart/form-data` body (RFC 7578) as it arrives, chunk by chunk: the `file` part goes
/// straight to a staged file in `DIR/tmp/` (so an upload is never held in memory), the other fields
/// are kept as text. Sizes and counts are checked while reading, so an oversized file, field or part
/// header is refused as soon as it crosses its limit, not after the whole body has arrived.
final class StreamingForm {
  /// Why a body is refused.
  enum Refusal: Error, Equatable {
    case malformed(String)
    case fileTooLarge
    case fieldTooLarge(String)
    case tooManyParts
  }

  /// What the body held.
  struct Result {
    /// The first `file` part's file name (as sent) and its staged bytes.
    var filename: String?
    var file: FileStore.StagedFile?
    /// The other fields' text (the first of each name).
    var fields: [String: String]
  }

  /// Limits: the file's bytes, each field's bytes, each part's headers, the parts.
  static let maximumFieldBytes = 64 * 1024
  static let maximumHeaderBytes = 16 * 1024
  static let maximumParts = 64

  private enum State { case content, afterDelimiter, headers, done }
  private enum Sink {
    case discard
    case file(StagingWriter)
    case field(String, [UInt8])
  }

  private let delimiter: [UInt8]
  private let files: FileStore
  private let maximumFileBytes: Int
  private var state = State.content
  /// Bytes not yet consumed; starts with CRLF so the first delimiter looks like every other one.
  private var pending: [UInt8] = [13, 10]
  private var sink = Sink.discard
  private var parts = 0
  private var filename: String?
  private var staging: StagingWriter?
  private var fields: [String: String] = [:]

  init(boundary: String, files: FileStore, maximumFileBytes: Int) {
    delimiter = Array("\r\n--\(boundary)".utf8)
    self.files = files
    self.maximumFileBytes = maximumFileBytes
  }

  /// Consumes the next chunk of the body.
  func feed(_ bytes: UnsafeRawBufferPointer) throws {
    guard state != .done else { return }  // the epilogue is ignored
    pending.append(contentsOf: bytes)
    try advance()
  }

  /// The body ended: the form, with the file synced. Throws when the closing boundary never came.
  func finish() throws -> Result {
    guard state == .done else { throw Refusal.malformed("the body ends before the closing boundary") }
    let staged = try staging?.finish()
    staging = nil
    return Result(filename: filename, file: staged, fields: fields)
  }

  /// Removes the staged file, if any (a refused or abandoned body).
  func abandon() {
    staging?.abandon()
    staging = nil
  }

  private func advance() throws {
    while true {
      switch state {
      case .done:
        pending.removeAll()
        return
      case .content:
        if let end = MultipartForm.find(delimiter, in: pending, from: 0) {
          try emit(end)
          pending.removeFirst(delimiter.count)
          try endPart()
          state = .afterDelimiter
        } else {
          // Everything but a tail that could begin a delimiter.
          try emit(max(0, pending.count - (delimiter.count - 1)))
          return
        }
      case .afterDelimiter:
        guard pending.count >= 2 else { return }
        if pending[0] == 45 && pending[1] == 45 {
          state = .done
          continue
        }
        guard let lineEnd = MultipartForm.find([13, 10], in: pending, from: 0) else {
          if pending.count > 256 { throw Refusal.malformed("text after a boundary") }
          return
        }
        // Transport padding (spaces and tabs) may follow a boundary.
        guard pending[0..<lineEnd].allSatisfy({ $0 == 32 || $0 == 9 }) else { throw Refusal.malformed("text after a boundary") }
        pending.removeFirst(lineEnd + 2)
        state = .headers
      case .headers:
        guard let headerEnd = MultipartForm.find([13, 10, 13, 10], in: pending, from: 0) else {
          if pending.count > Self.maximumHeaderBytes { throw Refusal.malformed("a part's headers exceed \(Self.maximumHeaderBytes) bytes") }
          return
        }
        let headers = String(decoding: pending[0..<headerEnd], as: UTF8.self)
        pending.removeFirst(headerEnd + 4)
        try beginPart(headers)
        state = .content
      }
    }
  }

  private func beginPart(_ headers: String) throws {
    parts += 1
    if parts > Self.maximumParts { throw Refusal.tooManyParts }
    guard let disposition = MultipartForm.disposition(headers) else {
      throw Refusal.malformed("a part without Content-Disposition")
    }
    if disposition.name == "file" {
      guard staging == nil else {
        sink = .discard  // only the first file part counts
        return
      }
      let name = disposition.filename?.isEmpty == false ? disposition.filename! : "upload.csv"
      filename = disposition.filename
      let writer = try files.startStaging(ext: UploadIntake.fileExtension(name))
      staging = writer
      sink = .file(writer)
    } else {
      sink = fields[disposition.name] == nil ? .field(disposition.name, []) : .discard
    }
  }

  /// Hands `pending[0..<count]` to the current part and drops it.
  private func emit(_ count: Int) throws {
    guard count > 0 else { return }
    switch sink {
    case .discard: break
    case .file(let writer):
      if writer.size + count > maximumFileBytes { throw Refusal.fileTooLarge }
      try pending.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    case .field(let name, var bytes):
      if bytes.count + count > Self.maximumFieldBytes { throw Refusal.fieldTooLarge(name) }
      bytes.append(contentsOf: pending[0..<count])
      sink = .field(name, bytes)
    }
    pending.removeFirst(count)
  }

  private func endPart() throws {
    if case .field(let name, let bytes) = sink { fields[name] = String(decoding: bytes, as: UTF8.self) }
    sink = .discard
  }
}
