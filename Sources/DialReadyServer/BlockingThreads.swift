import Foundation

/// Threads for calls that block (`getaddrinfo`), so they never hold one of the few threads of
/// Swift's cooperative pool that every request shares. At most `limit` calls run at once, each on a
/// thread that ends with it; more wait in order. A caller stops waiting after its timeout even when
/// the call never returns (its thread stays with the call and still counts toward the limit).
final class BlockingThreads: @unchecked Sendable {
  /// A timed-out call.
  struct TimedOut: Error {}

  private let lock = NSLock()
  private let limit: Int
  private let name: String
  private var running = 0
  private var queue: [() -> Void] = []

  init(limit: Int, name: String) {
    self.limit = max(1, limit)
    self.name = name
  }

  /// Starts `work` on a thread of its own now, or queues it behind the calls running.
  private func submit(_ work: @escaping () -> Void) {
    let start: Bool = lock.withLock {
      guard running < limit else {
        queue.append(work)
        return false
      }
      running += 1
      return true
    }
    if start { spawn(work) }
  }

  private func spawn(_ first: @escaping () -> Void) {
    let thread = Thread { [self] in
      var work: (() -> Void)? = first
      while let current = work {
        current()
        work = lock.withLock {
          if queue.isEmpty {
            running -= 1
            return nil
          }
          return queue.removeFirst()
        }
      }
    }
    thread.name = name
    thread.stackSize = 1 << 20
    thread.start()
  }

  /// Runs `work` on one of the threads; throws ``TimedOut`` after `timeout` seconds (counting the wait
  /// for a free thread), or what `work` throws.
  func run<T: Sendable>(timeout: Double, _ work: @escaping @Sendable () throws -> T) async throws -> T {
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
