import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What every API handler group shares: the key check, the write-call limits, paging and JSON bodies.
protocol APIHandlers: Sendable {
  var configuration: ServerConfiguration { get }
  var store: any ServerStore { get }
  var rateLimiter: RateLimiter { get }
}

extension APIHandlers {
  var clock: any ServerClock { configuration.clock }

  /// The key of an `Authorization: Bearer od_live_…` header and its organization (401 otherwise).
  func authenticate(_ request: Request) throws -> (APIKeyRecord, Organization) {
    guard let header = request.headers[.authorization], !header.isEmpty else { throw APIError.unauthorized("Missing API key") }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
      throw APIError.unauthorized("Malformed Authorization header; use Bearer <API key>")
    }
    guard let found = try store.authenticate(keyHash: APIKeys.hash(String(parts[1]).trimmingCharacters(in: .whitespaces))) else {
      throw APIError.unauthorized("Invalid or revoked API key")
    }
    return found
  }

  /// A write call: counts against the rate limits (429) and, unless `subscription` is false, needs an
  /// active subscription (403).
  func checkWrite(key: APIKeyRecord, organization: Organization, subscription: Bool = true) throws {
    if let refusal = rateLimiter.record(key: key.id, organization: organization.id, now: clock.now()) {
      throw APIError.rateLimited(refusal)
    }
    if subscription && !organization.hasSubscription { throw APIError.noSubscription }
  }

  /// `limit` (1–100, default 50) and `cursor` of a list request (400 when malformed).
  func page(_ request: Request) throws -> (limit: Int, cursor: UploadCursor?) {
    let query = request.uri.queryParameters
    var limit = 50
    if let text = query["limit"] {
      guard let value = Int(text), (1...100).contains(value) else {
        throw APIError(.badRequest, "limit must be an integer from 1 to 100")
      }
      limit = value
    }
    var cursor: UploadCursor?
    if let token = query["cursor"], !token.isEmpty {
      guard let parsed = UploadCursor(token: String(token)) else { throw APIError(.badRequest, "Invalid cursor") }
      cursor = parsed
    }
    return (limit, cursor)
  }

  /// A JSON object body (400 when it is not one).
  func jsonObject(_ request: Request, limit: Int = 1 << 20) async throws -> [String: Any] {
    guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json") else {
      throw APIError(.unsupportedMediaType, "Content-Type must be application/json")
    }
    let buffer: ByteBuffer
    do { buffer = try await request.body.collect(upTo: limit) } catch { throw APIError(.contentTooLarge, "The request body is too large") }
    guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
      throw APIError(.badRequest, "Malformed JSON")
    }
    return object
  }

  func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes())))
  }

  /// Runs store work (GRDB calls block on SQLite) and other short blocking calls on the store's
  /// threads, never on the cooperative pool every request shares.
  func onStore<T>(_ work: @escaping () throws -> T) async throws -> T {
    try await BlockingThreads.store.run(work)
  }

  /// Runs blocking engine work on a thread of its own, off the server's event loops and task pool.
  func onThread<T>(_ work: @escaping () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
  }
}
