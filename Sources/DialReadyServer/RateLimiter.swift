import Foundation

/// The reference's write-call limits: clock-aligned one-minute buckets, 60 requests per API key and 600
/// per organization. Every request counts, refused ones too ("observed" is the count after this request).
public final class RateLimiter: @unchecked Sendable {
  /// Requests per key per minute.
  public let perKey: Int
  /// Requests per organization per minute.
  public let perOrganization: Int
  private let lock = NSLock()
  private var minute = -1
  private var keyCounts: [String: Int] = [:]
  private var organizationCounts: [String: Int] = [:]

  /// A refusal: the bucket breached, the count seen, and the seconds until the minute resets.
  public struct Refusal: Sendable, Equatable {
    public var limit: Int
    public var observed: Int
    public var retryAfterSeconds: Int
  }

  public init(perKey: Int = 60, perOrganization: Int = 600) {
    self.perKey = perKey
    self.perOrganization = perOrganization
  }

  /// Counts one write call; returns the refusal when a bucket is over its size.
  public func record(key: String, organization: String, now: Date) -> Refusal? {
    let seconds = now.timeIntervalSince1970
    let current = Int((seconds / 60).rounded(.down))
    let retryAfter = max(1, Int((Double(current + 1) * 60 - seconds).rounded(.up)))
    return lock.withLock {
      if current != minute {
        minute = current
        keyCounts.removeAll(keepingCapacity: true)
        organizationCounts.removeAll(keepingCapacity: true)
      }
      let byKey = keyCounts[key, default: 0] + 1
      keyCounts[key] = byKey
      let byOrganization = organizationCounts[organization, default: 0] + 1
      organizationCounts[organization] = byOrganization
      if byKey > perKey { return Refusal(limit: perKey, observed: byKey, retryAfterSeconds: retryAfter) }
      if byOrganization > perOrganization {
        return Refusal(limit: perOrganization, observed: byOrganization, retryAfterSeconds: retryAfter)
      }
      return nil
    }
  }
}
