import Foundation

/// Threads for calls that block (`getaddrinfo`, SQLite through GRDB), so they never hold one of the
/// few threads of Swift's cooperative pool that every request shares. At most `limit` threads run;
/// work waits in order for a free one; a thread idle for a few seconds ends. A caller with a timeout
/// stops waiting after it even when the call never returns (its thread stays with the call and still
/// counts toward the limit).
final class BlockingThreads: @unchecked Sendable {
  /// A timed-out call.
  struct TimedOut: Error {}

  /// Where request handlers, workers and the webhook dispatcher make their store calls.
  static let store = BlockingThreads(limit: 8, name: "dialready-store")
  /// Where request bodies are written to disk as they arrive.
  static let files = BlockingThreads(limit: 8, name: "dialready-files")

  private let condition = NSCondition()
  private let limit: Int
  private let name: String
  private var queue: [() -> Void] = []
  private var threads = 0
  private var idle = 0

  init(limit: Int, name: String) {
    self.limit = max(1, limit)
    self.name = name
  }

  /// Queues `work`, waking an idle thread or starting one when under the limit.
  private func submit(_ work: @escaping () -> Void) {
    condition.lock()
    queue.append(work)
    if idle > 0 {
      condition.signal()
    } else if threads < limit {
      threads += 1
      let thread = Thread { [self] in loop() }
      thread.name = name
      thread.stackSize = 1 << 20
      thread.start()
    }
    condition.unlock()
  }

  private func loop() {
    condition.lock()
    while true {
      if !queue.isEmpty {
        let work = queue.removeFirst()
        condition.unlock()
        work()
        condition.lock()
        continue
      }
      idle += 1
      let woken = condition.wait(until: Date().addingTimeInterval(5))
      idle -= 1
      if !woken && queue.isEmpty {
        threads -= 1
        condition.unlock()
        return
      }
    }
  }

  /// Runs `work` on one of the threads and returns (or throws) what it does.
  func run<T>(_ work: @escaping () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      submit { continuation.resume(with: Result { try work() }) }
    }
  }

  /// Runs `work` on one of the threads; throws ``TimedOut`` after `timeout` seconds (counting the wait
  /// for a free thread), or what `work` throws.
  func run<T>(timeout: Double, _ work: @escaping () throws -> T) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
      once.set(continuation)
      submit {
        guard !once.isDone else { return }  // the caller gave up while it waited for a thread
        once.resume(with: Result { try work() })
      }
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { once.resume(with: .failure(TimedOut())) }
    }
  }
}

/// A continuation resumed by whichever comes first, the result or the timeout.
private final class ResumeOnce<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<T, any Error>?
  private var done = false

  var isDone: Bool { lock.withLock { done } }

  func set(_ continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }

  func resume(with result: Result<T, any Error>) {
    let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
      guard !done else { return nil }
      done = true
      defer { continuation = nil }
      return continuation
    }
    waiting?.resume(with: result)
  }
}
