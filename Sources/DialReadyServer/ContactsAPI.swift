import DialReadyEngine
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/contacts`: one number classified in real time. The POST normalizes the number with the
/// engine (400 unless US/CA), charges one credit (402, 403 as uploads) and queues it; a worker
/// classifies it with the answer model and the events (`contact.completed`, `contact.failed`, and the
/// contact's own `callback_url`) go out through the outbox.
struct ContactsAPI: APIHandlers {
  let configuration: ServerConfiguration
  let store: any ServerStore
  let rateLimiter: RateLimiter
  let classifier: NumberClassifier
  let pool: JobWorkerPool
  let targets: WebhookTargets

  func register(on router: Router<ServerContext>) {
    let contacts = router.group("/api/v1/contacts")
    contacts.post { request, _ in try await create(request) }
    contacts.get { request, _ in try await onStore { try list(request) } }
    contacts.get(":id") { request, context in try await onStore { try retrieve(request, context) } }
  }

  func create(_ request: Request) async throws -> Response {
    let (key, organization) = try await onStore {
      let (key, organization) = try authenticate(request)
      try checkWrite(key: key, organization: organization)
      return (key, organization)
    }
    let body = try await jsonObject(request)
    guard let phone = body["phone"] as? String, !phone.isEmpty else { throw APIError(.badRequest, "Missing required field: phone") }
    var properties = "{}"
    if let value = body["properties"], !(value is NSNull) {
      guard let object = value as? [String: Any], let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      else { throw APIError(.badRequest, "properties must be an object") }
      properties = String(decoding: data, as: UTF8.self)
    }
    let idempotencyKey = body["idempotency_key"] as? String
    if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.count > 255 {
      throw APIError(.badRequest, "idempotency_key must be 1 to 255 characters")
    }
    let callbackURL = body["callback_url"] as? String
    if let callbackURL { _ = try await targets.target(callbackURL) }
    let callbackSecret = body["callback_secret"] as? String
    let classified = classifier.classify(phone, at: clock.now())
    guard let e164 = classified.e164 else {
      throw APIError(.badRequest, "phone is not a valid US or Canadian number (\(classified.reason ?? "invalid"))")
    }
    let now = Timestamp.string(clock.now())
    let contact = ContactRecord(
      id: UUID().uuidString.lowercased(), organizationId: organization.id, apiKeyId: key.id, phone: e164,
      properties: properties, status: "queued", creditsCharged: 1, createdAt: now, updatedAt: now,
      optimaldialStatus: nil, errorMessage: nil, callbackURL: callbackURL, callbackSecret: callbackSecret,
      idempotencyKey: idempotencyKey)
    let stored: ContactRecord
    let store = self.store
    do { stored = try await onStore { try store.createContact(contact).0 } } catch StoreError.insufficientCredits(let balance, let required) {
      throw APIError(HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), "Insufficient credits: \(required) required, \(balance) available")
    }
    pool.wakeContacts()
    return json(stored.json)
  }

  func list(_ request: Request) throws -> Response {
    let (_, organization) = try authenticate(request)
    let (limit, cursor) = try page(request)
    let (contacts, next) = try store.listContacts(organizationId: organization.id, limit: limit, after: cursor)
    return json(.ordered([("data", .array(contacts.map(\.json))), ("next_cursor", .optional(next?.token))]))
  }

  func retrieve(_ request: Request, _ context: ServerContext) throws -> Response {
    let (_, organization) = try authenticate(request)
    let id = try context.parameters.require("id")
    guard let contact = try store.contact(id: id, organizationId: organization.id) else { throw APIError.notFound }
    return json(contact.json)
  }
}
