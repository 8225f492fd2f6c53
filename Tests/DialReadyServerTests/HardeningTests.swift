import Foundation
import Testing

@testable import DialReadyServer

/// Hostile or unlucky requests: private webhook targets, huge contact rows, long boundaries, identical
/// concurrent uploads, uploads that keep stopping the server.
@Suite("Server hardening")
struct HardeningTests {
  @Test func everySpecialPurposeAddressIsRefusedAsAWebhookTarget() throws {
    let special = [
      "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
      "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
      "192.0.0.8", "192.0.2.10", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "192.88.99.1",
      "::", "::1", "::127.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "64:ff9b:1::1", "100::1",
      "2001::1", "2001:db8::1", "2002:7f00:1::1", "3fff::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1",
    ]
    for text in special {
      let address = try #require(IPAddress(text), "\(text)")
      #expect(address.isSpecialPurpose, "\(text)")
    }
    for text in ["8.8.8.8", "172.32.0.1", "192.169.1.1", "100.128.0.1", "198.20.0.1", "2606:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8"] {
      let address = try #require(IPAddress(text), "\(text)")
      #expect(!address.isSpecialPurpose, "\(text)")
    }
  }

  @Test func webhooksAndCallbacksToPrivateHostsAreRefusedByDefault() async throws {
    let harness = try ServerHarness { $0.allowPrivateWebhookHosts = false }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      for url in ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://169.254.169.254/latest", "http://[::1]/x"] {
        let reply = try await client.request(
          .post, "/api/v1/webhooks", key: key, contentType: "application/json",
          body: Array(try JSONSerialization.data(withJSONObject: ["url": url, "events": ["upload.created"], "secret": "s"])))
        #expect(reply.status == 400, "\(url)")
        #expect(reply.detail?.contains("--allow-private-webhooks") == true, "\(url)")
      }
      let contact = try await client.request(
        .post, "/api/v1/contacts", key: key, contentType: "application/json",
        body: Array(#"{"phone":"2123682049","callback_url":"http://10.0.0.5/cb"}"#.utf8))
      #expect(contact.status == 400)
    }
  }

  @Test func contactsWithTooManyDistinctKeysAre413() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      // Each contact brings a key of its own: the CSV would be 20,000 × 20,000 cells.
      let contacts = (0..<20_000).map { ["phone": "2123682049", "k\($0)": 1] as [String: Any] }
      let reply = try await client.postJSON(["contacts": contacts, "phone_column": "phone"], key: key)
      #expect(reply.status == 413)
      #expect(reply.detail?.contains("distinct keys") == true)
    }
  }

  @Test func boundariesOver70CharactersAreRefused() {
    #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "a", count: 70)) != nil)
    #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "a", count: 71)) == nil)
    // The search stays linear on a body built to defeat a naive one.
    let body = [UInt8](repeating: 97, count: 2_000_000)
    #expect(MultipartForm.find([UInt8](repeating: 97, count: 69) + [98], in: body, from: 0) == nil)
    #expect(MultipartForm.find(Array("ab".utf8), in: Array("aaab".utf8), from: 0) == 2)
  }

  @Test func identicalUploadsAtOnceAllSucceed() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let csv = ServerHarness.csv(ServerHarness.numbers(120))
      let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
        for _ in 0..<6 {
          group.addTask {
            let reply = try await client.postFile(csv, filename: "same.csv", fields: ["phone_column": "phone"], key: key)
            return (reply.status, reply.json["storage_path"] as? String)
          }
        }
        return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
      }
      #expect(statuses.allSatisfy { $0.0 == 200 })
      #expect(Set(statuses.map(\.1)).count == 1)
      let stored = try #require(statuses.first?.1)
      #expect(FileManager.default.contents(atPath: harness.directory + "/" + stored) == Data(csv))
    }
    // Nothing is left in tmp/ or work/.
    #expect(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/tmp").isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/work").isEmpty)
  }

  @Test func refusedUploadsLeaveNoFiles() async throws {
    let harness = try ServerHarness()
    let (_, key) = try harness.organization("poor", credits: 10)
    try await harness.run { (client) async throws -> Void in
      #expect(try await client.postJSON(["phone_numbers": ServerHarness.numbers(50)], key: key).status == 422)
      #expect(try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key).status == 402)
    }
    // The originals (CSV built from the JSON numbers, "phone" header) are gone; tmp/ and work/ are empty.
    let root = harness.directory + "/files"
    let stored = FileManager.default.enumerator(atPath: root)?.allObjects.compactMap { $0 as? String } ?? []
    let originals = stored.filter { FileManager.default.contents(atPath: root + "/" + $0)?.starts(with: Array("phone\r\n".utf8)) == true }
    #expect(originals.isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/tmp").isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/work").isEmpty)
  }

  @Test func anUploadThatKeepsStoppingTheServerIsFailedNotRetriedForever() throws {
    let harness = try ServerHarness()
    let org = try harness.store.createOrganization(name: "acme", credits: 10, subscription: true, at: Date())
    _ = try harness.store.createUpload(UploadLifecycleTests.record(id: "crashy", org: org, at: Timestamp.string(Date())))
    for _ in 0..<SQLiteStore.maximumJobAttempts {
      #expect(try harness.store.claimJob(at: Date())?.id == "crashy")
      #expect(try harness.store.requeueInterruptedJobs() == 1)  // the server died; a new one starts
    }
    #expect(try harness.store.claimJob(at: Date()) == nil)
    let upload = try #require(try harness.store.upload(id: "crashy"))
    #expect(upload.status == .failed)
    #expect(upload.errorMessage?.contains("3 times") == true)
    #expect(try harness.store.pendingJobCount() == 0)
  }

  @Test func aStartingServerRemovesWhatAKilledOneLeftInTmpAndWork() async throws {
    let harness = try ServerHarness()
    let files = try FileStore(root: harness.directory)
    FileManager.default.createFile(atPath: harness.directory + "/tmp/abc.csv", contents: Data("x".utf8))
    try FileManager.default.createDirectory(atPath: harness.directory + "/work/validate-1.dialready", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: harness.directory + "/work/keep.dialready", withIntermediateDirectories: true)
    files.removeLeftovers()
    #expect(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/tmp").isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/work") == ["keep.dialready"])
  }
}
