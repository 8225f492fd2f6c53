import Foundation
import Testing

@testable import DialReadyServer

/// A store that holds one organization's upload charges until the test lets them go.
final class PausingStore: SQLiteStore, @unchecked Sendable {
  private let lock = NSLock()
  private var paused: String?
  private var waiting = false
  private let proceed = DispatchSemaphore(value: 0)

  /// Pauses `organizationId`'s next `createUpload` until ``resume()``.
  func pause(_ organizationId: String) { lock.withLock { paused = organizationId } }

  /// Whether a paused `createUpload` is waiting.
  var isWaiting: Bool { lock.withLock { waiting } }

  func resume() { proceed.signal() }

  override func createUpload(_ upload: UploadRecord) throws -> UploadRecord {
    let pause: Bool = lock.withLock {
      guard paused == upload.organizationId else { return false }
      paused = nil
      waiting = true
      return true
    }
    if pause { _ = proceed.wait(timeout: .now() + 20) }
    return try super.createUpload(upload)
  }
}

/// Content-addressed files shared by identical uploads.
@Suite("Shared stored files")
struct SharedFileTests {
  /// Two organizations upload the same file at once; one is refused with 402 after the other's upload
  /// took the same stored original. The refused upload's clean-up must leave that file in place.
  @Test func aRefusedUploadNeverRemovesAFileAnotherUploadHolds() async throws {
    var harness = try ServerHarness(workers: 0)
    let store = try PausingStore(path: harness.directory + "/dialready.sqlite")
    harness.store = store
    let (poor, poorKey) = try harness.organization("poor", credits: 50)
    let (_, richKey) = try harness.organization("rich")
    let directory = harness.directory
    let csv = ServerHarness.csv(ServerHarness.numbers(120))
    try await harness.run { client in
      store.pause(poor.id)
      // The poor organization's upload stores the original first, then waits at its charge.
      let refused = Task {
        try await client.onOwnConnection { connection in
          try await connection.postFile(csv, filename: "same.csv", fields: ["phone_column": "phone"], key: poorKey)
        }
      }
      #expect(try await eventually { store.isWaiting })
      // Meanwhile the same content is uploaded by another organization and accepted.
      let accepted = try await client.postFile(csv, filename: "same.csv", fields: ["phone_column": "phone"], key: richKey)
      #expect(accepted.status == 200, "\(accepted.text)")
      store.resume()
      #expect(try await refused.value.status == 402)
      let stored = try #require(accepted.json["storage_path"] as? String)
      #expect(FileManager.default.contents(atPath: directory + "/" + stored) == Data(csv))
      let id = try #require(accepted.json["id"] as? String)
      let link = try await client.request(.get, "/api/v1/uploads/\(id)/download/original", key: richKey)
      let url = try #require(link.json["download_url"] as? String)
      let path = String(url[try #require(url.range(of: "/files/")).lowerBound...])
      #expect(try await client.request(.get, path, key: nil).body == csv)
    }
  }

  @Test func aFileIsRemovedOnlyWhenNoHoldAndNoRowRemain() throws {
    let root = NSTemporaryDirectory() + "dialready-files-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let files = try FileStore(root: root)
    let bytes = Array("phone\r\n2123682000\r\n".utf8)
    let first = try bytes.withUnsafeBytes { try files.commit(try files.stage($0, ext: "csv")) }
    let second = try bytes.withUnsafeBytes { try files.commit(try files.stage($0, ext: "csv")) }
    #expect(first.storagePath == second.storagePath)
    // The first request is refused while the second still holds the file.
    #expect(!files.releaseRemovingIfUnused(first.storagePath) { _ in false })
    #expect(FileManager.default.fileExists(atPath: files.path(of: first.storagePath)))
    // Once the second has recorded it, a row refers to it.
    files.release(second.storagePath)
    let third = try bytes.withUnsafeBytes { try files.commit(try files.stage($0, ext: "csv")) }
    #expect(!files.releaseRemovingIfUnused(third.storagePath) { _ in true })
    #expect(FileManager.default.fileExists(atPath: files.path(of: first.storagePath)))
    // Nothing holds it and nothing refers to it: it goes.
    let fourth = try bytes.withUnsafeBytes { try files.commit(try files.stage($0, ext: "csv")) }
    #expect(files.releaseRemovingIfUnused(fourth.storagePath) { _ in false })
    #expect(!FileManager.default.fileExists(atPath: files.path(of: first.storagePath)))
  }
}
