import Foundation
import Testing

@testable import DialReadyServer

/// The Contacts API: one number classified, charged once, with its callback.
@Suite("Contacts API", .serialized)
struct ContactsAPITests {
  func post(_ client: ServerHarness.Client, key: String, _ object: [String: Any]) async throws -> ServerHarness.Reply {
    try await client.request(
      .post, "/api/v1/contacts", key: key, contentType: "application/json",
      body: Array(try JSONSerialization.data(withJSONObject: object)))
  }

  @Test func aContactIsQueuedThenClassifiedAndItsCallbackSigned() async throws {
    let receiver = Receiver()
    try await receiver.start()
    defer { receiver.stop() }
    let harness = try ServerHarness(workers: 1)
    let (org, key) = try harness.organization("acme", credits: 10)
    try await harness.run { client in
      let reply = try await post(
        client, key: key,
        ["phone": "(212) 368-2049", "properties": ["row": 7, "name": "Ada"], "callback_url": receiver.url, "callback_secret": "cb"])
      #expect(reply.status == 200, "\(reply.text)")
      #expect(reply.json["status"] as? String == "queued")
      #expect(reply.json["phone"] as? String == "+12123682049")
      #expect(reply.json["credits_charged"] as? Int == 1)
      #expect(reply.json["optimaldial_status"] is NSNull)
      #expect((reply.json["properties"] as? [String: Any])?["row"] as? Int == 7)
      let id = try #require(reply.json["id"] as? String)
      #expect(
        try await eventually {
          try await client.request(.get, "/api/v1/contacts/\(id)", key: key).json["status"] as? String == "completed"
        })
      let contact = try await client.request(.get, "/api/v1/contacts/\(id)", key: key).json
      #expect(contact["optimaldial_status"] as? String == "Likely Answer")
      #expect(try await receiver.wait { $0.contains { $0.event == "contact.completed" } })
      let callback = try #require(receiver.deliveries.first { $0.event == "contact.completed" })
      #expect(EventSignature.verify(header: callback.signature ?? "", body: callback.body, secret: "cb", now: Int(Date().timeIntervalSince1970)))
      #expect(callback.body.contains("\"optimaldial_status\":\"Likely Answer\""))
      #expect(callback.body.contains(#""properties":{"name":"Ada","row":7}"#))
    }
    #expect(try harness.store.organization(org.id)?.creditBalance == 9)
  }

  @Test func concurrentIdempotentPostsCreateOneContactAndOneCharge() async throws {
    let harness = try ServerHarness(workers: 0)
    let (org, key) = try harness.organization("acme", credits: 100)
    try await harness.run { client in
      let ids = try await withThrowingTaskGroup(of: String?.self) { group in
        for _ in 0..<20 {
          group.addTask {
            try await post(client, key: key, ["phone": "212-368-2049", "idempotency_key": "order-42"]).json["id"] as? String
          }
        }
        return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
      }
      #expect(ids.count == 1)
      #expect(ids.first! != nil)
      // Another key of the same organization is another scope.
      let second = APIKeys.generate()
      _ = try harness.store.createAPIKey(organizationId: org.id, keyHash: APIKeys.hash(second), prefix: APIKeys.prefix(second), at: Date())
      let other = try await post(client, key: second, ["phone": "212-368-2049", "idempotency_key": "order-42"])
      #expect(other.json["id"] as? String != ids.first!)
      let list = try await client.request(.get, "/api/v1/contacts?limit=1", key: key)
      #expect((list.json["data"] as? [Any])?.count == 1)
      #expect(list.json["next_cursor"] is String)
    }
    #expect(try harness.store.organization(org.id)?.creditBalance == 98)
    #expect(try harness.store.ledger(organizationId: org.id).filter { $0.reason == "contact_charge" }.count == 2)
  }

  @Test func refusals() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    let (_, brokeKey) = try harness.organization("broke", credits: 0)
    let (_, lapsedKey) = try harness.organization("lapsed", subscription: false)
    let (_, otherKey) = try harness.organization("globex")
    try await harness.run { client in
      #expect(try await post(client, key: key, ["phone": "+44 20 7946 0958"]).status == 400)
      #expect(try await post(client, key: key, ["properties": [:]]).status == 400)
      #expect(try await post(client, key: key, ["phone": "2123682049", "idempotency_key": String(repeating: "k", count: 256)]).status == 400)
      #expect(try await post(client, key: brokeKey, ["phone": "2123682049"]).status == 402)
      #expect(try await post(client, key: lapsedKey, ["phone": "2123682049"]).status == 403)
      let created = try await post(client, key: key, ["phone": "2123682049"])
      let id = try #require(created.json["id"] as? String)
      #expect(try await client.request(.get, "/api/v1/contacts/\(id)", key: otherKey).status == 404)
      #expect(try await client.request(.get, "/api/v1/contacts", key: nil).status == 401)
    }
  }
}
