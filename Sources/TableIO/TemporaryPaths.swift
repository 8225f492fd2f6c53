import Foundation

/// The temporary files and folders this process has made and not yet removed or renamed into place
/// (staging folders, `.partial` files, lock files, spooled input), so an interrupted run can remove
/// them. Writers forget a path in the same critical section as the rename that completes it.
public enum TemporaryPaths {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var paths: [String: Bool] = [:]  // path → is a folder

  /// Registers a temporary path.
  public static func register(_ path: String, isFolder: Bool) {
    lock.lock()
    paths[path] = isFolder
    lock.unlock()
  }

  /// Forgets a path (it was removed, or renamed into place).
  public static func unregister(_ path: String) {
    lock.lock()
    paths[path] = nil
    lock.unlock()
  }

  /// Runs `body` (a rename that completes an output) while no cleanup can run, then forgets `path`.
  public static func completing<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer {
      paths[path] = nil
      lock.unlock()
    }
    return try body()
  }

  /// Takes the lock for good (the process is about to exit) and hands every registered path to `remove`.
  public static func removeAllAndHold(_ remove: (_ path: String, _ isFolder: Bool) -> Void) {
    lock.lock()
    for (path, isFolder) in paths { remove(path, isFolder) }
  }
}
