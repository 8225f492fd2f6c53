import Foundation

/// An async semaphore: at most `count` bodies of work run at once; the others wait their turn in order.
final class AsyncSlots: @unchecked Sendable {
  private let lock = NSLock()
  private var free: Int
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(_ count: Int) { free = max(1, count) }

  /// Runs `work` in a slot.
  func run<T>(_ work: () async throws -> T) async throws -> T {
    await acquire()
    defer { release() }
    return try await work()
  }

  private func acquire() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let now: Bool = lock.withLock {
        if free > 0 {
          free -= 1
          return true
        }
        waiting.append(continuation)
        return false
      }
      if now { continuation.resume() }
    }
  }

  private func release() {
    let next: CheckedContinuation<Void, Never>? = lock.withLock {
      if waiting.isEmpty {
        free += 1
        return nil
      }
      return waiting.removeFirst()
    }
    next?.resume()
  }
}
