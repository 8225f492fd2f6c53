@testable import DialReadyServer
import Foundation
import Testing

/// Listing, cancelling, rate limits and processing, over HTTP against a live server.
@Suite("Upload lifecycle")
struct UploadLifecycleTests {
  /// 250 uploads created at the same instant: pages follow `created_at DESC, id DESC` with no gap or repeat.
  @Test func paginationAcross250UploadsWithEqualTimestamps() async throws {
    let harness = try ServerHarness()
    let (org, key) = try harness.organization("acme")
    let (other, _) = try harness.organization("globex")
    let now = Timestamp.string(harness.clock.now())
    var ids: [String] = []
    for i in 0..<250 {
      let id = UUID().uuidString.lowercased()
      ids.append(id)
      _ = try harness.store.createUpload(Self.record(id: id, org: i % 10 == 9 ? other : org, at: now))
    }
    let expected = ids.enumerated().filter { $0.offset % 10 != 9 }.map(\.element).sorted(by: >)
    try await harness.run { client in
      var seen: [String] = []
      var cursor: String?
      var pages = 0
      repeat {
        let query = cursor.map { "?limit=20&cursor=\($0)" } ?? "?limit=20"
        let reply = try await client.request(.get, "/api/v1/uploads\(query)", key: key)
        #expect(reply.status == 200)
        let data = try #require(reply.json["data"] as? [[String: Any]])
        seen += data.compactMap { $0["id"] as? String }
        cursor = reply.json["next_cursor"] as? String
        pages += 1
      } while cursor != nil && pages < 50
      #expect(seen == expected)
      #expect(pages == 12)  // 225 uploads, 20 a page
      #expect(try await client.request(.get, "/api/v1/uploads?limit=0", key: key).status == 400)
      #expect(try await client.request(.get, "/api/v1/uploads?limit=101", key: key).status == 400)
      #expect(try await client.request(.get, "/api/v1/uploads?cursor=garbage!", key: key).status == 400)
      let defaultPage = try await client.request(.get, "/api/v1/uploads", key: key)
      #expect((defaultPage.json["data"] as? [Any])?.count == 50)
    }
  }

  @Test func cancelRefundsOnlyFromReadyForProcessing() async throws {
    let harness = try ServerHarness(workers: 0)
    let (org, key) = try harness.organization("acme", credits: 500)
    try await harness.run { client in
      let created = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      let id = try #require(created.json["id"] as? String)
      let cancel = try await client.request(.delete, "/api/v1/uploads/\(id)", key: key)
      #expect(cancel.status == 200)
      #expect(cancel.text == #"{"status":"cancelled","credits_refunded":100}"#)
      let again = try await client.request(.delete, "/api/v1/uploads/\(id)", key: key)
      #expect(again.text == #"{"status":"cancelled","credits_refunded":0}"#)
      let upload = try await client.request(.get, "/api/v1/uploads/\(id)", key: key)
      #expect(upload.json["status"] as? String == "cancelled")
      #expect(upload.json["credits_refunded"] as? Int == 100)
    }
    #expect(try harness.store.organization(org.id)?.creditBalance == 500)
    #expect(try harness.store.ledger(organizationId: org.id).map(\.reason) == ["grant", "upload_charge", "upload_refund"])
    #expect(try harness.store.pendingJobCount() == 0)
  }

  /// Cancels racing a worker: each upload ends either cancelled with its charge refunded or processed
  /// with nothing refunded, and the ledger sums to the balance.
  @Test func cancelRacesWithTheWorker() async throws {
    let harness = try ServerHarness(workers: 1)
    let (org, key) = try harness.organization("acme", credits: 10_000)
    try await harness.run { client in
      var ids: [String] = []
      for i in 0..<12 {
        let reply = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100 + i, from: i * 300)], key: key)
        ids.append(try #require(reply.json["id"] as? String))
      }
      let refunds = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
        for id in ids {
          group.addTask {
            let reply = try await client.request(.delete, "/api/v1/uploads/\(id)", key: key)
            return (id, reply.json["credits_refunded"] as? Int ?? -1, reply.json["status"] as? String ?? "")
          }
        }
        return try await group.reduce(into: [:]) { $0[$1.0] = ($1.1, $1.2) }
      }
      #expect(try await eventually { try harness.store.pendingJobCount() == 0 })
      for (i, id) in ids.enumerated() {
        let upload = try await client.request(.get, "/api/v1/uploads/\(id)", key: key).json
        let (refund, status) = try #require(refunds[id])
        if status == "cancelled" {
          #expect(refund == 100 + i)
          #expect(upload["status"] as? String == "cancelled")
          #expect(upload["credits_refunded"] as? Int == 100 + i)
        } else {
          #expect(refund == 0)
          #expect(upload["status"] as? String == "completed")
          #expect(upload["credits_refunded"] is NSNull)
        }
      }
    }
    let ledger = try harness.store.ledger(organizationId: org.id)
    #expect(ledger.reduce(0) { $0 + $1.delta } == (try harness.store.organization(org.id)?.creditBalance))
  }

  @Test func rateLimitsUseClockAlignedMinuteBuckets() async throws {
    let harness = try ServerHarness { $0.rateLimitPerOrganization = 100 }
    let (_, key) = try harness.organization("acme")
    let org = try #require(try harness.store.organization("acme"))
    let second = APIKeys.generate()
    _ = try harness.store.createAPIKey(organizationId: org.id, keyHash: APIKeys.hash(second), prefix: APIKeys.prefix(second), at: Date())
    try await harness.run { client in
      let missing = "/api/v1/uploads/\(UUID())"
      for _ in 0..<60 { #expect(try await client.request(.delete, missing, key: key).status == 404) }
      let refused = try await client.request(.delete, missing, key: key)
      #expect(refused.status == 429)
      // Half a minute into the window: 30 s until it resets.
      #expect(refused.headers[.retryAfter] == "30")
      let detail = try #require(refused.detailObject)
      #expect(detail["error"] as? String == "rate_limit_exceeded")
      #expect(detail["limit"] as? Int == 60)
      #expect(detail["observed"] as? Int == 61)
      #expect(detail["retry_after_seconds"] as? Int == 30)
      // Reads bypass the limiter.
      #expect(try await client.request(.get, "/api/v1/uploads", key: key).status == 200)
      // The organization's bucket counts every key: 61 so far, 39 more fit.
      for _ in 0..<39 { #expect(try await client.request(.delete, missing, key: second).status == 404) }
      let orgRefused = try await client.request(.delete, missing, key: second)
      #expect(orgRefused.status == 429)
      #expect(orgRefused.detailObject?["limit"] as? Int == 100)
      // The next minute starts from zero.
      harness.clock.advance(30)
      #expect(try await client.request(.delete, missing, key: key).status == 404)
    }
  }

  @Test func workersZeroAcceptsAndQueuesWithoutProcessing() async throws {
    let harness = try ServerHarness(workers: 0)
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let reply = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      let id = try #require(reply.json["id"] as? String)
      try await Task.sleep(nanoseconds: 300_000_000)
      #expect(try await client.request(.get, "/api/v1/uploads/\(id)", key: key).json["status"] as? String == "ready_for_processing")
      let health = try await client.request(.get, "/healthz", key: nil)
      #expect(health.text == #"{"status":"ok","queued_jobs":1,"workers":0}"#)
    }
    #expect(try harness.store.pendingJobCount() == 1)
  }

  @Test func completedUploadsServeProcessedAndFilteredFiles() async throws {
    let harness = try ServerHarness(workers: 1)
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let reply = try await client.postJSON(
        ["phone_numbers": ServerHarness.numbers(100) + ["(212) 555-0123"], "calling_hours": ["start": "09:00", "end": "17:00"], "allowed_days": [1, 2, 3, 4, 5]],
        key: key)
      let id = try #require(reply.json["id"] as? String)
      #expect(
        try await eventually {
          try await client.request(.get, "/api/v1/uploads/\(id)", key: key).json["status"] as? String == "completed"
        })
      let upload = try await client.request(.get, "/api/v1/uploads/\(id)", key: key).json
      #expect(upload["processed_storage_path"] is String)
      #expect(upload["processed_filtered_storage_path"] is String)
      let link = try await client.request(.get, "/api/v1/uploads/\(id)/download/processed", key: key)
      let url = try #require(link.json["download_url"] as? String)
      let path = String(url[try #require(url.range(of: "/files/")).lowerBound...])
      let processed = try await client.request(.get, path, key: nil)
      #expect(processed.status == 200)
      let header = processed.text.prefix { $0 != "\n" && $0 != "\r" }
      // Calling hours were given: the calling-window columns follow the classification.
      #expect(header.hasSuffix("classification,answer_reasons,local_time,callable,next_callable_at"))
      #expect(processed.text.split(whereSeparator: \.isNewline).count == 102)
    }
  }

  static func record(id: String, org: Organization, at: String) -> UploadRecord {
    UploadRecord(
      id: id, userId: org.ownerUserId, organizationId: org.id, originalFilename: "x.csv", storagePath: "files/xx/x.csv",
      fileSizeBytes: 10, status: .readyForProcessing, validRowCount: 1, invalidRowCount: 0, creditsRequired: 1,
      creditsCharged: nil, creditsRefunded: nil, source: "api", apiKeyId: nil, skipMobileLookup: false,
      processedStoragePath: nil, processedFilteredStoragePath: nil, errorMessage: nil, createdAt: at, updatedAt: at,
      phoneColumn: "phone", options: UploadOptions(), manifestStoragePath: nil, rejectsStoragePath: nil)
  }
}
