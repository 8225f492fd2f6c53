import Foundation
import Testing

@testable import DialReadyServer

/// What the server keeps on disk is private to its user.
@Suite("Stored data")
struct StoredDataTests {
  /// The permission bits of every entry under `root` that group or others could use.
  static func exposed(under root: String) throws -> [String] {
    var found: [String] = []
    let manager = FileManager.default
    let rootMode = (try manager.attributesOfItem(atPath: root)[.posixPermissions] as? Int) ?? 0
    if rootMode & 0o077 != 0 { found.append(". \(String(rootMode, radix: 8))") }
    for case let name as String in manager.enumerator(atPath: root) ?? FileManager.DirectoryEnumerator() {
      let mode = (try manager.attributesOfItem(atPath: root + "/" + name)[.posixPermissions] as? Int) ?? 0
      if mode & 0o077 != 0 { found.append("\(name) \(String(mode, radix: 8))") }
    }
    return found
  }

  @Test func theDataDirectoryAndEveryStoredFileArePrivate() async throws {
    let harness = try ServerHarness(workers: 1)
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let reply = try await client.postFile(
        ServerHarness.csv(ServerHarness.numbers(120)), filename: "leads.csv", fields: ["phone_column": "phone"], key: key)
      #expect(reply.status == 200, "\(reply.text)")
      let id = try #require(reply.json["id"] as? String)
      #expect(
        try await eventually {
          try await client.request(.get, "/api/v1/uploads/\(id)", key: key).json["status"] as? String == "completed"
        })
    }
    let files = FileManager.default.enumerator(atPath: harness.directory + "/files")?.allObjects.count ?? 0
    #expect(files > 4)
    #expect(FileManager.default.fileExists(atPath: harness.directory + "/dialready.sqlite-wal"))
    #expect(try Self.exposed(under: harness.directory) == [])
  }

  @Test func anExistingDataDirectoryIsMadePrivateOnOpen() throws {
    let directory = NSTemporaryDirectory() + "dialready-open-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    FileManager.default.createFile(atPath: directory + "/dialready.sqlite", contents: nil, attributes: [.posixPermissions: 0o644])
    _ = try APIServer.openStore(dataDirectory: directory)
    _ = try FileStore(root: directory)
    _ = try URLSigner.loadSecret(dataDirectory: directory)
    #expect(try Self.exposed(under: directory) == [])
  }
}
