import DialReadyServer
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `dialready serve` as a process: SIGTERM drains and exits 0; SIGKILL while jobs run loses nothing
/// and charges nothing twice once the server is restarted.
@Suite("dialready serve process", .serialized)
struct ServeProcessTests {
  /// A running `dialready serve` and the port it printed.
  final class Server {
    let process = Process()
    let port: Int

    init(data: String, workers: Int = 1) throws {
      process.executableURL = URL(fileURLWithPath: Command.binary)
      process.arguments = ["serve", "--port", "0", "--data", data, "--workers", String(workers), "--threads", "2", "--log-level", "warning"]
      let out = Pipe()
      process.standardOutput = out
      process.standardError = FileHandle.nullDevice
      try process.run()
      // "dialready: serving on http://127.0.0.1:PORT (…)"
      var line = Data()
      while !line.contains(10) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
      }
      let text = String(decoding: line, as: UTF8.self)
      guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
        let port = Int(text[range].split(separator: ":").last ?? "")
      else { throw CocoaError(.fileReadCorruptFile) }
      self.port = port
    }

    func request(_ method: String, _ path: String, key: String, json: Any? = nil) throws -> (Int, [String: Any]) {
      var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
      request.httpMethod = method
      request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
      if let json {
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
      }
      request.timeoutInterval = 60
      let done = DispatchSemaphore(value: 0)
      nonisolated(unsafe) var result: (Int, Data) = (0, Data())
      URLSession.shared.dataTask(with: request) { data, response, _ in
        result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data())
        done.signal()
      }.resume()
      done.wait()
      return (result.0, (try? JSONSerialization.jsonObject(with: result.1)) as? [String: Any] ?? [:])
    }
  }

  func setUp(_ scratch: Scratch) throws -> String {
    #expect(try Command.run(["admin", "create-org", "acme", "--credits", "1000000", "--data", scratch.path]).status == 0)
    let key = try Command.run(["admin", "create-key", "acme", "--data", scratch.path])
    #expect(key.status == 0)
    return key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func sigtermDrainsAndExitsZero() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let key = try setUp(scratch)
    let server = try Server(data: scratch.path)
    let (status, upload) = try server.request(
      "POST", "/api/v1/uploads", key: key, json: ["phone_numbers": (0..<20_000).map { String(format: "212368%04d", $0 % 10_000) + "" }])
    #expect(status == 200 || status == 422, "\(upload)")
    kill(server.process.processIdentifier, SIGTERM)
    server.process.waitUntilExit()
    #expect(server.process.terminationReason == .exit)
    #expect(server.process.terminationStatus == 0)
  }

  @Test func sigkillWhileJobsRunLosesNothingAndChargesOnce() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let key = try setUp(scratch)
    var ids: [String] = []
    var first: Server? = try Server(data: scratch.path)
    for batch in 0..<6 {
      // 20,000 distinct numbers per upload: area codes 212, 312, 415, …, exchange 368, every line.
      let area = ["212", "312", "415", "617", "713", "206"][batch]
      let numbers = (0..<20_000).map { "\(area)\(368 + $0 / 10_000)\(String(format: "%04d", $0 % 10_000))" }
      let (status, upload) = try first!.request("POST", "/api/v1/uploads", key: key, json: ["phone_numbers": numbers])
      #expect(status == 200, "\(upload)")
      ids.append(upload["id"] as? String ?? "")
    }
    kill(first!.process.processIdentifier, SIGKILL)
    first!.process.waitUntilExit()
    first = nil
    let store = try APIServer.openStore(dataDirectory: scratch.path)
    let statuses = try ids.map { try store.upload(id: $0)?.status }
    #expect(statuses.contains(.readyForProcessing) || statuses.contains(.processing))

    let second = try Server(data: scratch.path)
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline, try store.pendingJobCount() > 0 { Thread.sleep(forTimeInterval: 0.1) }
    for id in ids {
      let (status, upload) = try second.request("GET", "/api/v1/uploads/\(id)", key: key)
      #expect(status == 200)
      #expect(upload["status"] as? String == "completed")
      #expect(upload["valid_row_count"] as? Int == 20_000)
    }
    kill(second.process.processIdentifier, SIGTERM)
    second.process.waitUntilExit()
    let org = try #require(try store.organization("acme"))
    let ledger = try store.ledger(organizationId: org.id)
    #expect(ledger.filter { $0.reason == "upload_charge" }.count == 6)
    #expect(ledger.reduce(0) { $0 + $1.delta } == org.creditBalance)
    #expect(org.creditBalance == 1_000_000 - 6 * 20_000)
    // No engine work folder, lock or staging folder is left behind.
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path + "/work")) ?? ["?"]).isEmpty)
  }

  /// Off loopback, download URLs must come from --public-url, never from a request's Host header:
  /// serve refuses to start without it (exit 64, one line), before touching the data directory.
  /// (Addresses this machine does not have, so a server that did start would fail to bind, not hang.)
  @Test func serveRefusesANonLoopbackAddressWithoutPublicURL() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let data = scratch.path + "/data"
    for host in ["192.0.2.1", "203.0.113.5"] {
      let result = try Command.run(["serve", "--host", host, "--port", "0", "--data", data])
      #expect(result.status == 64, "\(host): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
      #expect(result.stderr.contains("--public-url"))
    }
    let malformed = try Command.run([
      "serve", "--host", "192.0.2.1", "--port", "0", "--data", data, "--public-url", "https://user:pw@leads.example/?token=t1",
    ])
    #expect(malformed.status == 64)
    #expect(!malformed.stderr.contains("pw") && !malformed.stderr.contains("token"), "\(malformed.stderr)")
    #expect(!FileManager.default.fileExists(atPath: data))
  }
}
