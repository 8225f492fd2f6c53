import Foundation

/// Where the server reads the time: the wall clock in production, a settable one in tests (signed-URL
/// expiry and rate-limit windows depend on it).
public protocol ServerClock: Sendable {
  /// The current instant.
  func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: ServerClock {
  public init() {}
  public func now() -> Date { Date() }
}

/// A clock tests move by hand.
public final class ManualClock: ServerClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  public init(_ start: Date) { current = start }

  public func now() -> Date { lock.withLock { current } }

  /// Moves the clock forward by `seconds`.
  public func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }

  /// Sets the clock.
  public func set(_ date: Date) { lock.withLock { current = date } }
}
