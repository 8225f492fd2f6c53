import Foundation
import Testing

@testable import DialReadyServer

/// The store's transactions and the small pieces the handlers use.
@Suite("Server store and helpers")
struct StoreTests {
  func makeStore() throws -> (any ServerStore, String) {
    let directory = NSTemporaryDirectory() + "dialready-store-\(UUID().uuidString)"
    return (try APIServer.openStore(dataDirectory: directory), directory)
  }

  @Test func jobsLeftRunningAreQueuedAgainAndClaimedFairly() throws {
    let (store, directory) = try makeStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let now = Date()
    let big = try store.createOrganization(name: "big", credits: 100, subscription: true, at: now)
    let small = try store.createOrganization(name: "small", credits: 100, subscription: true, at: now)
    let at = Timestamp.string(now)
    for i in 0..<3 { _ = try store.createUpload(UploadLifecycleTests.record(id: "big-\(i)", org: big, at: at)) }
    _ = try store.createUpload(UploadLifecycleTests.record(id: "small-0", org: small, at: at))
    // The first claim takes the oldest; the second goes to the organization with nothing running.
    #expect(try store.claimJob(at: now)?.id == "big-0")
    #expect(try store.claimJob(at: now)?.id == "small-0")
    #expect(try store.claimJob(at: now)?.id == "big-1")
    #expect(try store.upload(id: "big-0")?.status == .processing)
    // A restart puts the three running jobs back; processing status stays, nothing is charged again.
    let reopened = try APIServer.openStore(dataDirectory: directory)
    #expect(try reopened.requeueInterruptedJobs() == 3)
    #expect(try reopened.pendingJobCount() == 4)
    #expect(try reopened.ledger(organizationId: big.id).map(\.delta) == [100, -1, -1, -1])
    // A processing upload cannot be cancelled.
    let (upload, refund) = try #require(try reopened.cancelUpload(id: "big-0", organizationId: big.id, at: now))
    #expect(upload.status == .processing && refund == 0)
  }

  @Test func chargesNeverExceedTheBalance() throws {
    let (store, directory) = try makeStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let org = try store.createOrganization(name: "acme", credits: 2, subscription: true, at: Date())
    var record = UploadLifecycleTests.record(id: "a", org: org, at: Timestamp.string(Date()))
    record.creditsRequired = 3
    #expect(throws: StoreError.insufficientCredits(balance: 2, required: 3)) { try store.createUpload(record) }
    #expect(try store.upload(id: "a") == nil)
    #expect(try store.pendingJobCount() == 0)
    #expect(try store.addCredits(organizationId: org.id, credits: 5, at: Date()) == 7)
    #expect(try store.createUpload(record).creditsCharged == 3)
    #expect(try store.organization("acme")?.creditBalance == 4)
  }

  @Test func cursorsRoundTripAndRejectForgeries() {
    let cursor = UploadCursor(createdAt: "2026-04-24T12:34:56.789Z", id: "f3c9b8a7-1234")
    #expect(UploadCursor(token: cursor.token) == cursor)
    #expect(UploadCursor(token: "garbage!") == nil)
    #expect(UploadCursor(token: Data("no-separator".utf8).base64EncodedString()) == nil)
  }

  @Test func rateLimiterCountsRefusedRequestsAndResetsOnTheMinute() {
    let limiter = RateLimiter(perKey: 2, perOrganization: 3)
    let t = Date(timeIntervalSince1970: 120 + 45.5)
    #expect(limiter.record(key: "k1", organization: "o", now: t) == nil)
    #expect(limiter.record(key: "k1", organization: "o", now: t) == nil)
    #expect(limiter.record(key: "k1", organization: "o", now: t) == .init(limit: 2, observed: 3, retryAfterSeconds: 15))
    #expect(limiter.record(key: "k2", organization: "o", now: t) == .init(limit: 3, observed: 4, retryAfterSeconds: 15))
    #expect(limiter.record(key: "k1", organization: "o", now: Date(timeIntervalSince1970: 180)) == nil)
  }

  @Test func signerChecksPathExpiryAndSignature() {
    let signer = URLSigner(secret: Data(repeating: 7, count: 32))
    let now = Date(timeIntervalSince1970: 1_000)
    let (query, expires) = signer.sign(path: "/files/a/processed", now: now)
    #expect(expires == 4_600)
    let signature = String(query.split(separator: "=").last!)
    #expect(signer.verify(path: "/files/a/processed", expires: "4600", signature: signature, now: now))
    #expect(!signer.verify(path: "/files/b/processed", expires: "4600", signature: signature, now: now))
    #expect(!signer.verify(path: "/files/a/processed", expires: "4601", signature: signature, now: now))
    #expect(!signer.verify(path: "/files/a/processed", expires: "4600", signature: signature, now: Date(timeIntervalSince1970: 4_600)))
    #expect(!URLSigner(secret: Data(repeating: 8, count: 32)).verify(path: "/files/a/processed", expires: "4600", signature: signature, now: now))
  }

  @Test func multipartPartsAndQuotedParameters() throws {
    let root = NSTemporaryDirectory() + "dialready-multipart-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let files = try FileStore(root: root)
    let body = Array(
      "--b\r\nContent-Disposition: form-data; name=\"phone_column\"\r\n\r\nphone\r\n--b\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a;\\\"b\\\".csv\"\r\nContent-Type: text/csv\r\n\r\nphone\r\n2123682000\r\n--b--\r\n".utf8)
    let reader = StreamingForm(boundary: "b", files: files, maximumFileBytes: 1 << 20)
    try body.withUnsafeBytes { try reader.feed($0) }
    let form = try reader.finish()
    #expect(form.fields["phone_column"] == "phone")
    #expect(form.filename == "a;\"b\".csv")
    let file = try #require(form.file)
    #expect(FileManager.default.contents(atPath: file.path) == Data("phone\r\n2123682000".utf8))
    #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"x y\"") == "x y")
    let unfinished = StreamingForm(boundary: "b", files: files, maximumFileBytes: 1 << 20)
    try Array("--b\r\nno end".utf8).withUnsafeBytes { try unfinished.feed($0) }
    #expect(throws: StreamingForm.Refusal.self) { _ = try unfinished.finish() }
    unfinished.abandon()
  }

  @Test func csvBuilderQuotesWhatNeedsIt() {
    var csv = CSVBuilder()
    csv.row(["a", "b,c", "say \"hi\"", " x", "line\nbreak"])
    #expect(String(decoding: csv.bytes, as: UTF8.self) == "a,\"b,c\",\"say \"\"hi\"\"\",\" x\",\"line\nbreak\"\r\n")
  }

  @Test func rejectsFileEntriesKeepQuotedFields() {
    let text = "row,phone,reason\r\n5,\"1, 2\",not_a_number\r\n7,\"a\nb\",too_short\r\n"
    let entries = RejectsFile.entries(Array(text.utf8))
    #expect(entries.map(\.0) == [5, 7])
    #expect(entries.map(\.1) == ["not_a_number", "too_short"])
  }
}
