import Foundation

/// The reference's write-call limits: clock-aligned one-minute buckets, 60 requests per API key and 600
/// per organization. Every request counts toward its key, refused ones too ("observed" is the key's
/// count after this request). An organization's bucket counts the calls it let through, and a key's
/// refused calls at most once per minute: a key hammering past its own limit uses one more of its
/// organization's calls, not all of them, so it cannot lock the other keys out.
public final class RateLimiter: @unchecked Sendable {
  /// Requests per key per minute.
  public let perKey: Int
  /// Requests per organization per minute.
  public let perOrganization: Int
  private let lock = NSLock()
  private var minute = -1
  private var keyCounts: [String: Int] = [:]
  private var organizationCounts: [String: Int] = [:]
  /// Keys with a refused call counted toward their organization this minute.
  private var refusedKeys: Set<String> = []

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
        refusedKeys.removeAll(keepingCapacity: true)
      }
      let byKey = keyCounts[key, default: 0] + 1
      keyCounts[key] = byKey
      let byOrganization = organizationCounts[organization, default: 0] + 1
      let refusal: Refusal?
      if byKey > perKey {
        refusal = Refusal(limit: perKey, observed: byKey, retryAfterSeconds: retryAfter)
      } else if byOrganization > perOrganization {
        refusal = Refusal(limit: perOrganization, observed: byOrganization, retryAfterSeconds: retryAfter)
      } else {
        refusal = nil
      }
      if refusal == nil || refusedKeys.insert(key).inserted { organizationCounts[organization] = byOrganization }
      return refusal
    }
  }
}
