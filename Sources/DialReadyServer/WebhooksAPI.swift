import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/webhooks`: register, list, read, change and remove endpoints, and list their deliveries.
/// Registering an endpoint or changing its URL sends a signed ping that must get a 2xx.
struct WebhooksAPI: APIHandlers {
  let configuration: ServerConfiguration
  let store: any ServerStore
  let rateLimiter: RateLimiter
  let targets: WebhookTargets

  func register(on router: Router<ServerContext>) {
    let hooks = router.group("/api/v1/webhooks")
    hooks.post { request, _ in try await create(request) }
    hooks.get { request, _ in try await onStore { try list(request) } }
    hooks.get(":id") { request, context in try await onStore { try retrieve(request, context) } }
    hooks.patch(":id") { request, context in try await update(request, context) }
    hooks.delete(":id") { request, context in try await onStore { try remove(request, context) } }
    hooks.get(":id/deliveries") { request, context in try await onStore { try deliveries(request, context) } }
  }

  func create(_ request: Request) async throws -> Response {
    let (_, organization) = try await onStore {
      let (key, organization) = try authenticate(request)
      try checkWrite(key: key, organization: organization, subscription: false)
      return (key, organization)
    }
    let body = try await jsonObject(request)
    guard let url = body["url"] as? String else { throw APIError(.badRequest, "Missing required field: url") }
    let events = try Self.events(body["events"])
    guard let secret = body["secret"] as? String, !secret.isEmpty else {
      throw APIError(.badRequest, "Missing required field: secret")
    }
    let id = UUID().uuidString.lowercased()
    try await ping(try await targets.target(url), secret: secret, webhookId: id)
    let (store, now) = (self.store, clock.now())
    let hook = try await onStore {
      try store.createWebhook(id: id, organizationId: organization.id, url: url, events: events, secret: secret, at: now)
    }
    return json(hook.json)
  }

  func list(_ request: Request) throws -> Response {
    let (_, organization) = try authenticate(request)
    return json(.ordered([("data", .array(try store.webhooks(organizationId: organization.id).map(\.json)))]))
  }

  func retrieve(_ request: Request, _ context: ServerContext) throws -> Response {
    let (_, organization) = try authenticate(request)
    return json(try hook(context, organization).json)
  }

  func update(_ request: Request, _ context: ServerContext) async throws -> Response {
    var hook = try await onStore {
      let (key, organization) = try authenticate(request)
      try checkWrite(key: key, organization: organization, subscription: false)
      return try self.hook(context, organization)
    }
    let body = try await jsonObject(request)
    if let secret = body["secret"] {
      guard let text = secret as? String, !text.isEmpty else { throw APIError(.badRequest, "secret must be a non-empty string") }
      hook.secret = text
    }
    if body["events"] != nil { hook.events = try Self.events(body["events"]) }
    if let url = body["url"] {
      guard let text = url as? String else { throw APIError(.badRequest, "url must be a string") }
      let target = try await targets.target(text)
      if text != hook.url { try await ping(target, secret: hook.secret, webhookId: hook.id) }
      hook.url = text
    }
    hook.updatedAt = Timestamp.string(clock.now())
    let (store, updated) = (self.store, hook)
    try await onStore { try store.updateWebhook(updated) }
    return json(hook.json)
  }

  func remove(_ request: Request, _ context: ServerContext) throws -> Response {
    let (key, organization) = try authenticate(request)
    try checkWrite(key: key, organization: organization, subscription: false)
    let id = try context.parameters.require("id")
    guard try store.deleteWebhook(id: id, organizationId: organization.id) else { throw APIError.notFound }
    return json(.ordered([("id", .string(id)), ("deleted", .bool(true))]))
  }

  func deliveries(_ request: Request, _ context: ServerContext) throws -> Response {
    let (_, organization) = try authenticate(request)
    let hook = try hook(context, organization)
    let (limit, _) = try page(request)
    return json(.ordered([("data", .array(try store.deliveries(webhookId: hook.id, limit: limit).map(\.json)))]))
  }

  // MARK: Helpers

  func hook(_ context: ServerContext, _ organization: Organization) throws -> WebhookRecord {
    let id = try context.parameters.require("id")
    guard let hook = try store.webhook(id: id, organizationId: organization.id) else { throw APIError.notFound }
    return hook
  }

  /// The reference's `ping_failed` 400 unless the endpoint answers the signed ping with a 2xx.
  func ping(_ target: WebhookTargets.Target, secret: String, webhookId: String) async throws {
    let (status, error) = await WebhookDispatcher.ping(
      target, targets: targets, secret: secret, webhookId: webhookId, timeout: configuration.webhookTimeout)
    if let status, (200..<300).contains(status) { return }
    throw APIError(
      .badRequest,
      object: [
        "error": .string("ping_failed"),
        "message": .string("Endpoint did not respond 2xx to the ping challenge. Verify signature, then retry."),
        "status_code": status.map(JSONValue.int) ?? .null, "underlying_error": error.map(JSONValue.string) ?? .null,
      ])
  }

  static func events(_ value: Any?) throws -> [String] {
    guard let list = value as? [String], !list.isEmpty else {
      throw APIError(.badRequest, "events must be a non-empty array of event types")
    }
    let known = Set(EventType.allCases.map(\.rawValue))
    if let unknown = list.first(where: { !known.contains($0) }) {
      throw APIError(.badRequest, "Unknown event type '\(unknown)'; known: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    var seen = Set<String>()
    return list.filter { seen.insert($0).inserted }
  }
}
