import Foundation
import HTTPTypes

/// An error response in the reference envelope: `{"detail": "text"}` or `{"detail": {…}}`.
public struct APIError: Error, Sendable {
  /// The HTTP status.
  public var status: HTTPResponse.Status
  /// The `detail` value: a string or an object.
  public var detail: Detail
  /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
  public var headers: HTTPFields = [:]

  /// A `detail` value.
  public enum Detail: Sendable {
    case text(String)
    case object([String: JSONValue])
  }

  public init(_ status: HTTPResponse.Status, _ text: String) {
    self.status = status
    detail = .text(text)
  }

  public init(_ status: HTTPResponse.Status, object: [String: JSONValue]) {
    self.status = status
    detail = .object(object)
  }

  /// The `detail` text (an object's `message`, or its JSON).
  public var message: String {
    switch detail {
    case .text(let text): return text
    case .object(let object):
      if case .string(let text)? = object["message"] { return text }
      return String(decoding: JSONValue.object(object).bytes(), as: UTF8.self)
    }
  }

  /// The body bytes.
  public var body: Data {
    let value: JSONValue
    switch detail {
    case .text(let text): value = .string(text)
    case .object(let object): value = .object(object)
    }
    return JSONValue.object(["detail": value]).encoded()
  }

  // MARK: The reference's errors

  static func unauthorized(_ text: String) -> APIError {
    var error = APIError(.unauthorized, text)
    error.headers[.wwwAuthenticate] = "Bearer"
    return error
  }

  static let noSubscription = APIError(.forbidden, "Organization has no active subscription")
  static let notFound = APIError(.notFound, "Not found")

  static func minContactsRequired(minimum: Int, got: Int) -> APIError {
    APIError(
      .unprocessableContent,
      object: [
        "error": .string("min_contacts_required"), "min": .int(minimum), "got": .int(got),
        "message": .string("At least \(minimum) valid phone numbers are required per upload."),
      ])
  }

  static func rateLimited(_ refusal: RateLimiter.Refusal) -> APIError {
    var error = APIError(
      .tooManyRequests,
      object: [
        "error": .string("rate_limit_exceeded"), "limit": .int(refusal.limit), "observed": .int(refusal.observed),
        "retry_after_seconds": .int(refusal.retryAfterSeconds),
      ])
    error.headers[.retryAfter] = String(refusal.retryAfterSeconds)
    return error
  }
}

/// A JSON value with ordered object keys, for responses whose field order and `null`s matter.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])
  /// An object whose keys keep their order.
  case ordered([(String, JSONValue)])
  /// JSON text written as it is (stored, already valid JSON).
  case raw(String)

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.encoded() == b.encoded() }

  /// `value` or `null`.
  static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
  static func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
  static func optional(_ value: Bool?) -> JSONValue { value.map(JSONValue.bool) ?? .null }

  /// Compact JSON text.
  public func encoded() -> Data { Data(bytes()) }

  /// Compact JSON text as UTF-8 bytes.
  public func bytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(512)
    write(to: &out)
    return out
  }

  func write(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .int(let i): out.append(contentsOf: String(i).utf8)
    case .double(let d): out.append(contentsOf: (d.isFinite ? "\(d)" : "null").utf8)
    case .string(let s): Self.writeString(s, to: &out)
    case .raw(let text): out.append(contentsOf: text.utf8)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        item.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      JSONValue.ordered(object.sorted { $0.key < $1.key }).write(to: &out)
    case .ordered(let pairs):
      out.append(UInt8(ascii: "{"))
      for (i, (key, value)) in pairs.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        Self.writeString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        value.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// A JSON string: quotes, backslashes and control characters escaped; other bytes as they are.
  static func writeString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
      case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
      case 10: out.append(contentsOf: [92, 110])
      case 13: out.append(contentsOf: [92, 114])
      case 9: out.append(contentsOf: [92, 116])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

extension UploadRecord {
  /// The reference's Upload object, every field in its documented order, `null` where not set.
  public var json: JSONValue {
    .ordered([
      ("id", .string(id)), ("user_id", .string(userId)), ("organization_id", .string(organizationId)),
      ("original_filename", .string(originalFilename)), ("storage_path", .string(storagePath)),
      ("file_size_bytes", .optional(fileSizeBytes)), ("status", .string(status.rawValue)),
      ("valid_row_count", .optional(validRowCount)), ("invalid_row_count", .optional(invalidRowCount)),
      ("credits_required", .optional(creditsRequired)), ("credits_charged", .optional(creditsCharged)),
      ("credits_refunded", .optional(creditsRefunded)), ("source", .string(source)),
      ("api_key_id", .optional(apiKeyId)), ("skip_mobile_lookup", .optional(skipMobileLookup)),
      ("processed_storage_path", .optional(processedStoragePath)),
      ("processed_filtered_storage_path", .optional(processedFilteredStoragePath)),
      ("error_message", .optional(errorMessage)), ("created_at", .string(createdAt)), ("updated_at", .string(updatedAt)),
    ])
  }
}
