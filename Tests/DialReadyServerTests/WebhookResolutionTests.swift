import Foundation
import Testing

@testable import DialReadyServer

/// Resolvers a test controls: each blocks the calling thread as `getaddrinfo` does.
final class ScriptedResolver: HostResolver, @unchecked Sendable {
  private let lock = NSLock()
  private var answers: [[IPAddress]]
  private(set) var calls = 0
  /// Held until ``release()`` (or 30 s), when the resolver never answers.
  private let hang = DispatchSemaphore(value: 0)
  private let hangs: Bool

  /// Answers `answers` in turn, round and round.
  init(answers: [[String]]) {
    self.answers = answers.map { $0.compactMap(IPAddress.init) }
    hangs = false
  }

  /// Never answers (until released).
  init(hanging: Void) {
    answers = []
    hangs = true
  }

  var callCount: Int { lock.withLock { calls } }

  func addresses(of host: String) throws -> [IPAddress] {
    let answer: [IPAddress] = lock.withLock {
      calls += 1
      return answers.isEmpty ? [] : answers[(calls - 1) % answers.count]
    }
    if hangs { _ = hang.wait(timeout: .now() + 30) }
    return answer
  }

  /// Lets every hanging call return (nothing).
  func release() { for _ in 0..<64 { hang.signal() } }
}

/// Webhook and callback hosts: resolved once, checked, connected to at the address checked; a name
/// that does not resolve is refused; a DNS that never answers holds nothing else up.
@Suite("Webhook host resolution", .serialized)
struct WebhookResolutionTests {
  func register(_ client: ServerHarness.Client, key: String, url: String) async throws -> ServerHarness.Reply {
    try await client.request(
      .post, "/api/v1/webhooks", key: key, contentType: "application/json",
      body: Array(try JSONSerialization.data(withJSONObject: ["url": url, "events": ["upload.created"], "secret": "s"])))
  }

  /// A name that answers an allowed address to the check and an internal one afterwards (DNS
  /// rebinding, TTL 0) never gets a request to the internal address. Here 127.0.0.1 plays the internal
  /// service and 127.0.0.2 the public receiver; the system resolver would answer 127.0.0.1 for `localhost`.
  @Test func aNameThatRebindsToAnInternalAddressNeverReachesIt() async throws {
    let internalService = Receiver()
    try await internalService.start()
    defer { internalService.stop() }
    let publicReceiver = Receiver(address: "127.0.0.2", port: internalService.port)
    try await publicReceiver.start()
    defer { publicReceiver.stop() }
    let resolver = ScriptedResolver(answers: [["127.0.0.2"], ["127.0.0.1"]])
    let harness = try ServerHarness(workers: 0) {
      $0.allowPrivateWebhookHosts = false
      $0.isForbiddenWebhookAddress = { $0 == IPAddress("127.0.0.1") }
      $0.webhookResolver = resolver
      $0.webhookBackoff = 0.02
      $0.webhookTimeout = 3
    }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let url = "http://localhost:\(internalService.port)/hook"
      let hook = try await register(client, key: key, url: url)
      #expect(hook.status == 200, "\(hook.text)")
      // Resolved once for the check and the ping; the ping went to the address checked, by name.
      #expect(resolver.callCount == 1)
      #expect(publicReceiver.deliveries.map(\.event) == ["ping"])
      #expect(publicReceiver.deliveries.first?.host == "localhost:\(internalService.port)")
      let hookId = try #require(hook.json["id"] as? String)
      _ = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      // The first attempt resolves to the internal address and is refused; the next goes to the public one.
      #expect(try await publicReceiver.wait { $0.contains { $0.event == "upload.created" } })
      let attempts = try await client.request(.get, "/api/v1/webhooks/\(hookId)/deliveries", key: key).json["data"] as? [[String: Any]]
      let first = try #require(attempts?.last)
      #expect(first["status_code"] is NSNull)
      #expect((first["error"] as? String)?.contains("special-purpose") == true, "\(first)")
    }
    #expect(internalService.deliveries.isEmpty)
  }

  @Test func aNameThatDoesNotResolveIsRefused() async throws {
    let harness = try ServerHarness(workers: 0) {
      $0.allowPrivateWebhookHosts = false
      $0.webhookResolver = ScriptedResolver(answers: [[]])
    }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let hook = try await register(client, key: key, url: "https://hooks.invalid/x")
      #expect(hook.status == 400)
      #expect(hook.detail?.contains("does not resolve") == true, "\(hook.text)")
      let contact = try await client.request(
        .post, "/api/v1/contacts", key: key, contentType: "application/json",
        body: Array(#"{"phone":"2123682049","callback_url":"https://hooks.invalid/cb"}"#.utf8))
      #expect(contact.status == 400)
      #expect(contact.detail?.contains("does not resolve") == true, "\(contact.text)")
    }
  }

  /// While 8 registrations and callbacks wait on a DNS server that never answers, `/healthz` and
  /// `GET /api/v1/uploads/{id}` answer as fast as before; the waiting ones are refused at the timeout.
  @Test func aDNSThatNeverAnswersStallsNothingElse() async throws {
    let resolver = ScriptedResolver(hanging: ())
    defer { resolver.release() }
    let harness = try ServerHarness(workers: 0) {
      $0.allowPrivateWebhookHosts = false
      $0.webhookResolver = resolver
      $0.webhookResolveTimeout = 3
    }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let upload = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      let id = try #require(upload.json["id"] as? String)
      func slowest() async throws -> Double {
        var worst = 0.0
        for _ in 0..<5 {
          for uri in ["/healthz", "/api/v1/uploads/\(id)"] {
            let started = Date()
            #expect(try await client.request(.get, uri, key: key).status == 200)
            worst = max(worst, Date().timeIntervalSince(started))
          }
        }
        return worst
      }
      let before = try await slowest()
      let started = Date()
      let pending = Task {
        try await withThrowingTaskGroup(of: ServerHarness.Reply.self) { group in
          for i in 0..<8 {
            group.addTask {
              try await client.onOwnConnection { connection in
                if i % 4 == 3 {
                  return try await connection.request(
                    .post, "/api/v1/contacts", key: key, contentType: "application/json",
                    body: Array("{\"phone\":\"2123682049\",\"callback_url\":\"https://never\(i).example/cb\"}".utf8))
                }
                return try await register(connection, key: key, url: "https://never\(i).example/hook")
              }
            }
          }
          return try await group.reduce(into: [ServerHarness.Reply]()) { $0.append($1) }
        }
      }
      #expect(try await eventually(5) { resolver.callCount >= 8 })
      let during = try await slowest()
      let stillPending = Date().timeIntervalSince(started) < 3
      let replies = try await pending.value
      #expect(stillPending, "the registrations were no longer pending when measured")
      #expect(during < max(0.5, before * 20), "slowest request \(during) s while resolving, \(before) s before")
      #expect(replies.count == 8)
      for reply in replies {
        #expect(reply.status == 400)
        #expect(reply.detail?.contains("did not resolve within 3 s") == true, "\(reply.text)")
      }
    }
  }
}
