import Foundation
import Testing

@testable import DialReadyServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `dialready serve` killed with SIGKILL while an event's delivery is in flight: the next server
/// delivers it (at least once).
@Suite("Webhook delivery across a kill", .serialized)
struct WebhookKillTests {
  /// The `dialready` binary `swift build` put beside this test bundle.
  static let binary: String = {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let beside = bundle.appendingPathComponent("dialready").path
    return FileManager.default.fileExists(atPath: beside) ? beside : bundle.deletingLastPathComponent().appendingPathComponent("dialready").path
  }()

  /// Starts `dialready serve` on any port; returns the process and its port.
  func serve(_ data: String) throws -> (Process, Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = ["serve", "--port", "0", "--data", data, "--workers", "0", "--webhook-backoff", "0.05", "--allow-private-webhooks", "--log-level", "error"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var text = ""
    while !text.contains("\n") {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      text += String(decoding: chunk, as: UTF8.self)
    }
    // "dialready: serving on http://127.0.0.1:PORT (…)"
    let address = text.range(of: #"127\.0\.0\.1:\d+"#, options: .regularExpression).map { text[$0] } ?? ""
    let port = Int(address.split(separator: ":").last ?? "") ?? 0
    return (process, port)
  }

  func post(_ port: Int, _ path: String, key: String, _ object: Any) async throws -> Int {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = "POST"
    request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = try JSONSerialization.data(withJSONObject: object)
    let (_, response) = try await URLSession.shared.data(for: request)
    return (response as? HTTPURLResponse)?.statusCode ?? 0
  }

  @Test func anEventInFlightWhenTheServerIsKilledIsDeliveredAfterRestart() async throws {
    // The receiver holds the first upload.created delivery for 3 s (the server is killed meanwhile).
    let receiver = Receiver(hold: { event, count in event == "upload.created" && count == 1 ? 3 : 0 })
    try await receiver.start()
    defer { receiver.stop() }
    let data = NSTemporaryDirectory() + "dialready-kill-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: data) }
    let store = try APIServer.openStore(dataDirectory: data)
    let org = try store.createOrganization(name: "acme", credits: 1_000, subscription: true, at: Date())
    let key = APIKeys.generate()
    _ = try store.createAPIKey(organizationId: org.id, keyHash: APIKeys.hash(key), prefix: APIKeys.prefix(key), at: Date())

    let (first, port) = try serve(data)
    #expect(try await post(port, "/api/v1/webhooks", key: key, ["url": receiver.url, "events": ["upload.created"], "secret": "s"]) == 200)
    let numbers = (0..<100).map { String(format: "212368%04d", 2000 + $0) }
    #expect(try await post(port, "/api/v1/uploads", key: key, ["phone_numbers": numbers]) == 200)
    #expect(try await receiver.wait(5) { $0.contains { $0.event == "upload.created" } })
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    // Killed mid-delivery: the attempt was never recorded, the event is still pending.
    #expect(try store.dueEvents(now: Date().timeIntervalSince1970 + 1, limit: 10).count == 1)

    let (second, _) = try serve(data)
    defer {
      kill(second.processIdentifier, SIGTERM)
      second.waitUntilExit()
    }
    #expect(try await receiver.wait(10) { $0.filter { $0.event == "upload.created" }.count == 2 })
    let bodies = receiver.deliveries.filter { $0.event == "upload.created" }.map(\.body)
    #expect(bodies.count == 2 && bodies.first == bodies.last)
    #expect(try await eventually(10) { try store.nextEventDue() == nil })
  }
}
