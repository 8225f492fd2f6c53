@testable import DialReadyServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A real server on an ephemeral loopback port over a fresh data directory, with a clock the test moves.
final class ServerHarness: @unchecked Sendable {
  let directory: String
  let clock: ManualClock
  var configuration: ServerConfiguration
  var store: any ServerStore
  /// Where the server logs; by default nowhere (critical only).
  var logger: Logger?

  /// 2026-11-25T17:00:30Z, half a minute into a rate-limit window.
  static let start = Date(timeIntervalSince1970: 1_795_626_030)

  init(workers: Int = 0, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
    directory = NSTemporaryDirectory() + "dialready-server-\(UUID().uuidString)"
    clock = ManualClock(Self.start)
    configuration = ServerConfiguration(dataDirectory: directory)
    configuration.port = 0
    configuration.workers = workers
    configuration.threadsPerJob = 2
    configuration.clock = clock
    configuration.pollInterval = 0.05
    // The test receivers listen on loopback.
    configuration.allowPrivateWebhookHosts = true
    configure(&configuration)
    store = try APIServer.openStore(dataDirectory: directory)
  }

  /// Creates an organization and a key; returns the organization and the key's secret.
  func organization(_ name: String, credits: Int = 100_000, subscription: Bool = true) throws -> (Organization, String) {
    let org = try store.createOrganization(name: name, credits: credits, subscription: subscription, at: clock.now())
    let key = APIKeys.generate()
    _ = try store.createAPIKey(organizationId: org.id, keyHash: APIKeys.hash(key), prefix: APIKeys.prefix(key), at: clock.now())
    return (org, key)
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  /// Runs `body` against the live server (the data directory goes when the harness does).
  func run<T>(_ body: @Sendable (Client) async throws -> T) async throws -> T {
    var quiet = Logger(label: "test")
    quiet.logLevel = .critical
    let server = try APIServer(configuration: configuration, store: store, logger: logger ?? quiet)
    return try await server.application.test(.live) { client in try await body(Client(client: client)) }
  }

  /// A thin client: JSON and multipart requests with a bearer key.
  struct Client: Sendable {
    let client: any TestClientProtocol
    /// A connection of its own (``onOwnConnection(_:)``), used instead of `client` when set.
    var connection: TestClient?

    init(client: any TestClientProtocol, connection: TestClient? = nil) {
      self.client = client
      self.connection = connection
    }

    func request(
      _ method: HTTPRequest.Method, _ uri: String, key: String?, contentType: String? = nil, body: [UInt8]? = nil
    ) async throws -> Reply {
      var headers: HTTPFields = [:]
      if let key { headers[.authorization] = "Bearer \(key)" }
      if let contentType { headers[.contentType] = contentType }
      if let connection {
        headers[.connection] = "keep-alive"
        let response = try await connection.execute(
          TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body.map { ByteBuffer(bytes: $0) }))
        return Reply(status: response.status.code, headers: response.headers, body: Array((response.body ?? ByteBuffer()).readableBytesView))
      }
      let response = try await client.executeRequest(
        uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
      return Reply(status: response.status.code, headers: response.headers, body: Array(response.body.readableBytesView))
    }

    /// Runs `body` with a client on a connection of its own (one connection answers one request at a
    /// time), for requests that must be in flight together.
    func onOwnConnection<T: Sendable>(_ body: @escaping @Sendable (Client) async throws -> T) async throws -> T {
      let port = try #require(client.port)
      return try await TestClient.withClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(60))) { connection in
        try await body(Client(client: client, connection: connection))
      }
    }

    func postJSON(_ object: Any, key: String?) async throws -> Reply {
      try await request(.post, "/api/v1/uploads", key: key, contentType: "application/json", body: Array(try JSONSerialization.data(withJSONObject: object)))
    }

    func postFile(_ bytes: [UInt8], filename: String, fields: [String: String], key: String?) async throws -> Reply {
      let boundary = "----dialready-test-boundary"
      var body: [UInt8] = []
      func add(_ text: String) { body.append(contentsOf: Array(text.utf8)) }
      for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
      }
      add("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n")
      body.append(contentsOf: bytes)
      add("\r\n--\(boundary)--\r\n")
      return try await request(.post, "/api/v1/uploads", key: key, contentType: "multipart/form-data; boundary=\(boundary)", body: body)
    }
  }

  /// A response.
  struct Reply: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: [UInt8]

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// `detail` when it is a string.
    var detail: String? { json["detail"] as? String }
    /// `detail` when it is an object.
    var detailObject: [String: Any]? { json["detail"] as? [String: Any] }
  }

  /// `count` distinct valid New York numbers, `(212) 368-2000` onwards.
  static func numbers(_ count: Int, from first: Int = 2000) -> [String] {
    (0..<count).map { String(format: "(212) 368-%04d", (first + $0) % 10_000) }
  }

  /// A CSV with id, name and phone columns.
  static func csv(_ numbers: [String]) -> [UInt8] {
    var text = "id,name,phone\n"
    for (i, number) in numbers.enumerated() { text += "\(i + 1),Lead \(i + 1),\"\(number)\"\n" }
    return Array(text.utf8)
  }
}

/// Polls until `condition` holds (or `seconds` pass).
func eventually(_ seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if try await condition() { return true }
    try await Task.sleep(nanoseconds: 20_000_000)
  }
  return try await condition()
}

/// Keeps every log record (message and metadata) a logger sends it, at every level.
final class LogCapture: LogHandler, @unchecked Sendable {
  private let lock = NSLock()
  private var records: [String] = []
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  /// A logger that writes here.
  var logger: Logger { Logger(label: "capture") { _ in self } }

  /// Each record as one line: the message, then the metadata.
  var lines: [String] { lock.withLock { records } }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    let line = "\(event.level) \(event.message) " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    lock.withLock { records.append(line) }
  }
}
