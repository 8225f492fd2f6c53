import Foundation

/// The events a webhook can subscribe to; each payload carries the full resource.
public enum EventType: String, Sendable, CaseIterable {
  case uploadCreated = "upload.created"
  case uploadProcessing = "upload.processing"
  case uploadCompleted = "upload.completed"
  case uploadFailed = "upload.failed"
  case uploadCancelled = "upload.cancelled"
  case contactCompleted = "contact.completed"
  case contactFailed = "contact.failed"
}

/// A registered webhook endpoint of an organization.
public struct WebhookRecord: Sendable, Equatable {
  public var id: String
  public var organizationId: String
  public var url: String
  public var events: [String]
  /// The HMAC-SHA256 key deliveries are signed with.
  public var secret: String
  public var createdAt: String
  public var updatedAt: String
}

/// One event waiting for (or done with) delivery to one endpoint: a registered webhook or a
/// contact's `callback_url`. Written in the transaction of the state change it reports.
public struct OutboxEvent: Sendable, Equatable {
  public var seq: Int64
  /// The event's id, shared by every endpoint it goes to (`evt_…`).
  public var eventId: String
  public var type: String
  /// The organization whose event it is.
  public var organizationId: String
  public var webhookId: String?
  public var url: String
  public var secret: String?
  /// The exact body to POST.
  public var payload: String
  /// Attempts made so far.
  public var attempts: Int
  /// `pending`, `delivered` or `failed` (out of attempts).
  public var state: String
}

/// One delivery attempt.
public struct DeliveryAttempt: Sendable, Equatable {
  public var eventId: String
  public var type: String
  public var attempt: Int
  /// The receiver's status, or `nil` when the request never completed.
  public var statusCode: Int?
  public var error: String?
  public var latencyMilliseconds: Int
  public var attemptedAt: String
}

/// A one-number classification request (`POST /api/v1/contacts`).
public struct ContactRecord: Sendable, Equatable {
  public var id: String
  public var organizationId: String
  public var apiKeyId: String?
  /// E.164.
  public var phone: String
  /// The caller's `properties` object, as JSON text.
  public var properties: String
  /// `queued`, `processing`, `completed`, `failed` or `discarded`.
  public var status: String
  public var creditsCharged: Int
  public var createdAt: String
  public var updatedAt: String
  public var optimaldialStatus: String?
  public var errorMessage: String?
  public var callbackURL: String?
  public var callbackSecret: String?
  public var idempotencyKey: String?
}

extension ContactRecord {
  /// The reference's Contact object.
  public var json: JSONValue {
    .ordered([
      ("id", .string(id)), ("organization_id", .string(organizationId)), ("phone", .string(phone)),
      ("properties", .raw(properties)), ("status", .string(status)), ("credits_charged", .int(creditsCharged)),
      ("created_at", .string(createdAt)), ("updated_at", .string(updatedAt)),
      ("optimaldial_status", .optional(optimaldialStatus)), ("error_message", .optional(errorMessage)),
    ])
  }
}

extension WebhookRecord {
  /// The webhook as the API shows it; the secret is never shown again.
  public var json: JSONValue {
    .ordered([
      ("id", .string(id)), ("url", .string(url)), ("events", .array(events.map(JSONValue.string))),
      ("created_at", .string(createdAt)), ("updated_at", .string(updatedAt)),
    ])
  }
}

extension DeliveryAttempt {
  public var json: JSONValue {
    .ordered([
      ("event_id", .string(eventId)), ("event", .string(type)), ("attempt", .int(attempt)),
      ("status_code", .optional(statusCode)), ("error", .optional(error)), ("latency_ms", .int(latencyMilliseconds)),
      ("attempted_at", .string(attemptedAt)),
    ])
  }
}
