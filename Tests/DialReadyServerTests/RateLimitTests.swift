import Foundation
import Testing

@testable import DialReadyServer

/// Write-call limits on a live server: every write counts, and one key cannot spend its organization's.
@Suite("Rate limits")
struct RateLimitTests {
  func postContact(_ client: ServerHarness.Client, key: String) async throws -> Int {
    try await client.request(
      .post, "/api/v1/contacts", key: key, contentType: "application/json", body: Array(#"{"phone":"2123682049"}"#.utf8)
    ).status
  }

  @Test func contactWritesCountTowardTheRateLimit() async throws {
    let harness = try ServerHarness { $0.rateLimitPerKey = 3 }
    let (org, key) = try harness.organization("acme")
    try await harness.run { (client) async throws -> Void in
      for _ in 0..<3 { #expect(try await postContact(client, key: key) == 200) }
      let refused = try await client.request(
        .post, "/api/v1/contacts", key: key, contentType: "application/json", body: Array(#"{"phone":"2123682049"}"#.utf8))
      #expect(refused.status == 429)
      #expect(refused.detailObject?["error"] as? String == "rate_limit_exceeded")
      #expect(refused.headers[.retryAfter] != nil)
      // Contacts and other writes share the key's bucket.
      #expect(try await client.request(.delete, "/api/v1/uploads/x", key: key).status == 429)
    }
    #expect(try harness.store.listContacts(organizationId: org.id, limit: 10, after: nil).0.count == 3)
  }

  @Test func aKeyPastItsLimitCannotLockOutItsOrganization() async throws {
    let harness = try ServerHarness {
      $0.rateLimitPerKey = 3
      $0.rateLimitPerOrganization = 6
    }
    let (org, hammering) = try harness.organization("acme")
    let other = APIKeys.generate()
    _ = try harness.store.createAPIKey(organizationId: org.id, keyHash: APIKeys.hash(other), prefix: APIKeys.prefix(other), at: Date())
    try await harness.run { (client) async throws -> Void in
      for _ in 0..<3 { #expect(try await postContact(client, key: hammering) == 200) }
      // Twenty refused calls count toward the organization once: 4 of its 6 are used.
      for _ in 0..<20 { #expect(try await postContact(client, key: hammering) == 429) }
      #expect(try await postContact(client, key: other) == 200)
      #expect(try await postContact(client, key: other) == 200)
      // The organization's bucket is now full, for every key.
      #expect(try await postContact(client, key: other) == 429)
    }
  }

  @Test func refusedCallsCountOncePerKeyPerMinute() {
    let limiter = RateLimiter(perKey: 1, perOrganization: 3)
    let now = Date(timeIntervalSince1970: 1_795_626_030)
    #expect(limiter.record(key: "a", organization: "o", now: now) == nil)
    for _ in 0..<5 { #expect(limiter.record(key: "a", organization: "o", now: now)?.limit == 1) }
    #expect(limiter.record(key: "b", organization: "o", now: now) == nil)
    // a's refusals used one call (2 + 1 = 3): the organization is full.
    #expect(limiter.record(key: "c", organization: "o", now: now)?.limit == 3)
    // A new minute starts afresh.
    #expect(limiter.record(key: "c", organization: "o", now: now + 60) == nil)
  }
}
