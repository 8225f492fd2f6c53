import Foundation

/// An organization: the owner of API keys, uploads and a credit balance.
public struct Organization: Sendable, Equatable {
  public var id: String
  public var name: String
  /// The user that owns the organization's API keys (uploads report it as `user_id`).
  public var ownerUserId: String
  /// Writes on `/api/v1/uploads` need an active subscription (403 otherwise).
  public var hasSubscription: Bool
  /// Credits left; always the sum of the organization's ledger entries.
  public var creditBalance: Int
  public var createdAt: String
}

/// An API key as stored: only the SHA-256 of the secret, never the secret itself.
public struct APIKeyRecord: Sendable, Equatable {
  public var id: String
  public var organizationId: String
  public var userId: String
  /// The first characters of the key (`od_live_ab12…`), to tell keys apart in listings.
  public var prefix: String
  public var createdAt: String
  public var revokedAt: String?
}

/// Where an upload stands (the reference's statuses for API-created uploads).
public enum UploadStatus: String, Sendable, Codable, CaseIterable {
  case readyForProcessing = "ready_for_processing"
  case processing, completed, failed, cancelled
}

/// The compliance options of an upload (the optional fields of the other reference upload APIs),
/// applied when the upload is processed.
public struct UploadOptions: Codable, Sendable, Equatable {
  /// Mark numbers on the server's do-not-call lists (`dialready serve --dnc`).
  public var enableDNC: Bool = false
  /// The IANA zone of numbers without one of their own.
  public var timezone: String?
  /// Calling hours, `{"start":"09:00","end":"17:00"}`.
  public var callingHours: Hours?
  /// Allowed days, 1 = Monday … 7 = Sunday.
  public var allowedDays: [Int]?

  /// A calling window's start and end, local time `HH:MM`.
  public struct Hours: Codable, Sendable, Equatable {
    public var start: String
    public var end: String
  }

  enum CodingKeys: String, CodingKey {
    case enableDNC = "enable_dnc", timezone, callingHours = "calling_hours", allowedDays = "allowed_days"
  }

  public init() {}

  /// Whether any calling-window option is set.
  public var hasCallingWindow: Bool { timezone != nil || callingHours != nil || allowedDays != nil }
}

/// An upload as stored: the reference's Upload object plus what processing needs.
public struct UploadRecord: Sendable, Equatable {
  public var id: String
  public var userId: String
  public var organizationId: String
  public var originalFilename: String
  public var storagePath: String
  public var fileSizeBytes: Int?
  public var status: UploadStatus
  public var validRowCount: Int?
  public var invalidRowCount: Int?
  public var creditsRequired: Int?
  public var creditsCharged: Int?
  public var creditsRefunded: Int?
  /// `web` or `api`.
  public var source: String
  public var apiKeyId: String?
  public var skipMobileLookup: Bool?
  public var processedStoragePath: String?
  public var processedFilteredStoragePath: String?
  public var errorMessage: String?
  public var createdAt: String
  public var updatedAt: String
  /// The column holding the numbers.
  public var phoneColumn: String
  /// Compliance options for processing.
  public var options: UploadOptions
  /// The manifest of the latest engine run (validation at first, processing once completed).
  public var manifestStoragePath: String?
  /// The rejects file of the latest engine run.
  public var rejectsStoragePath: String?
}

/// What a finished processing run stores.
public struct ProcessingResult: Sendable {
  public var processedStoragePath: String
  public var filteredStoragePath: String
  public var rejectsStoragePath: String
  public var manifestStoragePath: String
  public var validRowCount: Int
  public var invalidRowCount: Int

  public init(
    processedStoragePath: String, filteredStoragePath: String, rejectsStoragePath: String,
    manifestStoragePath: String, validRowCount: Int, invalidRowCount: Int
  ) {
    self.processedStoragePath = processedStoragePath
    self.filteredStoragePath = filteredStoragePath
    self.rejectsStoragePath = rejectsStoragePath
    self.manifestStoragePath = manifestStoragePath
    self.validRowCount = validRowCount
    self.invalidRowCount = invalidRowCount
  }
}

/// One credit ledger entry: grants are positive, charges negative, refunds positive.
public struct LedgerEntry: Sendable, Equatable {
  public var organizationId: String
  public var delta: Int
  /// `grant`, `upload_charge` or `upload_refund`.
  public var reason: String
  public var uploadId: String?
  public var createdAt: String
}

/// Why a store call was refused.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  /// The organization has fewer credits than the upload's valid rows.
  case insufficientCredits(balance: Int, required: Int)
  /// No organization of that name or id.
  case organizationNotFound(String)
  /// An organization of that name exists already.
  case organizationExists(String)
  /// No API key of that id or prefix.
  case keyNotFound(String)

  public var description: String {
    switch self {
    case .insufficientCredits(let balance, let required): return "insufficient credits: \(required) required, \(balance) left"
    case .organizationNotFound(let name): return "no organization named or with id '\(name)'"
    case .organizationExists(let name): return "an organization named '\(name)' exists already"
    case .keyNotFound(let key): return "no API key with id or prefix '\(key)'"
    }
  }
}

/// A page of uploads and the cursor of the next one.
public struct UploadPage: Sendable {
  public var uploads: [UploadRecord]
  /// `created_at|id` of the last upload of this page when more follow.
  public var next: UploadCursor?
}

/// A position in the newest-first upload order (`created_at DESC, id DESC`).
public struct UploadCursor: Sendable, Equatable {
  public var createdAt: String
  public var id: String

  public init(createdAt: String, id: String) {
    self.createdAt = createdAt
    self.id = id
  }

  /// The opaque form clients pass back: base64url of `created_at|id`.
  public var token: String {
    Data("\(createdAt)|\(id)".utf8).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// Reads a token; `nil` when it is not one this server made.
  public init?(token: String) {
    var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
    let parts = text.split(separator: "|", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
    createdAt = String(parts[0])
    id = String(parts[1])
  }
}
