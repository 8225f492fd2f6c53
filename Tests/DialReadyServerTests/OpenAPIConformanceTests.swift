import Foundation
import HTTPTypes
import Testing
import Yams

@testable import DialReadyServer

/// Checks live responses against `openapi.yaml`: every status is documented for its operation, JSON
/// bodies match their schemas (types, required and extra fields, nulls, enums), and the documented
/// headers are present.
struct OpenAPISpec {
  let document: [String: Any]

  static func load() throws -> OpenAPISpec {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("openapi.yaml").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return OpenAPISpec(document: try #require(try Yams.load(yaml: text) as? [String: Any]))
  }

  /// Problems with one response; empty when it conforms.
  func problems(method: String, uri: String, reply: ServerHarness.Reply) -> [String] {
    let path = String(uri.prefix { $0 != "?" })
    guard let (template, item) = operationPath(path),
      let operation = item[method.lowercased()] as? [String: Any]
    else { return ["\(method) \(path): no such operation in openapi.yaml"] }
    guard let responses = operation["responses"] as? [String: Any],
      var response = responses[String(reply.status)] as? [String: Any]
    else { return ["\(method) \(template): status \(reply.status) is not documented"] }
    response = resolve(response)
    var found: [String] = []
    for (name, _) in (response["headers"] as? [String: Any]) ?? [:] where reply.headers.first(where: { $0.name.rawName.lowercased() == name.lowercased() }) == nil {
      found.append("\(method) \(template) \(reply.status): header \(name) missing")
    }
    guard let content = response["content"] as? [String: Any] else { return found }
    if let json = content["application/json"] as? [String: Any], let schema = json["schema"] as? [String: Any] {
      guard let body = try? JSONSerialization.jsonObject(with: Data(reply.body), options: [.fragmentsAllowed]) else {
        return found + ["\(method) \(template) \(reply.status): body is not JSON"]
      }
      found += validate(body, schema, at: "\(method) \(template) \(reply.status) body")
    }
    return found
  }

  private func operationPath(_ path: String) -> (String, [String: Any])? {
    let segments = path.split(separator: "/")
    for (template, item) in (document["paths"] as? [String: Any]) ?? [:] {
      let parts = template.split(separator: "/")
      guard parts.count == segments.count else { continue }
      if zip(parts, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }), let item = item as? [String: Any] {
        return (template, item)
      }
    }
    return nil
  }

  private func resolve(_ object: [String: Any]) -> [String: Any] {
    guard let ref = object["$ref"] as? String else { return object }
    var node: Any = document
    for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
    return resolve(node as? [String: Any] ?? [:])
  }

  private func validate(_ value: Any, _ rawSchema: [String: Any], at place: String) -> [String] {
    let schema = resolve(rawSchema)
    if let alternatives = schema["oneOf"] as? [[String: Any]] {
      let matching = alternatives.filter { validate(value, $0, at: place).isEmpty }.count
      return matching == 1 ? [] : ["\(place): matches \(matching) of the oneOf alternatives"]
    }
    if value is NSNull { return schema["nullable"] as? Bool == true ? [] : ["\(place): null where not nullable"] }
    var problems: [String] = []
    if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
      problems.append("\(place): \(value) is not one of \(allowed)")
    }
    let isBool = (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
    switch schema["type"] as? String {
    case "object":
      guard let object = value as? [String: Any] else { return ["\(place): not an object"] }
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for name in schema["required"] as? [String] ?? [] where object[name] == nil { problems.append("\(place): missing \(name)") }
      for (name, field) in object {
        if let propertySchema = properties[name] as? [String: Any] {
          problems += validate(field, propertySchema, at: "\(place).\(name)")
        } else if schema["additionalProperties"] as? Bool == false {
          problems.append("\(place): undocumented field \(name)")
        }
      }
    case "array":
      guard let array = value as? [Any] else { return ["\(place): not an array"] }
      if let items = schema["items"] as? [String: Any] {
        for (i, item) in array.enumerated() { problems += validate(item, items, at: "\(place)[\(i)]") }
      }
    case "string": if !(value is String) { problems.append("\(place): not a string") }
    case "integer":
      if isBool || !(value is NSNumber) || (value as! NSNumber).doubleValue.rounded() != (value as! NSNumber).doubleValue {
        problems.append("\(place): not an integer")
      }
    case "number": if isBool || !(value is NSNumber) { problems.append("\(place): not a number") }
    case "boolean": if !isBool { problems.append("\(place): not a boolean") }
    default: break
    }
    return problems
  }
}

@Suite("openapi.yaml")
struct OpenAPIConformanceTests {
  /// Expects every reply to conform; returns the statuses seen.
  static func check(_ replies: [(String, String, ServerHarness.Reply)], against spec: OpenAPISpec) -> Set<Int> {
    for (method, uri, reply) in replies {
      let problems = spec.problems(method: method, uri: uri, reply: reply)
      #expect(problems.isEmpty, "\(problems)")
    }
    return Set(replies.map(\.2.status))
  }

  /// Drives every operation through its success and error statuses and checks each response.
  @Test func everyResponseMatchesTheSpec() async throws {
    let spec = try OpenAPISpec.load()
    let harness = try ServerHarness(workers: 1) {
      $0.maximumBodyBytes = 64 * 1024
      $0.rateLimitPerKey = 3
    }
    let (_, key) = try harness.organization("acme")
    let (_, otherKey) = try harness.organization("globex")
    let (_, poorKey) = try harness.organization("poor", credits: 10)
    let (_, lapsedKey) = try harness.organization("lapsed", subscription: false)
    let replies: [(String, String, ServerHarness.Reply)] = try await harness.run { client in
      var log: [(String, String, ServerHarness.Reply)] = []
      func record(_ method: String, _ uri: String, _ reply: ServerHarness.Reply) { log.append((method, uri, reply)) }
      record("GET", "/healthz", try await client.request(.get, "/healthz", key: nil))
      let created = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100) + ["x"]], key: key)
      record("POST", "/api/v1/uploads", created)
      let id = try #require(created.json["id"] as? String)
      record("POST", "/api/v1/uploads", try await client.postJSON(["phone_numbers": ServerHarness.numbers(50)], key: key))
      record("POST", "/api/v1/uploads", try await client.postJSON(["filename": "x"], key: key))
      record("POST", "/api/v1/uploads", try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key))  // 429
      record("POST", "/api/v1/uploads", try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: nil))
      record("POST", "/api/v1/uploads", try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: poorKey))
      record("POST", "/api/v1/uploads", try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: lapsedKey))
      record("POST", "/api/v1/uploads", try await client.postFile(Array(repeating: 65, count: 70_000), filename: "a.csv", fields: ["phone_column": "p"], key: poorKey))
      record("POST", "/api/v1/uploads", try await client.request(.post, "/api/v1/uploads", key: otherKey, contentType: "text/plain", body: [65]))
      #expect(try await eventually { try harness.store.pendingJobCount() == 0 })
      for uri in [
        "/api/v1/uploads", "/api/v1/uploads?limit=1", "/api/v1/uploads?limit=500", "/api/v1/uploads/\(id)",
        "/api/v1/uploads/\(id)/errors", "/api/v1/uploads/\(id)/download/processed", "/api/v1/uploads/\(id)/download/bogus",
      ] {
        record("GET", uri, try await client.request(.get, uri, key: key))
      }
      record("GET", "/api/v1/uploads/\(id)", try await client.request(.get, "/api/v1/uploads/\(id)", key: otherKey))
      let link = try await client.request(.get, "/api/v1/uploads/\(id)/download/processed-filtered", key: key)
      let url = try #require(link.json["download_url"] as? String)
      let filePath = String(url[try #require(url.range(of: "/files/")).lowerBound...])
      record("GET", filePath, try await client.request(.get, filePath, key: nil))
      record("GET", filePath, try await client.request(.get, filePath + "0", key: nil))
      record("DELETE", "/api/v1/uploads/\(id)", try await client.request(.delete, "/api/v1/uploads/\(id)", key: otherKey))
      record("DELETE", "/api/v1/uploads/\(id)", try await client.request(.delete, "/api/v1/uploads/\(id)", key: otherKey))
      record("DELETE", "/api/v1/uploads/\(id)", try await client.request(.delete, "/api/v1/uploads/\(id)", key: lapsedKey))
      return log
    }
    #expect(Self.check(replies, against: spec) == [200, 400, 401, 402, 403, 404, 413, 415, 422, 429])
  }

  @Test func webhookAndContactResponsesMatchTheSpec() async throws {
    let spec = try OpenAPISpec.load()
    let receiver = Receiver { event, _ in event == "ping" ? 200 : 500 }
    try await receiver.start()
    defer { receiver.stop() }
    let harness = try ServerHarness(workers: 1) {
      $0.webhookBackoff = 0.01
      // Long enough for the first ping to the live receiver while the whole suite runs on two cores
      // (0.5 s failed once there); the refused port-9 registration waits it out once.
      $0.webhookTimeout = 3
      $0.rateLimitPerKey = 8
    }
    let (acme, key) = try harness.organization("acme")
    let (_, brokeKey) = try harness.organization("broke", credits: 0)
    let (_, lapsedKey) = try harness.organization("lapsed", subscription: false)
    // Contacts are writes too: a second key of the organization, with writes left this minute.
    let contactsKey = APIKeys.generate()
    _ = try harness.store.createAPIKey(
      organizationId: acme.id, keyHash: APIKeys.hash(contactsKey), prefix: APIKeys.prefix(contactsKey), at: Date())
    let replies: [(String, String, ServerHarness.Reply)] = try await harness.run { client in
      var log: [(String, String, ServerHarness.Reply)] = []
      func send(_ method: HTTPRequest.Method, _ uri: String, key: String?, _ object: Any?, type: String = "application/json") async throws -> ServerHarness.Reply {
        let body = try object.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let reply = try await client.request(method, uri, key: key, contentType: object == nil ? nil : type, body: body)
        log.append((method.rawValue, uri, reply))
        return reply
      }
      let hook = try await send(.post, "/api/v1/webhooks", key: key, ["url": receiver.url, "events": ["upload.created", "contact.completed"], "secret": "s"])
      let id = try #require(hook.json["id"] as? String)
      _ = try await send(.post, "/api/v1/webhooks", key: key, ["url": "http://127.0.0.1:9/", "events": ["upload.created"], "secret": "s"])
      _ = try await send(.post, "/api/v1/webhooks", key: key, ["url": receiver.url, "events": ["nope"], "secret": "s"])
      _ = try await send(.post, "/api/v1/webhooks", key: key, ["url": receiver.url], type: "text/plain")
      _ = try await send(.get, "/api/v1/webhooks", key: key, nil)
      _ = try await send(.get, "/api/v1/webhooks/\(id)", key: key, nil)
      _ = try await send(.get, "/api/v1/webhooks/\(id)", key: nil, nil)
      _ = try await send(.patch, "/api/v1/webhooks/\(id)", key: key, ["events": ["upload.created"]])
      _ = try await send(.patch, "/api/v1/webhooks/missing", key: key, ["events": ["upload.created"]])
      _ = try await client.postJSON(["phone_numbers": ServerHarness.numbers(100)], key: key)
      #expect(try await receiver.wait { $0.filter { $0.event == "upload.created" }.count == 6 })
      #expect(try await eventually { try harness.store.nextEventDue() == nil })
      _ = try await send(.get, "/api/v1/webhooks/\(id)/deliveries", key: key, nil)
      _ = try await send(.get, "/api/v1/webhooks/\(id)/deliveries?limit=0", key: key, nil)
      _ = try await send(.delete, "/api/v1/webhooks/\(id)", key: key, nil)
      _ = try await send(.delete, "/api/v1/webhooks/\(id)", key: key, nil)  // 429: the 9th write this minute
      let contact = try await send(.post, "/api/v1/contacts", key: contactsKey, ["phone": "2123682049", "properties": ["a": 1]])
      let contactId = try #require(contact.json["id"] as? String)
      _ = try await send(.post, "/api/v1/contacts", key: key, ["phone": "2123682049"])  // 429: the key's writes are spent
      _ = try await send(.post, "/api/v1/contacts", key: contactsKey, ["phone": "not a number"])
      _ = try await send(.post, "/api/v1/contacts", key: brokeKey, ["phone": "2123682049"])
      _ = try await send(.post, "/api/v1/contacts", key: lapsedKey, ["phone": "2123682049"])
      _ = try await send(.post, "/api/v1/contacts", key: contactsKey, ["phone": "2123682049"], type: "text/plain")
      #expect(try await eventually { try harness.store.contact(id: contactId, organizationId: contact.json["organization_id"] as! String)?.status == "completed" })
      _ = try await send(.get, "/api/v1/contacts/\(contactId)", key: key, nil)
      _ = try await send(.get, "/api/v1/contacts/missing", key: key, nil)
      _ = try await send(.get, "/api/v1/contacts?limit=1", key: key, nil)
      _ = try await send(.get, "/api/v1/contacts?cursor=@@", key: key, nil)
      return log
    }
    #expect(Self.check(replies, against: spec) == [200, 400, 401, 402, 403, 404, 415, 429])
  }
}
