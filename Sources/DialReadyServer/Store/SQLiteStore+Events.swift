import Foundation
import GRDB

extension SQLiteStore {
  // MARK: The outbox

  /// Queues `type` for every endpoint of the organization subscribed to it, and for `callback` when
  /// given, in the caller's transaction: the event exists exactly when the state change does.
  static func enqueue(
    _ db: Database, _ type: EventType, organizationId: String, data: JSONValue, at: String,
    callback: (url: String, secret: String?)? = nil
  ) throws {
    let eventId = "evt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let payload = String(
      decoding: JSONValue.ordered([
        ("id", .string(eventId)), ("type", .string(type.rawValue)), ("created_at", .string(at)), ("data", data),
      ]).bytes(), as: UTF8.self)
    let now = Date().timeIntervalSince1970
    let hooks = try Row.fetchAll(
      db, sql: "SELECT id, url, events, secret FROM webhooks WHERE organization_id = ? ORDER BY created_at, id",
      arguments: [organizationId])
    for hook in hooks {
      let events: String = hook[2]
      guard Self.decodeEvents(events).contains(type.rawValue) else { continue }
      try db.execute(
        sql: """
          INSERT INTO outbox (event_id, type, organization_id, webhook_id, url, secret, payload, next_attempt_at, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [eventId, type.rawValue, organizationId, hook[0] as String, hook[1] as String, hook[3] as String, payload, now, at])
    }
    if let callback {
      try db.execute(
        sql: """
          INSERT INTO outbox (event_id, type, organization_id, webhook_id, url, secret, payload, next_attempt_at, created_at)
          VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)
          """,
        arguments: [eventId, type.rawValue, organizationId, callback.url, callback.secret, payload, now, at])
    }
  }

  static func decodeEvents(_ text: String) -> [String] {
    (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }

  static func encodeEvents(_ events: [String]) -> String {
    String(decoding: (try? JSONEncoder().encode(events)) ?? Data("[]".utf8), as: UTF8.self)
  }

  private static let eventColumns = "seq, event_id, type, webhook_id, url, secret, payload, attempts, state, organization_id"

  private static func event(row: Row) -> OutboxEvent {
    OutboxEvent(
      seq: row[0], eventId: row[1], type: row[2], organizationId: row[9], webhookId: row[3], url: row[4], secret: row[5],
      payload: row[6], attempts: row[7], state: row[8])
  }

  public func dueEvents(now: Double, limit: Int) throws -> [OutboxEvent] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.eventColumns) FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
          ORDER BY next_attempt_at, seq LIMIT ?
          """,
        arguments: [now, limit]
      ).map(Self.event(row:))
    }
  }

  public func claimDueEvents(now: Double, lease: Double, limit: Int, perOrganization: Int, perEndpoint: Int) throws
    -> [OutboxEvent]
  {
    try pool.write { db in
      // Each due event's place in its organization's and its endpoint's queue, after the events of
      // each held already; taken by place first (one round across organizations, then the next), then age.
      let events = try Row.fetchAll(
        db,
        sql: """
          WITH held AS (
            SELECT organization_id, COALESCE(webhook_id, url) AS endpoint FROM outbox
            WHERE state = 'pending' AND lease_until > ?1),
          due AS (
            SELECT seq, organization_id, COALESCE(webhook_id, url) AS endpoint, next_attempt_at FROM outbox
            WHERE state = 'pending' AND next_attempt_at <= ?1 AND lease_until <= ?1),
          ranked AS (
            SELECT seq, next_attempt_at,
              ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY next_attempt_at, seq)
                + (SELECT COUNT(*) FROM held h WHERE h.organization_id = due.organization_id) AS organization_place,
              ROW_NUMBER() OVER (PARTITION BY endpoint ORDER BY next_attempt_at, seq)
                + (SELECT COUNT(*) FROM held h WHERE h.endpoint = due.endpoint) AS endpoint_place
            FROM due)
          SELECT \(Self.eventColumns) FROM outbox JOIN ranked USING (seq)
          WHERE organization_place <= ?2 AND endpoint_place <= ?3
          ORDER BY organization_place, ranked.next_attempt_at, seq LIMIT ?4
          """,
        arguments: [now, perOrganization, perEndpoint, limit]
      ).map(Self.event(row:))
      for event in events {
        try db.execute(sql: "UPDATE outbox SET lease_until = ? WHERE seq = ?", arguments: [now + lease, event.seq])
      }
      return events
    }
  }

  public func releaseEventLeases() throws {
    try pool.write { db in try db.execute(sql: "UPDATE outbox SET lease_until = 0 WHERE state = 'pending'") }
  }

  public func nextEventDue() throws -> Double? {
    try pool.read { db in
      try Double.fetchOne(db, sql: "SELECT MIN(MAX(next_attempt_at, lease_until)) FROM outbox WHERE state = 'pending'")
    }
  }

  public func nextEventDue(after now: Double) throws -> Double? {
    try pool.read { db in
      try Double.fetchOne(
        db,
        sql: """
          SELECT MIN(MAX(next_attempt_at, lease_until)) FROM outbox
          WHERE state = 'pending' AND MAX(next_attempt_at, lease_until) > ?
          """,
        arguments: [now])
    }
  }

  public func recordAttempt(
    _ event: OutboxEvent, statusCode: Int?, error: String?, latencyMilliseconds: Int, delivered: Bool, retryAt: Double?,
    at: Date
  ) throws {
    try pool.write { db in
      // Only the holder of the attempt records it: a deleted endpoint's events (failed) and events
      // recorded meanwhile stay as they are.
      let attempt = event.attempts + 1
      let state = delivered ? "delivered" : (retryAt == nil ? "failed" : "pending")
      try db.execute(
        sql: """
          UPDATE outbox SET attempts = ?, state = ?, next_attempt_at = ?, lease_until = 0
          WHERE seq = ? AND state = 'pending' AND attempts = ?
          """,
        arguments: [attempt, state, retryAt ?? 0, event.seq, event.attempts])
      guard db.changesCount > 0 else { return }
      try db.execute(
        sql: """
          INSERT INTO deliveries (outbox_seq, webhook_id, event_id, type, attempt, status_code, error, latency_ms, attempted_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          event.seq, event.webhookId, event.eventId, event.type, attempt, statusCode, error, latencyMilliseconds,
          Timestamp.string(at),
        ])
    }
  }

  // MARK: Webhooks

  private static let webhookColumns = "id, organization_id, url, events, secret, created_at, updated_at"

  private static func webhook(row: Row) -> WebhookRecord {
    WebhookRecord(
      id: row[0], organizationId: row[1], url: row[2], events: decodeEvents(row[3]), secret: row[4], createdAt: row[5],
      updatedAt: row[6])
  }

  public func createWebhook(id: String, organizationId: String, url: String, events: [String], secret: String, at: Date) throws
    -> WebhookRecord
  {
    let now = Timestamp.string(at)
    let hook = WebhookRecord(
      id: id, organizationId: organizationId, url: url, events: events, secret: secret,
      createdAt: now, updatedAt: now)
    try pool.write { db in
      try db.execute(
        sql: "INSERT INTO webhooks (\(Self.webhookColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
        arguments: [hook.id, organizationId, url, Self.encodeEvents(events), secret, now, now])
    }
    return hook
  }

  public func webhooks(organizationId: String) throws -> [WebhookRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(Self.webhookColumns) FROM webhooks WHERE organization_id = ? ORDER BY created_at, id",
        arguments: [organizationId]
      ).map(Self.webhook(row:))
    }
  }

  public func webhook(id: String, organizationId: String) throws -> WebhookRecord? {
    try pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT \(Self.webhookColumns) FROM webhooks WHERE id = ? AND organization_id = ?",
        arguments: [id, organizationId]
      ).map(Self.webhook(row:))
    }
  }

  public func updateWebhook(_ hook: WebhookRecord) throws {
    try pool.write { db in
      try db.execute(
        sql: "UPDATE webhooks SET url = ?, events = ?, secret = ?, updated_at = ? WHERE id = ? AND organization_id = ?",
        arguments: [hook.url, Self.encodeEvents(hook.events), hook.secret, hook.updatedAt, hook.id, hook.organizationId])
      // Pending deliveries follow the endpoint to its new address and secret.
      try db.execute(
        sql: "UPDATE outbox SET url = ?, secret = ? WHERE webhook_id = ? AND state = 'pending'",
        arguments: [hook.url, hook.secret, hook.id])
    }
  }

  public func deleteWebhook(id: String, organizationId: String) throws -> Bool {
    try pool.write { db in
      try db.execute(sql: "DELETE FROM webhooks WHERE id = ? AND organization_id = ?", arguments: [id, organizationId])
      guard db.changesCount > 0 else { return false }
      try db.execute(sql: "UPDATE outbox SET state = 'failed' WHERE webhook_id = ? AND state = 'pending'", arguments: [id])
      return true
    }
  }

  public func deliveries(webhookId: String, limit: Int) throws -> [DeliveryAttempt] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT event_id, type, attempt, status_code, error, latency_ms, attempted_at FROM deliveries
          WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?
          """,
        arguments: [webhookId, limit]
      ).map { row in
        DeliveryAttempt(
          eventId: row[0], type: row[1], attempt: row[2], statusCode: row[3], error: row[4], latencyMilliseconds: row[5],
          attemptedAt: row[6])
      }
    }
  }

  // MARK: Contacts

  private static let contactColumns = """
    id, organization_id, api_key_id, phone, properties, status, credits_charged, created_at, updated_at, \
    optimaldial_status, error_message, callback_url, callback_secret, idempotency_key
    """

  static func contact(row: Row) -> ContactRecord {
    ContactRecord(
      id: row[0], organizationId: row[1], apiKeyId: row[2], phone: row[3], properties: row[4], status: row[5],
      creditsCharged: row[6], createdAt: row[7], updatedAt: row[8], optimaldialStatus: row[9], errorMessage: row[10],
      callbackURL: row[11], callbackSecret: row[12], idempotencyKey: row[13])
  }

  public func createContact(_ contact: ContactRecord) throws -> (ContactRecord, created: Bool) {
    try pool.write { db in
      if let key = contact.idempotencyKey,
        let existing = try Row.fetchOne(
          db,
          sql: "SELECT \(Self.contactColumns) FROM contacts WHERE organization_id = ? AND api_key_id IS ? AND idempotency_key = ?",
          arguments: [contact.organizationId, contact.apiKeyId, key])
      {
        return (Self.contact(row: existing), false)
      }
      guard let org = try Self.organization(db, contact.organizationId) else {
        throw StoreError.organizationNotFound(contact.organizationId)
      }
      if org.creditBalance < 1 { throw StoreError.insufficientCredits(balance: org.creditBalance, required: 1) }
      var stored = contact
      stored.status = "queued"
      stored.creditsCharged = 1
      try db.execute(
        sql: "INSERT INTO contacts (\(Self.contactColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        arguments: [
          stored.id, stored.organizationId, stored.apiKeyId, stored.phone, stored.properties, stored.status,
          stored.creditsCharged, stored.createdAt, stored.updatedAt, stored.optimaldialStatus, stored.errorMessage,
          stored.callbackURL, stored.callbackSecret, stored.idempotencyKey,
        ])
      try Self.post(db, org: org.id, delta: -1, reason: "contact_charge", upload: stored.id, at: stored.createdAt)
      return (stored, true)
    }
  }

  public func contact(id: String, organizationId: String) throws -> ContactRecord? {
    try pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT \(Self.contactColumns) FROM contacts WHERE id = ? AND organization_id = ?",
        arguments: [id, organizationId]
      ).map(Self.contact(row:))
    }
  }

  public func listContacts(organizationId: String, limit: Int, after cursor: UploadCursor?) throws -> (
    [ContactRecord], UploadCursor?
  ) {
    try pool.read { db in
      try Self.newestFirst(
        db, select: "SELECT \(Self.contactColumns) FROM contacts", organizationId: organizationId, limit: limit,
        after: cursor, decode: Self.contact(row:), key: { UploadCursor(createdAt: $0.createdAt, id: $0.id) })
    }
  }

  public func claimContact(at: Date) throws -> ContactRecord? {
    try pool.write { db in
      guard
        let id = try String.fetchOne(
          db, sql: "SELECT id FROM contacts WHERE status = 'queued' ORDER BY created_at, id LIMIT 1")
      else { return nil }
      try db.execute(
        sql: "UPDATE contacts SET status = 'processing', updated_at = ? WHERE id = ?", arguments: [Timestamp.string(at), id])
      return try Row.fetchOne(db, sql: "SELECT \(Self.contactColumns) FROM contacts WHERE id = ?", arguments: [id])
        .map(Self.contact(row:))
    }
  }

  public func finishContact(id: String, optimaldialStatus: String?, errorMessage: String?, at: Date) throws {
    try pool.write { db in
      let now = Timestamp.string(at)
      let status = errorMessage == nil ? "completed" : "failed"
      try db.execute(
        sql: """
          UPDATE contacts SET status = ?, optimaldial_status = ?, error_message = ?, updated_at = ?
          WHERE id = ? AND status = 'processing'
          """,
        arguments: [status, optimaldialStatus, errorMessage, now, id])
      guard db.changesCount > 0,
        let contact = try Row.fetchOne(db, sql: "SELECT \(Self.contactColumns) FROM contacts WHERE id = ?", arguments: [id])
          .map(Self.contact(row:))
      else { return }
      try Self.enqueue(
        db, errorMessage == nil ? .contactCompleted : .contactFailed, organizationId: contact.organizationId,
        data: contact.json, at: now, callback: contact.callbackURL.map { ($0, contact.callbackSecret) })
    }
  }

  public func requeueInterruptedContacts() throws -> Int {
    try pool.write { db in
      try db.execute(sql: "UPDATE contacts SET status = 'queued' WHERE status = 'processing'")
      return db.changesCount
    }
  }
}
