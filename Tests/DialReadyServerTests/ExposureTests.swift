import DialReadyEngine
import Foundation
import Testing

@testable import DialReadyServer

/// What the server shows of itself: download URLs only from --public-url off loopback, logs without
/// URL credentials or query strings, upload errors without server paths.
@Suite("Exposure")
struct ExposureTests {
  @Test func aNonLoopbackServerNeedsAPublicURL() {
    for host in ["0.0.0.0", "::", "192.168.1.10", "leads.example.com"] {
      #expect(ServerConfiguration.publicURLRefusal(host: host, publicURL: nil)?.contains("--public-url") == true, "\(host)")
      #expect(ServerConfiguration.publicURLRefusal(host: host, publicURL: "https://leads.example.com") == nil, "\(host)")
    }
    for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"] {
      #expect(ServerConfiguration.publicURLRefusal(host: host, publicURL: nil) == nil, "\(host)")
    }
    for url in ["leads.example.com", "ftp://leads.example.com", "https://u:p@leads.example.com", "https://leads.example.com/?a=1"] {
      #expect(ServerConfiguration.publicURLRefusal(host: "0.0.0.0", publicURL: url) != nil, "\(url)")
    }
  }

  @Test func logsNeverShowAURLsCredentialsOrQuery() async throws {
    let receiver = Receiver { event, _ in event == "ping" ? 200 : 500 }
    try await receiver.start()
    defer { receiver.stop() }
    let capture = LogCapture()
    var harness = try ServerHarness(workers: 1) {
      $0.webhookBackoff = 0.02
      $0.webhookTimeout = 3
    }
    harness.logger = capture.logger
    let (_, key) = try harness.organization("acme")
    let hookURL = "http://hookuser:hookpassword@127.0.0.1:\(receiver.port)/hook?token=hooktoken"
    let signature: String = try await harness.run { client in
      let hook = try await client.request(
        .post, "/api/v1/webhooks", key: key, contentType: "application/json",
        body: Array(try JSONSerialization.data(withJSONObject: ["url": hookURL, "events": ["upload.created"], "secret": "s"])))
      #expect(hook.status == 200, "\(hook.text)")
      let upload = try await client.postFile(
        ServerHarness.csv(ServerHarness.numbers(120)), filename: "leads.csv", fields: ["phone_column": "phone"], key: key)
      let id = try #require(upload.json["id"] as? String)
      // A signed download, fetched with its signature in the query.
      let link = try await client.request(.get, "/api/v1/uploads/\(id)/download/original", key: key)
      let url = try #require(link.json["download_url"] as? String)
      let path = String(url[try #require(url.range(of: "/files/")).lowerBound...])
      #expect(try await client.request(.get, path, key: nil).status == 200)
      #expect(try await eventually { capture.lines.contains { $0.contains("webhook delivery failed") } })
      return String(path[try #require(path.range(of: "signature=")).upperBound...])
    }
    let lines = capture.lines
    #expect(lines.contains { $0.contains("webhook delivery failed") && $0.contains("http://127.0.0.1:\(receiver.port)/hook") })
    for secret in ["hookuser", "hookpassword", "hooktoken", signature] {
      #expect(!lines.contains { $0.contains(secret) }, "\(secret)")
    }
  }

  @Test func storedUploadErrorsNeverNameServerPaths() async throws {
    let folder = NSTemporaryDirectory() + "dialready-operator-files-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let history = folder + "/history.csv"
    try Data("phone,timestamp,outcome\n2123682000,2026-11-01T15:00:00Z,answered\n".utf8).write(to: URL(fileURLWithPath: history))
    let harness = try ServerHarness(workers: 1) { $0.historyPath = history }
    let (_, key) = try harness.organization("acme")
    let message: String = try await harness.run { client in
      // The operator's history file breaks while the server runs: processing fails.
      try Data("phone,when\n2123682000,yesterday\n".utf8).write(to: URL(fileURLWithPath: history))
      let upload = try await client.postFile(
        ServerHarness.csv(ServerHarness.numbers(120)), filename: "leads.csv", fields: ["phone_column": "phone"], key: key)
      let id = try #require(upload.json["id"] as? String)
      #expect(
        try await eventually {
          try await client.request(.get, "/api/v1/uploads/\(id)", key: key).json["status"] as? String == "failed"
        })
      return try #require(try await client.request(.get, "/api/v1/uploads/\(id)", key: key).json["error_message"] as? String)
    }
    #expect(!message.contains(folder) && !message.contains("history.csv") && !message.contains(harness.directory), "\(message)")
    #expect(message.contains("operator"), "\(message)")
  }

  @Test func failureMessagesNameTheUploadNotTheServer() {
    let root = "/srv/dialready-data"
    let input = root + "/files/ab/abcdef.csv"
    let errors: [DialReadyError] = [
      .cannotCreateOutput(path: root + "/work/u1.dialready", errno: ENOSPC),
      .writeFailed(path: root + "/work/u1.dialready/processed.csv", errno: EIO),
      .outputNotReplaceable(path: root + "/work/u1.dialready"),
      .staleDNC(path: "/srv/dnc/national.dncx", ageDays: 40, maxDays: 31),
      .lookupColumnMissing(path: "/srv/lookups/carriers.csv", column: "line_type", columns: ["phone"]),
      .phoneColumnNotFound(path: input, columns: ["name"]),
    ]
    for error in errors {
      let message = UploadProcessor.publicMessage(error, inputPath: input, filename: "leads.csv", dataDirectory: root)
      #expect(!message.contains("/srv"), "\(message)")
    }
    let named = UploadProcessor.publicMessage(
      DialReadyError.phoneColumnNotFound(path: input, columns: ["name"]), inputPath: input, filename: "leads.csv", dataDirectory: root)
    #expect(named.hasPrefix("leads.csv: no phone column"))
    #expect(!UploadProcessor.publicMessage(FileStoreError.unreadable(path: input), inputPath: input, filename: "x", dataDirectory: root).contains("/srv"))
  }
}
