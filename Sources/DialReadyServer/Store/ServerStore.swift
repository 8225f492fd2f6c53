import Foundation

/// Everything the server keeps between requests: organizations, API keys, uploads, the credit ledger
/// and the job queue. Handlers and workers only talk to this protocol, so another backend (PostgreSQL)
/// can replace the embedded SQLite one (``SQLiteStore``) without touching them.
///
/// Every method that changes money or status runs in one transaction: an upload is created together
/// with its charge and its job; a cancel refunds in the transaction that cancels.
public protocol ServerStore: Sendable {
  // MARK: Organizations and keys (`dialready admin`)

  /// Creates an organization with an opening grant of `credits` (a ledger entry).
  func createOrganization(name: String, credits: Int, subscription: Bool, at: Date) throws -> Organization
  /// The organization with this id or name.
  func organization(_ nameOrId: String) throws -> Organization?
  /// Every organization with its keys, oldest first.
  func listOrganizations() throws -> [(Organization, [APIKeyRecord])]
  /// Stores a key's SHA-256 (hex) for an organization.
  func createAPIKey(organizationId: String, keyHash: String, prefix: String, at: Date) throws -> APIKeyRecord
  /// Revokes the key with this id or prefix; returns it.
  func revokeAPIKey(_ idOrPrefix: String, at: Date) throws -> APIKeyRecord
  /// Adds credits (a `grant` ledger entry); returns the new balance.
  func addCredits(organizationId: String, credits: Int, at: Date) throws -> Int
  /// The organization's ledger, oldest first.
  func ledger(organizationId: String) throws -> [LedgerEntry]
  /// The active key with this SHA-256 (hex) and its organization.
  func authenticate(keyHash: String) throws -> (APIKeyRecord, Organization)?

  // MARK: Uploads

  /// Creates an upload in `ready_for_processing`, charges `upload.creditsRequired` and queues its job, in
  /// one transaction. Throws ``StoreError/insufficientCredits(balance:required:)`` when the balance is short.
  func createUpload(_ upload: UploadRecord) throws -> UploadRecord
  /// The upload with this id in this organization.
  func upload(id: String, organizationId: String) throws -> UploadRecord?
  /// The upload with this id in any organization (for signed download URLs, which carry their own authority).
  func upload(id: String) throws -> UploadRecord?
  /// Uploads of an organization, newest first (`created_at DESC, id DESC`), after `cursor`.
  func listUploads(organizationId: String, limit: Int, after cursor: UploadCursor?) throws -> UploadPage
  /// Cancels an upload still in `ready_for_processing`, refunding its charge and dropping its job.
  /// Returns the upload afterwards and the credits refunded (0 when it was not cancellable).
  func cancelUpload(id: String, organizationId: String, at: Date) throws -> (UploadRecord, Int)?

  /// Whether any upload refers to this stored file (as its original, an output, rejects or manifest).
  func isFileReferenced(_ storagePath: String) throws -> Bool

  // MARK: Job queue (workers)

  /// Takes the next queued job, fairly across organizations (the one with the fewest running jobs
  /// first, then the oldest), marks it running and its upload `processing`.
  func claimJob(at: Date) throws -> UploadRecord?
  /// Marks a running upload `completed` with its outputs and drops its job.
  func completeUpload(id: String, result: ProcessingResult, at: Date) throws
  /// Marks a running upload `failed` and drops its job.
  func failUpload(id: String, message: String, at: Date) throws
  /// Puts jobs left running by a stopped or killed server back in the queue; returns how many.
  func requeueInterruptedJobs() throws -> Int
  /// Jobs queued or running.
  func pendingJobCount() throws -> Int

  // MARK: Webhooks and the outbox

  /// Registers an endpoint.
  func createWebhook(id: String, organizationId: String, url: String, events: [String], secret: String, at: Date) throws -> WebhookRecord
  /// The organization's endpoints, oldest first.
  func webhooks(organizationId: String) throws -> [WebhookRecord]
  /// One endpoint of the organization.
  func webhook(id: String, organizationId: String) throws -> WebhookRecord?
  /// Replaces an endpoint's fields.
  func updateWebhook(_ webhook: WebhookRecord) throws
  /// Removes an endpoint and its pending deliveries; `false` when there was none.
  func deleteWebhook(id: String, organizationId: String) throws -> Bool
  /// An endpoint's delivery attempts, newest first.
  func deliveries(webhookId: String, limit: Int) throws -> [DeliveryAttempt]
  /// Pending events due at `now` (unix seconds), oldest first, leased or not (for inspection).
  func dueEvents(now: Double, limit: Int) throws -> [OutboxEvent]
  /// Takes up to `limit` pending events due at `now` that nobody holds, holding each for `lease` seconds
  /// (one write, so no event is sent twice at once). Fair across organizations: each organization's
  /// oldest events first, in turns, and never more than `perOrganization` events of one organization or
  /// `perEndpoint` of one endpoint held at once (those held already count).
  func claimDueEvents(now: Double, lease: Double, limit: Int, perOrganization: Int, perEndpoint: Int) throws -> [OutboxEvent]
  /// Releases every hold (a server starting: holds left by a killed one are void).
  func releaseEventLeases() throws
  /// The earliest time a pending event can be taken, if any.
  func nextEventDue() throws -> Double?
  /// The earliest time after `now` that a pending event becomes due or its hold ends, if any (events
  /// due already but over their organization's or endpoint's share wait for a delivery to finish).
  func nextEventDue(after now: Double) throws -> Double?
  /// Records one attempt: delivered, retry at `retryAt`, or (no retry) failed for good.
  func recordAttempt(
    _ event: OutboxEvent, statusCode: Int?, error: String?, latencyMilliseconds: Int, delivered: Bool, retryAt: Double?,
    at: Date) throws

  // MARK: Contacts

  /// Creates a queued contact and charges one credit, or returns the contact an earlier request with
  /// the same (organization, API key, idempotency key) created, charging nothing (`created` false).
  func createContact(_ contact: ContactRecord) throws -> (ContactRecord, created: Bool)
  /// One contact of the organization.
  func contact(id: String, organizationId: String) throws -> ContactRecord?
  /// Contacts newest first, after `cursor`.
  func listContacts(organizationId: String, limit: Int, after cursor: UploadCursor?) throws -> ([ContactRecord], UploadCursor?)
  /// Takes the oldest queued contact and marks it `processing`.
  func claimContact(at: Date) throws -> ContactRecord?
  /// Marks a contact `completed` with its class, or `failed` with a message, and queues its events.
  func finishContact(id: String, optimaldialStatus: String?, errorMessage: String?, at: Date) throws
  /// Puts contacts left `processing` by a stopped server back in the queue.
  func requeueInterruptedContacts() throws -> Int

  // MARK: Health

  /// Fails when the store cannot be read.
  func checkHealth() throws
}
