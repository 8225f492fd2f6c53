import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode (`DIR/dialready.sqlite`) through GRDB. Readers never
/// block the writer; SQLite serializes writes, which is what makes a charge, a cancel and a job claim
/// atomic with respect to each other.
public class SQLiteStore: ServerStore, @unchecked Sendable {
  let pool: DatabasePool

  /// Opens (creating and migrating when needed) the database at `path`.
  public init(path: String) throws {
    var config = Configuration()
    config.busyMode = .timeout(10)
    pool = try DatabasePool(path: path, configuration: config)
    try Self.migrator.migrate(pool)
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE organizations (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, owner_user_id TEXT NOT NULL,
            has_subscription INTEGER NOT NULL, credit_balance INTEGER NOT NULL, created_at TEXT NOT NULL);
          CREATE TABLE api_keys (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
            user_id TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
            created_at TEXT NOT NULL, revoked_at TEXT);
          CREATE TABLE uploads (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
            user_id TEXT NOT NULL, api_key_id TEXT, original_filename TEXT NOT NULL, storage_path TEXT NOT NULL,
            file_size_bytes INTEGER, status TEXT NOT NULL, valid_row_count INTEGER, invalid_row_count INTEGER,
            credits_required INTEGER, credits_charged INTEGER, credits_refunded INTEGER, source TEXT NOT NULL,
            skip_mobile_lookup INTEGER, processed_storage_path TEXT, processed_filtered_storage_path TEXT,
            error_message TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, phone_column TEXT NOT NULL,
            options TEXT NOT NULL, manifest_storage_path TEXT, rejects_storage_path TEXT);
          CREATE INDEX uploads_by_org_newest ON uploads(organization_id, created_at DESC, id DESC);
          CREATE TABLE credit_ledger (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, organization_id TEXT NOT NULL REFERENCES organizations(id),
            delta INTEGER NOT NULL, reason TEXT NOT NULL, upload_id TEXT, created_at TEXT NOT NULL);
          CREATE TABLE jobs (
            upload_id TEXT PRIMARY KEY REFERENCES uploads(id), organization_id TEXT NOT NULL,
            state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL);
          CREATE INDEX jobs_by_state ON jobs(state, seq);
          """)
    }
    migrator.registerMigration("v2-webhooks-contacts") { db in
      try db.execute(
        sql: """
          CREATE TABLE webhooks (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), url TEXT NOT NULL,
            events TEXT NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
          CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, type TEXT NOT NULL,
            organization_id TEXT NOT NULL, webhook_id TEXT, url TEXT NOT NULL, secret TEXT, payload TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending', next_attempt_at REAL NOT NULL,
            lease_until REAL NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
          CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
          CREATE TABLE deliveries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, outbox_seq INTEGER NOT NULL, webhook_id TEXT, event_id TEXT NOT NULL,
            type TEXT NOT NULL, attempt INTEGER NOT NULL, status_code INTEGER, error TEXT, latency_ms INTEGER NOT NULL,
            attempted_at TEXT NOT NULL);
          CREATE INDEX deliveries_by_webhook ON deliveries(webhook_id, seq DESC);
          CREATE TABLE contacts (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), api_key_id TEXT,
            phone TEXT NOT NULL, properties TEXT NOT NULL, status TEXT NOT NULL, credits_charged INTEGER NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, optimaldial_status TEXT, error_message TEXT,
            callback_url TEXT, callback_secret TEXT, idempotency_key TEXT,
            UNIQUE (organization_id, api_key_id, idempotency_key));
          CREATE INDEX contacts_by_org_newest ON contacts(organization_id, created_at DESC, id DESC);
          CREATE INDEX contacts_by_status ON contacts(status, created_at);
          """)
    }
    return migrator
  }

  // MARK: Organizations and keys

  public func createOrganization(name: String, credits: Int, subscription: Bool, at: Date) throws -> Organization {
    let now = Timestamp.string(at)
    return try pool.write { db in
      if try Bool.fetchOne(db, sql: "SELECT 1 FROM organizations WHERE name = ?", arguments: [name]) == true {
        throw StoreError.organizationExists(name)
      }
      let org = Organization(
        id: UUID().uuidString.lowercased(), name: name, ownerUserId: UUID().uuidString.lowercased(),
        hasSubscription: subscription, creditBalance: 0, createdAt: now)
      try db.execute(
        sql: "INSERT INTO organizations VALUES (?, ?, ?, ?, 0, ?)",
        arguments: [org.id, org.name, org.ownerUserId, org.hasSubscription, org.createdAt])
      if credits != 0 { try Self.post(db, org: org.id, delta: credits, reason: "grant", upload: nil, at: now) }
      return try Self.organization(db, org.id)!
    }
  }

  public func organization(_ nameOrId: String) throws -> Organization? {
    try pool.read { db in try Self.organization(db, nameOrId) }
  }

  public func listOrganizations() throws -> [(Organization, [APIKeyRecord])] {
    try pool.read { db in
      let orgs = try Row.fetchAll(db, sql: "SELECT \(Self.organizationColumns) FROM organizations ORDER BY created_at, id").map { Self.organization(row: $0) }
      return try orgs.map { org in
        let keys = try Row.fetchAll(
          db, sql: "SELECT \(Self.keyColumns) FROM api_keys WHERE organization_id = ? ORDER BY created_at, id", arguments: [org.id])
        return (org, keys.map(Self.apiKey(row:)))
      }
    }
  }

  public func createAPIKey(organizationId: String, keyHash: String, prefix: String, at: Date) throws -> APIKeyRecord {
    try pool.write { db in
      guard let org = try Self.organization(db, organizationId) else { throw StoreError.organizationNotFound(organizationId) }
      let key = APIKeyRecord(
        id: UUID().uuidString.lowercased(), organizationId: org.id, userId: org.ownerUserId, prefix: prefix,
        createdAt: Timestamp.string(at), revokedAt: nil)
      try db.execute(
        sql: "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, NULL)",
        arguments: [key.id, key.organizationId, key.userId, keyHash, key.prefix, key.createdAt])
      return key
    }
  }

  public func revokeAPIKey(_ idOrPrefix: String, at: Date) throws -> APIKeyRecord {
    try pool.write { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT \(Self.keyColumns) FROM api_keys WHERE id = ? OR prefix = ?", arguments: [idOrPrefix, idOrPrefix])
      guard rows.count == 1 else { throw StoreError.keyNotFound(idOrPrefix) }
      var key = Self.apiKey(row: rows[0])
      if key.revokedAt == nil {
        key.revokedAt = Timestamp.string(at)
        try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ?", arguments: [key.revokedAt, key.id])
      }
      return key
    }
  }

  public func addCredits(organizationId: String, credits: Int, at: Date) throws -> Int {
    try pool.write { db in
      guard let org = try Self.organization(db, organizationId) else { throw StoreError.organizationNotFound(organizationId) }
      try Self.post(db, org: org.id, delta: credits, reason: "grant", upload: nil, at: Timestamp.string(at))
      return try Self.organization(db, org.id)!.creditBalance
    }
  }

  public func ledger(organizationId: String) throws -> [LedgerEntry] {
    try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM credit_ledger WHERE organization_id = ? ORDER BY seq", arguments: [organizationId]
      ).map { row in
        LedgerEntry(
          organizationId: row["organization_id"], delta: row["delta"], reason: row["reason"], uploadId: row["upload_id"],
          createdAt: row["created_at"])
      }
    }
  }

  public func authenticate(keyHash: String) throws -> (APIKeyRecord, Organization)? {
    // One statement, so no transaction is needed for a consistent read.
    try pool.unsafeRead { db in
      guard let row = try Row.fetchOne(db.cachedStatement(sql: Self.authenticateSQL), arguments: [keyHash]) else { return nil }
      return (Self.apiKey(row: row), Self.organization(row: row, offset: 6))
    }
  }

  private static let authenticateSQL = """
    SELECT \(prefixed(keyColumns, "k")), \(prefixed(organizationColumns, "o"))
    FROM api_keys k JOIN organizations o ON o.id = k.organization_id
    WHERE k.key_hash = ? AND k.revoked_at IS NULL
    """

  private static func prefixed(_ columns: String, _ table: String) -> String {
    columns.split(separator: ",").map { "\(table).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
  }

  // MARK: Uploads

  public func createUpload(_ upload: UploadRecord) throws -> UploadRecord {
    try pool.write { db in
      guard let org = try Self.organization(db, upload.organizationId) else {
        throw StoreError.organizationNotFound(upload.organizationId)
      }
      let charge = upload.creditsRequired ?? 0
      if org.creditBalance < charge { throw StoreError.insufficientCredits(balance: org.creditBalance, required: charge) }
      var stored = upload
      stored.status = .readyForProcessing
      stored.creditsCharged = charge
      try Self.insert(db, stored)
      if charge != 0 {
        try Self.post(db, org: org.id, delta: -charge, reason: "upload_charge", upload: stored.id, at: stored.createdAt)
      }
      let seq = (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs")) ?? 1
      try db.execute(
        sql: "INSERT INTO jobs (upload_id, organization_id, state, seq) VALUES (?, ?, 'queued', ?)",
        arguments: [stored.id, org.id, seq])
      try Self.enqueue(db, .uploadCreated, organizationId: org.id, data: stored.json, at: stored.createdAt)
      return stored
    }
  }

  public func upload(id: String, organizationId: String) throws -> UploadRecord? {
    // One statement, so no transaction is needed for a consistent read.
    try pool.unsafeRead { db in
      let statement = try db.cachedStatement(sql: Self.uploadByIdSQL)
      return try Row.fetchOne(statement, arguments: [id, organizationId]).map(Self.upload(row:))
    }
  }

  private static let uploadByIdSQL = "SELECT \(uploadColumns) FROM uploads WHERE id = ? AND organization_id = ?"

  public func upload(id: String) throws -> UploadRecord? {
    try pool.read { db in
      try Row.fetchOne(db, sql: "SELECT \(Self.uploadColumns) FROM uploads WHERE id = ?", arguments: [id]).map(Self.upload(row:))
    }
  }

  public func listUploads(organizationId: String, limit: Int, after cursor: UploadCursor?) throws -> UploadPage {
    try pool.read { db in
      let (uploads, next) = try Self.newestFirst(
        db, select: "SELECT \(Self.uploadColumns) FROM uploads", organizationId: organizationId, limit: limit, after: cursor,
        decode: Self.upload(row:), key: { UploadCursor(createdAt: $0.createdAt, id: $0.id) })
      return UploadPage(uploads: uploads, next: next)
    }
  }

  /// One page of an organization's rows, newest first (`created_at DESC, id DESC`, a keyset that
  /// stays exact when timestamps are equal), after `cursor`; the cursor of the next page when more follow.
  static func newestFirst<T>(
    _ db: Database, select: String, organizationId: String, limit: Int, after cursor: UploadCursor?,
    decode: (Row) -> T, key: (T) -> UploadCursor
  ) throws -> ([T], UploadCursor?) {
    var sql = select + " WHERE organization_id = ?"
    var arguments: StatementArguments = [organizationId]
    if let cursor {
      sql += " AND (created_at < ? OR (created_at = ? AND id < ?))"
      arguments += [cursor.createdAt, cursor.createdAt, cursor.id]
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
    arguments += [limit + 1]
    var items = try Row.fetchAll(db, sql: sql, arguments: arguments).map(decode)
    guard items.count > limit else { return (items, nil) }
    items.removeLast()
    return (items, items.last.map(key))
  }

  public func cancelUpload(id: String, organizationId: String, at: Date) throws -> (UploadRecord, Int)? {
    try pool.write { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT \(Self.uploadColumns) FROM uploads WHERE id = ? AND organization_id = ?", arguments: [id, organizationId])
      else { return nil }
      var upload = Self.upload(row: row)
      guard upload.status == .readyForProcessing else { return (upload, 0) }
      let refund = upload.creditsCharged ?? 0
      let now = Timestamp.string(at)
      upload.status = .cancelled
      upload.creditsRefunded = refund
      upload.updatedAt = now
      try db.execute(
        sql: "UPDATE uploads SET status = 'cancelled', credits_refunded = ?, updated_at = ? WHERE id = ?",
        arguments: [refund, now, id])
      try db.execute(sql: "DELETE FROM jobs WHERE upload_id = ?", arguments: [id])
      if refund != 0 { try Self.post(db, org: organizationId, delta: refund, reason: "upload_refund", upload: id, at: now) }
      try Self.enqueue(db, .uploadCancelled, organizationId: organizationId, data: upload.json, at: now)
      return (upload, refund)
    }
  }

  public func isFileReferenced(_ storagePath: String) throws -> Bool {
    try pool.read { db in
      try Bool.fetchOne(
        db,
        sql: """
          SELECT EXISTS (SELECT 1 FROM uploads WHERE storage_path = ?1 OR processed_storage_path = ?1
            OR processed_filtered_storage_path = ?1 OR rejects_storage_path = ?1 OR manifest_storage_path = ?1)
          """,
        arguments: [storagePath]) ?? true
    }
  }

  // MARK: Job queue

  /// Claims beyond this many mean the upload keeps stopping the server: it is failed, not run again.
  static let maximumJobAttempts = 3

  public func claimJob(at: Date) throws -> UploadRecord? {
    try pool.write { db in
      let now = Timestamp.string(at)
      while true {
        guard
          let row = try Row.fetchOne(
            db,
            sql: """
              SELECT j.upload_id, j.attempts FROM jobs j WHERE j.state = 'queued'
              ORDER BY (SELECT COUNT(*) FROM jobs r WHERE r.state = 'running' AND r.organization_id = j.organization_id), j.seq
              LIMIT 1
              """)
        else { return nil }
        let uploadId: String = row[0]
        let attempts: Int = row[1]
        if attempts >= Self.maximumJobAttempts {
          try db.execute(
            sql: "UPDATE uploads SET status = 'failed', error_message = ?, updated_at = ? WHERE id = ?",
            arguments: ["processing stopped \(attempts) times without finishing; not tried again", now, uploadId])
          try db.execute(sql: "DELETE FROM jobs WHERE upload_id = ?", arguments: [uploadId])
          if let upload = try Self.upload(db, id: uploadId) {
            try Self.enqueue(db, .uploadFailed, organizationId: upload.organizationId, data: upload.json, at: now)
          }
          continue
        }
        try db.execute(
          sql: "UPDATE jobs SET state = 'running', attempts = attempts + 1 WHERE upload_id = ?", arguments: [uploadId])
        try db.execute(
          sql: "UPDATE uploads SET status = 'processing', updated_at = ? WHERE id = ? AND status != 'processing'",
          arguments: [now, uploadId])
        let started = db.changesCount > 0
        let upload = try Self.upload(db, id: uploadId)
        if started, let upload {
          try Self.enqueue(db, .uploadProcessing, organizationId: upload.organizationId, data: upload.json, at: now)
        }
        return upload
      }
    }
  }

  public func completeUpload(id: String, result: ProcessingResult, at: Date) throws {
    try pool.write { db in
      try db.execute(
        sql: """
          UPDATE uploads SET status = 'completed', processed_storage_path = ?, processed_filtered_storage_path = ?,
            rejects_storage_path = ?, manifest_storage_path = ?, error_message = NULL, updated_at = ?
          WHERE id = ? AND status = 'processing'
          """,
        arguments: [
          result.processedStoragePath, result.filteredStoragePath, result.rejectsStoragePath,
          result.manifestStoragePath, Timestamp.string(at), id,
        ])
      if db.changesCount > 0, let upload = try Self.upload(db, id: id) {
        try Self.enqueue(db, .uploadCompleted, organizationId: upload.organizationId, data: upload.json, at: upload.updatedAt)
      }
      try db.execute(sql: "DELETE FROM jobs WHERE upload_id = ?", arguments: [id])
    }
  }

  public func failUpload(id: String, message: String, at: Date) throws {
    try pool.write { db in
      try db.execute(
        sql: "UPDATE uploads SET status = 'failed', error_message = ?, updated_at = ? WHERE id = ? AND status = 'processing'",
        arguments: [message, Timestamp.string(at), id])
      if db.changesCount > 0, let upload = try Self.upload(db, id: id) {
        try Self.enqueue(db, .uploadFailed, organizationId: upload.organizationId, data: upload.json, at: upload.updatedAt)
      }
      try db.execute(sql: "DELETE FROM jobs WHERE upload_id = ?", arguments: [id])
    }
  }

  public func requeueInterruptedJobs() throws -> Int {
    try pool.write { db in
      try db.execute(sql: "UPDATE jobs SET state = 'queued' WHERE state = 'running'")
      return db.changesCount
    }
  }

  public func pendingJobCount() throws -> Int {
    try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs") ?? 0 }
  }

  public func checkHealth() throws {
    _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM organizations") }
  }

  // MARK: Rows

  static func upload(_ db: Database, id: String) throws -> UploadRecord? {
    try Row.fetchOne(db, sql: "SELECT \(uploadColumns) FROM uploads WHERE id = ?", arguments: [id]).map(upload(row:))
  }

  static func post(_ db: Database, org: String, delta: Int, reason: String, upload: String?, at: String) throws {
    try db.execute(
      sql: "INSERT INTO credit_ledger (organization_id, delta, reason, upload_id, created_at) VALUES (?, ?, ?, ?, ?)",
      arguments: [org, delta, reason, upload, at])
    try db.execute(
      sql: "UPDATE organizations SET credit_balance = credit_balance + ? WHERE id = ?", arguments: [delta, org])
  }

  static func organization(_ db: Database, _ nameOrId: String) throws -> Organization? {
    try Row.fetchOne(
      db, sql: "SELECT \(Self.organizationColumns) FROM organizations WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
      arguments: [nameOrId, nameOrId, nameOrId]
    ).map { organization(row: $0) }
  }

  /// Column lists in the order the decoders below read them (by index: name lookups cost more).
  static let organizationColumns = "id, name, owner_user_id, has_subscription, credit_balance, created_at"
  static let keyColumns = "id, organization_id, user_id, prefix, created_at, revoked_at"
  static let uploadColumns = "id, organization_id, user_id, api_key_id, original_filename, storage_path, file_size_bytes, status, valid_row_count, invalid_row_count, credits_required, credits_charged, credits_refunded, source, skip_mobile_lookup, processed_storage_path, processed_filtered_storage_path, error_message, created_at, updated_at, phone_column, options, manifest_storage_path, rejects_storage_path"

  private static func organization(row: Row, offset: Int = 0) -> Organization {
    Organization(
      id: row[offset], name: row[offset + 1], ownerUserId: row[offset + 2], hasSubscription: row[offset + 3],
      creditBalance: row[offset + 4], createdAt: row[offset + 5])
  }


  private static func apiKey(row: Row) -> APIKeyRecord {
    APIKeyRecord(id: row[0], organizationId: row[1], userId: row[2], prefix: row[3], createdAt: row[4], revokedAt: row[5])
  }


  /// The stored text of default options: most uploads have them, and decoding JSON costs more than comparing.
  private static let defaultOptionsJSON = String(decoding: (try? JSONEncoder().encode(UploadOptions())) ?? Data(), as: UTF8.self)

  private static func insert(_ db: Database, _ u: UploadRecord) throws {
    let options = String(decoding: try JSONEncoder().encode(u.options), as: UTF8.self)
    try db.execute(
      sql: """
        INSERT INTO uploads (id, organization_id, user_id, api_key_id, original_filename, storage_path, file_size_bytes,
          status, valid_row_count, invalid_row_count, credits_required, credits_charged, credits_refunded, source,
          skip_mobile_lookup, processed_storage_path, processed_filtered_storage_path, error_message, created_at,
          updated_at, phone_column, options, manifest_storage_path, rejects_storage_path)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        u.id, u.organizationId, u.userId, u.apiKeyId, u.originalFilename, u.storagePath, u.fileSizeBytes,
        u.status.rawValue, u.validRowCount, u.invalidRowCount, u.creditsRequired, u.creditsCharged, u.creditsRefunded,
        u.source, u.skipMobileLookup, u.processedStoragePath, u.processedFilteredStoragePath, u.errorMessage,
        u.createdAt, u.updatedAt, u.phoneColumn, options, u.manifestStoragePath, u.rejectsStoragePath,
      ])
  }

  static func upload(row: Row) -> UploadRecord {
    let optionsText: String = row[21]
    let options =
      optionsText == defaultOptionsJSON
      ? UploadOptions() : (try? JSONDecoder().decode(UploadOptions.self, from: Data(optionsText.utf8))) ?? UploadOptions()
    return UploadRecord(
      id: row[0], userId: row[2], organizationId: row[1], originalFilename: row[4], storagePath: row[5],
      fileSizeBytes: row[6], status: UploadStatus(rawValue: row[7]) ?? .failed, validRowCount: row[8],
      invalidRowCount: row[9], creditsRequired: row[10], creditsCharged: row[11], creditsRefunded: row[12],
      source: row[13], apiKeyId: row[3], skipMobileLookup: row[14], processedStoragePath: row[15],
      processedFilteredStoragePath: row[16], errorMessage: row[17], createdAt: row[18], updatedAt: row[19],
      phoneColumn: row[20], options: options, manifestStoragePath: row[22], rejectsStoragePath: row[23])
  }

}

/// Timestamps as stored and served: ISO 8601 UTC with milliseconds, fixed width, so text order is time order.
public enum Timestamp {
  private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

  /// `2026-04-24T12:34:56.789Z`.
  public static func string(_ date: Date) -> String { style.format(date) }
}
