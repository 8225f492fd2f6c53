import Foundation
import Testing

@testable import DialReadyServer

/// Upload bodies go to disk as they arrive and are refused as soon as they cross a limit.
@Suite("Request bodies")
struct RequestBodyTests {
  static func form(boundary: String, file: [UInt8], fields: [(String, String)]) -> [UInt8] {
    var body = Array("preamble to ignore\r\n".utf8)
    for (name, value) in fields {
      body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }
    body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
    body += file
    body += Array("\r\n--\(boundary)--\r\nepilogue".utf8)
    return body
  }

  @Test func aFormIsReadInAnyChunkingWithTheFileStraightToDisk() throws {
    let root = NSTemporaryDirectory() + "dialready-form-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let files = try FileStore(root: root)
    // File bytes that hold near-delimiters: the boundary without its leading CRLF, CRLF and "--" with
    // part of the boundary.
    let file = Array("phone\r\n2123682000\r\na--xyz\r\n-\r\n--xy\r\n--x".utf8) + [UInt8](repeating: 0x41, count: 5000)
    let body = Self.form(boundary: "xyz", file: file, fields: [("phone_column", "phone"), ("timezone", "America/New_York")])
    for chunk in [1, 2, 3, 7, 64, 1000, body.count] {
      let reader = StreamingForm(boundary: "xyz", files: files, maximumFileBytes: 1 << 20)
      var offset = 0
      while offset < body.count {
        let end = min(body.count, offset + chunk)
        try body[offset..<end].withUnsafeBytes { try reader.feed($0) }
        offset = end
      }
      let result = try reader.finish()
      #expect(result.fields == ["phone_column": "phone", "timezone": "America/New_York"], "chunk \(chunk)")
      #expect(result.filename == "a;b.csv")
      let staged = try #require(result.file)
      #expect(staged.ext == "csv")
      #expect(FileManager.default.contents(atPath: staged.path).map(Array.init) == file, "chunk \(chunk)")
      #expect(staged.size == file.count)
      files.discard(staged)
    }
  }

  @Test func formsThatCrossALimitAreRefusedWhileReading() throws {
    let root = NSTemporaryDirectory() + "dialready-form-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let files = try FileStore(root: root)
    func read(_ body: [UInt8], maximumFileBytes: Int = 1 << 20) -> (any Error)? {
      let reader = StreamingForm(boundary: "b", files: files, maximumFileBytes: maximumFileBytes)
      do {
        // In 4 KiB chunks; the refusal must come before the end.
        var offset = 0
        while offset < body.count {
          let end = min(body.count, offset + 4096)
          try body[offset..<end].withUnsafeBytes { try reader.feed($0) }
          offset = end
        }
        _ = try reader.finish()
        return nil
      } catch {
        reader.abandon()
        return error
      }
    }
    let big = Self.form(boundary: "b", file: [UInt8](repeating: 0x31, count: 300_000), fields: [])
    #expect(read(big, maximumFileBytes: 100_000) as? StreamingForm.Refusal == .fileTooLarge)
    let field = Self.form(boundary: "b", file: [1], fields: [("phone_column", String(repeating: "x", count: 70_000))])
    #expect(read(field) as? StreamingForm.Refusal == .fieldTooLarge("phone_column"))
    // A part header line of 16 MiB is refused at 16 KiB.
    let header = Array("--b\r\nContent-Disposition: form-data; name=\"".utf8) + [UInt8](repeating: 0x61, count: 16 << 20)
    guard case .malformed(let reason)? = read(header) as? StreamingForm.Refusal else {
      Issue.record("a 16 MiB header line was not refused")
      return
    }
    #expect(reason.contains("headers exceed"))
    let parts = Array(repeating: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n", count: 100).joined() + "--b--"
    #expect(read(Array(parts.utf8)) as? StreamingForm.Refusal == .tooManyParts)
    #expect(read(Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end".utf8)) != nil)
    // Nothing stays in tmp/.
    #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty)
  }

  @Test func oversizedUploadsAre413AndLeaveNothingBehind() async throws {
    let harness = try ServerHarness { $0.maximumBodyBytes = 1 << 20 }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      var csv = Array("id,phone\n".utf8)
      while csv.count < 3 << 20 { csv += Array("1,(212) 368-2000\n".utf8) }
      let file = try await client.postFile(csv, filename: "big.csv", fields: ["phone_column": "phone"], key: key)
      #expect(file.status == 413)
      #expect(file.detail?.contains("exceeds") == true, "\(file.text)")
      let json = try await client.postJSON(["phone_numbers": Array(repeating: "(212) 368-2000", count: 200_000)], key: key)
      #expect(json.status == 413)
      let header = try await client.request(
        .post, "/api/v1/uploads", key: key, contentType: "multipart/form-data; boundary=b",
        body: Array("--b\r\nContent-Disposition: form-data; name=\"".utf8) + [UInt8](repeating: 0x61, count: 900_000))
      #expect(header.status == 400)
      #expect(header.detail?.contains("headers exceed") == true, "\(header.text)")
      // Still serving, and an upload under the limit goes through.
      let fine = try await client.postFile(
        ServerHarness.csv(ServerHarness.numbers(120)), filename: "leads.csv", fields: ["phone_column": "phone"], key: key)
      #expect(fine.status == 200, "\(fine.text)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/tmp").isEmpty)
  }
}

/// JSON upload bodies are read from disk a field and an element at a time.
@Suite("JSON bodies")
struct JSONBodyTests {
  func read(_ text: String) throws -> (fields: [String: String], elements: [String]) {
    let path = NSTemporaryDirectory() + "dialready-json-\(UUID().uuidString).json"
    defer { unlink(path) }
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    var fields: [String: String] = [:]
    var elements: [String] = []
    try JSONBodyReader.read(path: path) { key, value in fields[key] = "\(value)" } element: { key, value in
      elements.append("\(key):\(value)")
    }
    return (fields, elements)
  }

  @Test func fieldsAndElementsComeOneByOne() throws {
    let (fields, elements) = try read(
      #" { "filename" : "a \"b\" ,}].csv", "phone_numbers": [ "212", 3125550100 , "x]}," ], "n": null, "o": {"k": [1, "]"]} } "#)
    #expect(fields["filename"] == #"a "b" ,}].csv"#)
    #expect(fields["phone_numbers"] != nil)
    #expect(fields["n"] != nil && fields["o"] != nil)
    #expect(elements == ["phone_numbers:212", "phone_numbers:3125550100", "phone_numbers:x]},"])
    #expect(try read(#"{"contacts": []}"#).elements.isEmpty)
  }

  @Test func malformedAndOversizedBodiesAreRefused() throws {
    for text in ["{not json", "[1]", #"{"a": 1"#, #"{"a": 1} x"#, #"{"phone_numbers": [1 2]}"#, #"{"a": tru}"#, #"{"a" 1}"#, #"{"a": "x}"#] {
      #expect(throws: JSONBodyReader.Refusal.self, "\(text)") { _ = try read(text) }
    }
    let big = "{\"filename\": \"" + String(repeating: "f", count: JSONBodyReader.maximumValueBytes) + "\"}"
    #expect {
      _ = try read(big)
    } throws: { error in
      if case JSONBodyReader.Refusal.valueTooLarge("filename") = error { return true }
      return false
    }
  }
}

extension JSONBodyTests {
  @Test func stringsReadTheSameWithAndWithoutEscapes() throws {
    let (fields, _) = try read(#"{"a": "plain", "b": "caf\u00e9 \"q\"", "c": "café", "d": ""}"#)
    #expect(fields == ["a": "plain", "b": #"café "q""#, "c": "café", "d": ""])
    #expect(throws: JSONBodyReader.Refusal.self) { _ = try read("{\"a\": \"tab\there\"}") }
    #expect(throws: JSONBodyReader.Refusal.self) { _ = try read("{\"a\": \"\u{01}\"}") }
  }
}

extension RequestBodyTests {
  /// The raw reply to `head` sent on its own to the server at `port` on loopback (no body follows).
  static func rawReply(_ head: String, port: Int) throws -> String {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo("localhost", String(port), &hints, &list) == 0 else { throw CocoaError(.fileReadUnknown) }
    defer { freeaddrinfo(list) }
    var node = list
    while let entry = node?.pointee {
      let fd = socket(entry.ai_family, entry.ai_socktype, entry.ai_protocol)
      defer { close(fd) }
      if fd >= 0, connect(fd, entry.ai_addr, entry.ai_addrlen) == 0 {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = Array(head.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reply = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &reply, reply.count, 0)
        return String(decoding: reply.prefix(max(0, count)), as: UTF8.self)
      }
      node = entry.ai_next
    }
    throw CocoaError(.fileReadUnknown)
  }

  /// A client that announces a body over the limit and waits for `100 Continue` gets the 413 instead,
  /// without sending a byte of the body.
  @Test func anAnnouncedOversizedBodyIsRefusedBeforeItIsSent() async throws {
    let harness = try ServerHarness { $0.maximumBodyBytes = 1 << 20 }
    let (_, key) = try harness.organization("acme")
    try await harness.run { client in
      let port = try #require(client.client.port)
      let head = """
        POST /api/v1/uploads HTTP/1.1\r
        Host: localhost\r
        Authorization: Bearer \(key)\r
        Content-Type: multipart/form-data; boundary=b\r
        Content-Length: 200000000\r
        Expect: 100-continue\r
        \r

        """
      let reply = try await Task.detached { try Self.rawReply(head, port: port) }.value
      #expect(reply.hasPrefix("HTTP/1.1 413"), "\(reply)")
      #expect(reply.contains("exceeds"))
    }
  }
}
