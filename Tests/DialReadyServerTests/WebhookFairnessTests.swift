import Foundation
import Testing

@testable import DialReadyServer

/// Webhook deliveries are shared fairly between organizations.
@Suite("Webhook fairness", .serialized)
struct WebhookFairnessTests {
  /// One organization has 100 events queued for a receiver that hangs past the delivery timeout; an
  /// event of another organization queued afterwards still goes out within a second.
  @Test func aHangingReceiverDoesNotDelayAnotherOrganization() async throws {
    let hanging = Receiver(delay: 30)
    try await hanging.start()
    defer { hanging.stop() }
    let prompt = Receiver()
    try await prompt.start()
    defer { prompt.stop() }
    let harness = try ServerHarness(workers: 0) {
      $0.webhookTimeout = 4
      $0.webhookBackoff = 60
    }
    let (slow, _) = try harness.organization("slow")
    let (fast, fastKey) = try harness.organization("fast")
    _ = try harness.store.createWebhook(
      id: "hook-slow", organizationId: slow.id, url: hanging.url, events: ["upload.created"], secret: "s", at: Date())
    _ = try harness.store.createWebhook(
      id: "hook-fast", organizationId: fast.id, url: prompt.url, events: ["upload.created"], secret: "s", at: Date())
    // Queued before the server starts: older than anything the other organization sends.
    for i in 0..<100 {
      _ = try harness.store.createUpload(UploadLifecycleTests.record(id: "slow-\(i)", org: slow, at: Timestamp.string(Date())))
    }
    try await harness.run { client in
      // The slow organization's deliveries are hanging.
      #expect(try await hanging.wait(10) { $0.count >= 8 })
      let reply = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: fastKey)
      #expect(reply.status == 200)
      // The event is in the outbox once the reply is sent (same transaction as the upload); the wait
      // counts from there, so a slow intake on a loaded machine does not count as delivery delay.
      let sent = Date()
      #expect(try await prompt.wait(5) { $0.contains { $0.event == "upload.created" } })
      let delay = try #require(prompt.deliveries.first { $0.event == "upload.created" }).at.timeIntervalSince(sent)
      #expect(delay < 1, "the other organization's event waited \(delay) s")
      // The slow organization holds no more than its share.
      #expect(hanging.deliveries.count <= 16)
    }
  }

  @Test func dueEventsAreTakenInTurnsAcrossOrganizationsWithinTheirShares() throws {
    let harness = try ServerHarness()
    let (a, _) = try harness.organization("a")
    let (b, _) = try harness.organization("b")
    _ = try harness.store.createWebhook(id: "a1", organizationId: a.id, url: "http://192.0.2.1/a1", events: ["upload.created"], secret: "s", at: Date())
    _ = try harness.store.createWebhook(id: "a2", organizationId: a.id, url: "http://192.0.2.1/a2", events: ["upload.created"], secret: "s", at: Date())
    _ = try harness.store.createWebhook(id: "b1", organizationId: b.id, url: "http://192.0.2.1/b1", events: ["upload.created"], secret: "s", at: Date())
    for i in 0..<10 {
      _ = try harness.store.createUpload(UploadLifecycleTests.record(id: "a-\(i)", org: a, at: Timestamp.string(Date())))
    }
    for i in 0..<2 {
      _ = try harness.store.createUpload(UploadLifecycleTests.record(id: "b-\(i)", org: b, at: Timestamp.string(Date())))
    }
    let now = Date().timeIntervalSince1970 + 1
    // a has 20 due (10 per endpoint), b 2; the first two taken are one of each organization.
    let first = try harness.store.claimDueEvents(now: now, lease: 60, limit: 2, perOrganization: 5, perEndpoint: 3)
    #expect(Set(first.map(\.organizationId)) == [a.id, b.id])
    let rest = try harness.store.claimDueEvents(now: now, lease: 60, limit: 100, perOrganization: 5, perEndpoint: 3)
    let taken = first + rest
    #expect(taken.filter { $0.organizationId == a.id }.count == 5)
    #expect(taken.filter { $0.organizationId == b.id }.count == 2)
    #expect(Dictionary(grouping: taken, by: \.webhookId).values.allSatisfy { $0.count <= 3 })
    // Held ones count: nothing more until some finish.
    #expect(try harness.store.claimDueEvents(now: now, lease: 60, limit: 100, perOrganization: 5, perEndpoint: 3).isEmpty)
  }
}
