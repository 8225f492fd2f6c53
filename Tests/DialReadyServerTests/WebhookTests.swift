import Foundation
import Testing

@testable import DialReadyServer

/// Webhooks against a real receiver on loopback: signed pings, signed deliveries, retries with backoff,
/// durability across a restart.
@Suite("Webhooks", .serialized)
struct WebhookTests {
  static let secret = "whsec_test_secret"

  func register(_ client: ServerHarness.Client, key: String, url: String, events: [String]) async throws -> ServerHarness.Reply {
    try await client.request(
      .post, "/api/v1/webhooks", key: key, contentType: "application/json",
      body: Array(try JSONSerialization.data(withJSONObject: ["url": url, "events": events, "secret": Self.secret])))
  }

  @Test func deliveriesAreSignedAndCarryTheFullResource() async throws {
    let receiver = Receiver()
    try await receiver.start()
    defer { receiver.stop() }
    let harness = try ServerHarness(workers: 1) { $0.webhookBackoff = 0.05 }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let hook = try await register(client, key: key, url: receiver.url, events: ["upload.created", "upload.processing", "upload.completed"])
      #expect(hook.status == 200, "\(hook.text)")
      #expect(hook.json["secret"] == nil)
      #expect(receiver.deliveries.first?.event == "ping")
      let upload = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      let id = try #require(upload.json["id"] as? String)
      #expect(try await receiver.wait { $0.contains { $0.event == "upload.completed" } })
      let events = receiver.deliveries.filter { $0.event != "ping" }
      #expect(Set(events.map(\.event)) == ["upload.created", "upload.processing", "upload.completed"])
      let now = Int(Date().timeIntervalSince1970)
      for delivery in receiver.deliveries {
        let signature = try #require(delivery.signature)
        #expect(EventSignature.verify(header: signature, body: delivery.body, secret: Self.secret, now: now))
        #expect(!EventSignature.verify(header: signature, body: delivery.body + " ", secret: Self.secret, now: now))
        #expect(!EventSignature.verify(header: signature, body: delivery.body, secret: "other", now: now))
        #expect(!EventSignature.verify(header: signature, body: delivery.body, secret: Self.secret, now: now + 301))
      }
      let completed = try #require(events.first { $0.event == "upload.completed" })
      let payload = try #require(try JSONSerialization.jsonObject(with: Data(completed.body.utf8)) as? [String: Any])
      #expect(payload["type"] as? String == "upload.completed")
      let data = try #require(payload["data"] as? [String: Any])
      #expect(data["id"] as? String == id)
      #expect(data["status"] as? String == "completed")
      #expect(data["processed_storage_path"] is String)
    }
  }

  @Test func aReceiverThatFailsFiveTimesGetsTheEventOnTheSixthAttempt() async throws {
    let receiver = Receiver { event, count in event == "upload.created" && count <= 5 ? 500 : 200 }
    try await receiver.start()
    defer { receiver.stop() }
    let harness = try ServerHarness(workers: 0) { $0.webhookBackoff = 0.02 }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let hook = try await register(client, key: key, url: receiver.url, events: ["upload.created"])
      let hookId = try #require(hook.json["id"] as? String)
      _ = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      #expect(try await receiver.wait { $0.filter { $0.event == "upload.created" }.count == 6 })
      let created = receiver.deliveries.filter { $0.event == "upload.created" }
      // One event, the same body every time; the gaps grow (20 ms, 40 ms, … with ±20% jitter).
      #expect(Set(created.map(\.body)).count == 1)
      let gaps = zip(created.dropFirst(), created).map { $0.at.timeIntervalSince($1.at) }
      #expect(gaps.last! > gaps.first!)
      #expect(gaps[4] >= 0.02 * 16 * 0.8 - 0.01)
      #expect(
        try await eventually {
          let list = try await client.request(.get, "/api/v1/webhooks/\(hookId)/deliveries", key: key)
          return (list.json["data"] as? [[String: Any]])?.count == 6
        })
      let list = try await client.request(.get, "/api/v1/webhooks/\(hookId)/deliveries", key: key)
      let attempts = try #require(list.json["data"] as? [[String: Any]])
      #expect(attempts.map { $0["attempt"] as? Int } == [6, 5, 4, 3, 2, 1])
      #expect(attempts.map { $0["status_code"] as? Int } == [200, 500, 500, 500, 500, 500])
      #expect(attempts.allSatisfy { $0["latency_ms"] is Int })
    }
  }

  @Test func aReceiverThatAlwaysFailsGetsExactlySixAttempts() async throws {
    let receiver = Receiver { event, _ in event == "ping" ? 204 : 503 }
    try await receiver.start()
    defer { receiver.stop() }
    let harness = try ServerHarness(workers: 0) { $0.webhookBackoff = 0.01 }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      _ = try await register(client, key: key, url: receiver.url, events: ["upload.created"])
      _ = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      #expect(try await receiver.wait { $0.filter { $0.event == "upload.created" }.count == 6 })
      // Well past the seventh attempt's time (0.01 × 2^6 s): nothing more comes.
      try await Task.sleep(nanoseconds: 1_500_000_000)
      #expect(receiver.deliveries.filter { $0.event == "upload.created" }.count == 6)
    }
  }

  @Test func pingFailuresAndUnknownEventsAre400() async throws {
    let receiver = Receiver { event, _ in event == "ping" ? 500 : 200 }
    try await receiver.start()
    defer { receiver.stop() }
    // The HTTP client retries a refused connection until the request's deadline: keep it short here,
    // yet long enough for a ping to the live receiver on a loaded machine.
    let harness = try ServerHarness { $0.webhookTimeout = 3 }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let refused = try await register(client, key: key, url: receiver.url, events: ["upload.created"])
      #expect(refused.status == 400)
      let detail = try #require(refused.detailObject)
      #expect(detail["error"] as? String == "ping_failed")
      #expect(detail["status_code"] as? Int == 500)
      #expect(detail["underlying_error"] is NSNull)
      // A port nothing listens on: the request never completes.
      let closed = try await register(client, key: key, url: "http://127.0.0.1:9/hook", events: ["upload.created"])
      #expect(closed.status == 400)
      #expect(closed.detailObject?["status_code"] is NSNull)
      #expect(closed.detailObject?["underlying_error"] is String)
      let unknown = try await register(client, key: key, url: receiver.url, events: ["upload.exploded"])
      #expect(unknown.status == 400)
      #expect(unknown.detail?.contains("upload.exploded") == true)
      #expect(try await client.request(.get, "/api/v1/webhooks", key: key).json["data"] as? [Any] != nil)
    }
  }

  @Test func crudIsScopedToTheOrganizationAndUrlChangesArePinged() async throws {
    let receiver = Receiver()
    try await receiver.start()
    defer { receiver.stop() }
    let harness = try ServerHarness { $0.webhookTimeout = 3 }
    let (_, key) = try harness.organization("acme")
    let (_, otherKey) = try harness.organization("globex")
    try await harness.run { client in
      let hook = try await register(client, key: key, url: receiver.url, events: ["upload.created"])
      let id = try #require(hook.json["id"] as? String)
      #expect(try await client.request(.get, "/api/v1/webhooks/\(id)", key: otherKey).status == 404)
      #expect(try await client.request(.delete, "/api/v1/webhooks/\(id)", key: otherKey).status == 404)
      let patch = try await client.request(
        .patch, "/api/v1/webhooks/\(id)", key: key, contentType: "application/json",
        body: Array(#"{"url":"http://127.0.0.1:9/x","events":["upload.completed"]}"#.utf8))
      #expect(patch.status == 400)
      #expect(patch.detailObject?["error"] as? String == "ping_failed")
      let events = try await client.request(
        .patch, "/api/v1/webhooks/\(id)", key: key, contentType: "application/json",
        body: Array(#"{"events":["upload.completed","contact.completed"]}"#.utf8))
      #expect(events.json["events"] as? [String] == ["upload.completed", "contact.completed"])
      let pings = receiver.deliveries.filter { $0.event == "ping" }.count
      let moved = try await client.request(
        .patch, "/api/v1/webhooks/\(id)", key: key, contentType: "application/json",
        body: Array("{\"url\":\"\(receiver.url)?v=2\"}".utf8))
      #expect(moved.status == 200)
      #expect(receiver.deliveries.filter { $0.event == "ping" }.count == pings + 1)
      #expect(try await client.request(.delete, "/api/v1/webhooks/\(id)", key: key).status == 200)
      #expect(try await client.request(.get, "/api/v1/webhooks/\(id)", key: key).status == 404)
    }
  }

  @Test func webhookWritesShareTheRateLimits() async throws {
    let harness = try ServerHarness { $0.rateLimitPerKey = 2 }
    let (_, key) = try harness.organization("acme")
    try await harness.run { (client) async throws -> Void in
      for _ in 0..<2 { #expect(try await client.request(.delete, "/api/v1/webhooks/x", key: key).status == 404) }
      #expect(try await client.request(.delete, "/api/v1/webhooks/x", key: key).status == 429)
      #expect(try await client.request(.delete, "/api/v1/uploads/x", key: key).status == 429)
    }
  }

  /// An event committed with its state change but not delivered before the server stopped (the kill
  /// window) is delivered by the next server.
  @Test func anEventQueuedBeforeAStopIsDeliveredAfterRestart() async throws {
    let receiver = Receiver()
    try await receiver.start()
    defer { receiver.stop() }
    let harness = try ServerHarness(workers: 0)
    let (org, _) = try harness.organization("acme")
    _ = try harness.store.createWebhook(
      id: "hook-1", organizationId: org.id, url: receiver.url, events: ["upload.created"], secret: Self.secret, at: Date())
    // The state change and its event, committed while no server runs.
    _ = try harness.store.createUpload(UploadLifecycleTests.record(id: "u-1", org: org, at: Timestamp.string(Date())))
    #expect(try harness.store.dueEvents(now: Date().timeIntervalSince1970, limit: 10).count == 1)
    try await harness.run { (_) async throws -> Void in
      #expect(try await receiver.wait { $0.contains { $0.event == "upload.created" && $0.body.contains("\"u-1\"") } })
    }
    #expect(try harness.store.dueEvents(now: Date().timeIntervalSince1970 + 3600, limit: 10).isEmpty)
  }
}
