@testable import DialReadyServer
import Foundation
import Testing

/// The Uploads API over HTTP against a live server: every status row of the reference tables.
@Suite("Uploads API")
struct UploadsAPITests {
  @Test func jsonUploadReturnsTheFullUploadObjectAndCharges() async throws {
    let harness = try ServerHarness()
    let (org, key) = try harness.organization("acme", credits: 1_000)
    try await harness.run { client in
      let reply = try await client.postJSON(["phone_numbers": ServerHarness.numbers(120) + ["not a number", "123"]], key: key)
      #expect(reply.status == 200)
      let upload = reply.json
      #expect(upload["status"] as? String == "ready_for_processing")
      #expect(upload["valid_row_count"] as? Int == 120)
      #expect(upload["invalid_row_count"] as? Int == 2)
      #expect(upload["credits_required"] as? Int == 120)
      #expect(upload["credits_charged"] as? Int == 120)
      #expect(upload["source"] as? String == "api")
      #expect(upload["organization_id"] as? String == org.id)
      #expect((upload["original_filename"] as? String)?.hasPrefix("api_upload_") == true)
      #expect((upload["original_filename"] as? String)?.hasSuffix(".csv") == true)
      // Every field of the reference's Upload object, nulls included, in its order.
      let fields = [
        "id", "user_id", "organization_id", "original_filename", "storage_path", "file_size_bytes", "status",
        "valid_row_count", "invalid_row_count", "credits_required", "credits_charged", "credits_refunded", "source",
        "api_key_id", "skip_mobile_lookup", "processed_storage_path", "processed_filtered_storage_path", "error_message",
        "created_at", "updated_at",
      ]
      let positions = fields.map { reply.text.range(of: "\"\($0)\":")?.lowerBound }
      #expect(positions.allSatisfy { $0 != nil })
      #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
      #expect(upload.count == fields.count)
      #expect(reply.text.contains("\"credits_refunded\":null"))
    }
    #expect(try harness.store.organization(org.id)?.creditBalance == 880)
    let ledger = try harness.store.ledger(organizationId: org.id)
    #expect(ledger.map(\.delta) == [1_000, -120])
  }

  @Test func contactsKeepTheirOtherKeysAndNameTheFile() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let contacts = ServerHarness.numbers(100).enumerated().map { ["tel": $1, "first_name": "Lead \($0)", "score": $0] as [String: Any] }
      let reply = try await client.postJSON(["contacts": contacts, "phone_column": "tel", "filename": "april-cohort.csv"], key: key)
      #expect(reply.status == 200)
      #expect(reply.json["original_filename"] as? String == "april-cohort.csv")
      let id = try #require(reply.json["id"] as? String)
      let link = try await client.request(.get, "/api/v1/uploads/\(id)/download/original", key: key)
      #expect(link.status == 200)
      let url = try #require(link.json["download_url"] as? String)
      let path = String(url[try #require(url.range(of: "/files/")).lowerBound...])
      let original = try await client.request(.get, path, key: nil)
      #expect(original.status == 200)
      #expect(original.text.hasPrefix("tel,first_name,score\r\n(212) 368-2000,Lead 0,0\r\n"))
    }
  }

  @Test func multipartCSVUploadUsesTheFileAndOverride() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let csv = ServerHarness.csv(ServerHarness.numbers(150))
      let reply = try await client.postFile(
        csv, filename: "leads.csv", fields: ["phone_column": "phone", "skip_mobile_lookup": "true", "filename_override": "may.csv"],
        key: key)
      #expect(reply.status == 200, "\(reply.text)")
      #expect(reply.json["original_filename"] as? String == "may.csv")
      #expect(reply.json["valid_row_count"] as? Int == 150)
      #expect(reply.json["skip_mobile_lookup"] as? Bool == true)
      #expect(reply.json["file_size_bytes"] as? Int == csv.count)
    }
  }

  @Test func badRequestsGet400WithTheEnvelope() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let malformed = try await client.request(.post, "/api/v1/uploads", key: key, contentType: "application/json", body: Array("{not json".utf8))
      #expect(malformed.status == 400)
      #expect(malformed.detail?.hasPrefix("Malformed JSON") == true, "\(malformed.text)")
      let both = try await client.postJSON(["phone_numbers": ["1"], "contacts": [["p": "1"]], "phone_column": "p"], key: key)
      #expect(both.status == 400)
      let neither = try await client.postJSON(["filename": "x.csv"], key: key)
      #expect(neither.status == 400)
      #expect(neither.detail == "Provide exactly one of phone_numbers and contacts")
      let noColumn = try await client.postJSON(["contacts": [["p": "2123682000"]]], key: key)
      #expect(noColumn.status == 400)
      let absent = try await client.postJSON(["contacts": [["p": "2123682000"]], "phone_column": "phone"], key: key)
      #expect(absent.status == 400)
      #expect(absent.detail?.contains("phone_column 'phone'") == true)
      let csv = ServerHarness.csv(ServerHarness.numbers(150))
      let missingField = try await client.postFile(csv, filename: "leads.csv", fields: [:], key: key)
      #expect(missingField.status == 400)
      #expect(missingField.detail == "Missing required field: phone_column")
      let wrongColumn = try await client.postFile(csv, filename: "leads.csv", fields: ["phone_column": "mobile"], key: key)
      #expect(wrongColumn.status == 400)
      #expect(wrongColumn.detail?.contains("the columns are id, name, phone") == true)
      let badHours = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100), "calling_hours": ["start": "25:00", "end": "17:00"]], key: key)
      #expect(badHours.status == 400)
      let noDNC = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100), "enable_dnc": true], key: key)
      #expect(noDNC.status == 400)
    }
  }

  @Test func authenticationFailuresGet401WithBearerChallenge() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    let revokedKey = APIKeys.generate()
    let org = try #require(try harness.store.organization("acme"))
    let record = try harness.store.createAPIKey(
      organizationId: org.id, keyHash: APIKeys.hash(revokedKey), prefix: APIKeys.prefix(revokedKey), at: Date())
    _ = try harness.store.revokeAPIKey(record.id, at: Date())
    try await harness.run { client in
      for candidate in [nil, "od_live_unknown", revokedKey] {
        let reply = try await client.request(.get, "/api/v1/uploads", key: candidate)
        #expect(reply.status == 401)
        #expect(reply.headers[.wwwAuthenticate] == "Bearer")
        #expect(reply.detail != nil)
      }
      #expect(try await client.request(.get, "/api/v1/uploads", key: key).status == 200)
    }
  }

  @Test func creditsSubscriptionSizeAndTypeRefusals() async throws {
    let harness = try ServerHarness { $0.maximumBodyBytes = 64 * 1024 }
    let (poor, poorKey) = try harness.organization("poor", credits: 50)
    let (_, lapsedKey) = try harness.organization("lapsed", subscription: false)
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let short = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: poorKey)
      #expect(short.status == 402)
      let forbidden = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: lapsedKey)
      #expect(forbidden.status == 403)
      let tooMany = try await client.postJSON(["phone_numbers": Array(repeating: "2123682000", count: 250_001)], key: key)
      #expect(tooMany.status == 413)
      let bigFile = try await client.postFile(Array(repeating: 65, count: 70 * 1024), filename: "big.csv", fields: ["phone_column": "phone"], key: key)
      #expect(bigFile.status == 413)
      let text = try await client.request(.post, "/api/v1/uploads", key: key, contentType: "text/csv", body: Array("phone\n".utf8))
      #expect(text.status == 415)
      let few = try await client.postJSON(["phone_numbers": ServerHarness.numbers(73) + ["nope", "555"]], key: key)
      #expect(few.status == 422)
      let detail = try #require(few.detailObject)
      #expect(detail["error"] as? String == "min_contacts_required")
      #expect(detail["min"] as? Int == 100)
      #expect(detail["got"] as? Int == 73)
      #expect(detail["message"] as? String == "At least 100 valid phone numbers are required per upload.")
    }
    // Nothing was charged for the refused uploads.
    #expect(try harness.store.organization(poor.id)?.creditBalance == 50)
  }

  @Test func otherOrganizationsAndMissingIdsAre404() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    let (_, otherKey) = try harness.organization("globex")
    try await harness.run { client in
      let created = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      let id = try #require(created.json["id"] as? String)
      #expect(try await client.request(.get, "/api/v1/uploads/\(id)", key: key).status == 200)
      for path in ["/api/v1/uploads/\(id)", "/api/v1/uploads/\(id)/errors", "/api/v1/uploads/\(id)/download/original"] {
        let reply = try await client.request(.get, path, key: otherKey)
        #expect(reply.status == 404)
        #expect(reply.detail == "Not found")
      }
      #expect(try await client.request(.delete, "/api/v1/uploads/\(id)", key: otherKey).status == 404)
      #expect(try await client.request(.get, "/api/v1/uploads/\(UUID())", key: key).status == 404)
      let list = try await client.request(.get, "/api/v1/uploads", key: otherKey)
      #expect((list.json["data"] as? [Any])?.isEmpty == true)
    }
  }

  @Test func processedDownloadsAre404UntilCompleted() async throws {
    let harness = try ServerHarness(workers: 0)
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let created = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      let id = try #require(created.json["id"] as? String)
      for kind in ["processed", "processed-filtered"] {
        let reply = try await client.request(.get, "/api/v1/uploads/\(id)/download/\(kind)", key: key)
        #expect(reply.status == 404)
      }
      #expect(try await client.request(.get, "/api/v1/uploads/\(id)/download/original", key: key).status == 200)
    }
  }

  @Test func signedURLsExpireAfterAnHourAndRefuseTampering() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let created = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      let id = try #require(created.json["id"] as? String)
      let link = try await client.request(.get, "/api/v1/uploads/\(id)/download/original", key: key)
      let url = try #require(link.json["download_url"] as? String)
      let expires = try #require(link.json["expires_at"] as? Double)
      #expect(expires == (ServerHarness.start.timeIntervalSince1970 + 3600).rounded(.down))
      let path = String(url[try #require(url.range(of: "/files/")).lowerBound...])
      #expect(try await client.request(.get, path, key: nil).status == 200)
      let tampered = path.replacingOccurrences(of: "/original?", with: "/processed?")
      #expect(try await client.request(.get, tampered, key: nil).status == 403)
      let longer = path.replacingOccurrences(of: "expires=", with: "expires=9")
      #expect(try await client.request(.get, longer, key: nil).status == 403)
      harness.clock.advance(3599)
      #expect(try await client.request(.get, path, key: nil).status == 200)
      harness.clock.advance(1)
      let expired = try await client.request(.get, path, key: nil)
      #expect(expired.status == 403)
      #expect(expired.detail?.contains("expired") == true)
    }
  }

  @Test func errorsAreGroupedByReasonWithRowNumbers() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let numbers = ServerHarness.numbers(100) + ["hello", "(212) 368-2000", "12", "world"]
      let created = try await client.postJSON(["phone_numbers": numbers], key: key)
      let id = try #require(created.json["id"] as? String)
      let reply = try await client.request(.get, "/api/v1/uploads/\(id)/errors", key: key)
      #expect(reply.status == 200)
      let groups = try #require(reply.json["errors"] as? [[String: Any]])
      let byReason = Dictionary(uniqueKeysWithValues: groups.map { ($0["reason"] as! String, $0["rows"] as! [Int]) })
      // Row 1 is the header: the 101st number is row 102.
      #expect(byReason["not_a_number"] == [102, 105])
      #expect(byReason["duplicate"] == [103])
      #expect(byReason["too_short"] == [104])
    }
  }

  @Test func knownPathsWithAnotherMethodGet405() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let put = try await client.request(.put, "/api/v1/uploads", key: key)
      #expect(put.status == 405)
      #expect(put.headers[.allow] == "GET, POST")
      #expect(put.detail == "Method Not Allowed")
      #expect(try await client.request(.post, "/api/v1/uploads/abc", key: key).status == 405)
      #expect(try await client.request(.get, "/api/v1/nothing", key: key).status == 404)
    }
  }
}
