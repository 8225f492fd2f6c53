import Crypto
import Foundation
import TableIO

#if canImport(Glibc)
  import Glibc
#endif

/// The server's files: `DIR/files/<first two hex digits>/<sha256>.<ext>`, named by their content, each
/// written to a temporary file, synced and renamed into place (through ``FileIO``, so a full disk is an
/// error and never a half-written file). Every stored file is `0600` and every folder `0700`. Engine runs work in `DIR/work/`, on the same file system, so
/// their outputs move into place with a rename.
///
/// Identical content shares one file, so a file is never removed while anything holds it: every
/// ``commit(_:)`` and ``adopt(_:sha256:ext:)`` takes a hold on the file until the caller has recorded
/// it in the store and calls ``release(_:)``; ``releaseRemovingIfUnused(_:isReferenced:)`` removes a
/// file only when no other request holds it and no row of the store refers to it, under the same lock
/// that moves files in. A refused upload's original can therefore never take the file that another
/// upload of the same content committed at the same moment.
public struct FileStore: Sendable {
  /// The data directory.
  public let root: String
  /// Holds on stored files (storage path → count), for this server process.
  private let holds = Holds()

  private final class Holds: @unchecked Sendable {
    let lock = NSLock()
    var counts: [String: Int] = [:]
  }

  /// A file stored: its path relative to ``root``, size and SHA-256.
  public struct StoredFile: Sendable, Equatable {
    public var storagePath: String
    public var size: Int
    public var sha256: String
  }

  /// Opens the store under `root`, creating `files/`, `work/` and `tmp/`, each private to the server's
  /// user (`0700`, set explicitly whatever the umask).
  public init(root: String) throws {
    self.root = root
    for folder in [root, root + "/files", root + "/work", root + "/tmp"] {
      try Self.makePrivateFolder(folder)
    }
  }

  /// Creates `folder` (and its parents) when missing and sets it to `0700`.
  public static func makePrivateFolder(_ folder: String) throws {
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    if chmod(folder, 0o700) != 0 { throw FileStoreError.writeFailed(path: folder, errno: errno) }
  }

  /// Sets a file to `0600` (readable and writable by the server's user only).
  public static func makePrivate(_ path: String) throws {
    if chmod(path, 0o600) != 0 { throw FileStoreError.writeFailed(path: path, errno: errno) }
  }

  /// Removes what a killed server left in `DIR/tmp/` (staged originals) and `DIR/work/` (validation
  /// runs; processing runs are redone from scratch anyway). Call once, before serving.
  public func removeLeftovers() {
    let manager = FileManager.default
    for name in (try? manager.contentsOfDirectory(atPath: root + "/tmp")) ?? [] {
      try? manager.removeItem(atPath: root + "/tmp/" + name)
    }
    for name in (try? manager.contentsOfDirectory(atPath: root + "/work")) ?? [] where name.hasPrefix("validate-") || name.hasPrefix(".validate-") {
      try? manager.removeItem(atPath: root + "/work/" + name)
    }
  }

  /// The absolute path of a stored file.
  public func path(of storagePath: String) -> String { root + "/" + storagePath }

  /// A fresh path under `DIR/work/` for an engine run.
  public func workPath(_ name: String) -> String { root + "/work/" + name }

  /// A file written to `DIR/tmp/` under a unique name, not yet in the store.
  public struct StagedFile: Sendable {
    public var path: String
    public var size: Int
    public var sha256: String
    public var ext: String
  }

  /// Writes `bytes` to a unique file in `DIR/tmp/` (synced, `0600`), hashing them; ``commit(_:)``
  /// moves it into the store, ``discard(_:)`` removes it.
  public func stage(_ bytes: UnsafeRawBufferPointer, ext: String) throws -> StagedFile {
    let writer = try startStaging(ext: ext)
    do {
      try writer.write(bytes)
      return try writer.finish()
    } catch {
      writer.abandon()
      throw error
    }
  }

  /// Starts a file in `DIR/tmp/` that a request writes as its bytes arrive (``StagingWriter``).
  public func startStaging(ext: String) throws -> StagingWriter {
    try StagingWriter(path: root + "/tmp/" + UUID().uuidString.lowercased() + "." + ext, ext: ext)
  }

  /// Moves a staged file into the store and holds it (``release(_:)``).
  public func commit(_ staged: StagedFile) throws -> StoredFile {
    try adopting(staged.path, sha256: staged.sha256, ext: staged.ext, size: staged.size)
  }

  /// Removes a staged file.
  public func discard(_ staged: StagedFile) { unlink(staged.path) }

  /// Moves a finished file (an engine output whose SHA-256 is known) into the store and holds it
  /// (``release(_:)``).
  public func adopt(_ path: String, sha256: String, ext: String) throws -> StoredFile {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    return try adopting(path, sha256: sha256, ext: ext, size: size)
  }

  /// Lets go of a hold ``commit(_:)`` or ``adopt(_:sha256:ext:)`` took (the file is recorded in the
  /// store, or kept regardless).
  public func release(_ storagePath: String) {
    holds.lock.withLock { drop(storagePath) }
  }

  /// Lets go of a hold and removes the file when nothing else holds it and `isReferenced` (the store)
  /// says no row refers to it; returns whether it was removed. When the store cannot tell, it stays.
  @discardableResult
  public func releaseRemovingIfUnused(_ storagePath: String, isReferenced: (String) throws -> Bool) -> Bool {
    holds.lock.withLock {
      drop(storagePath)
      guard holds.counts[storagePath] == nil, (try? isReferenced(storagePath)) == false else { return false }
      return unlink(path(of: storagePath)) == 0
    }
  }

  private func drop(_ storagePath: String) {
    let count = (holds.counts[storagePath] ?? 1) - 1
    holds.counts[storagePath] = count > 0 ? count : nil
  }

  /// Renames `path` to its content address and holds it; when the content is there already (or
  /// another request put it there meanwhile) the file is dropped instead.
  private func adopting(_ path: String, sha256: String, ext: String, size: Int) throws -> StoredFile {
    let relative = "files/\(sha256.prefix(2))/\(sha256).\(ext)"
    let final = self.path(of: relative)
    try makeFolder(final)
    try Self.makePrivate(path)
    try holds.lock.withLock {
      if FileManager.default.fileExists(atPath: final) {
        unlink(path)
      } else if FileIO.rename(path, final) == 0 {
        FileIO.fsyncFolder(of: final)
      } else {
        let code = errno
        guard FileManager.default.fileExists(atPath: final) else { throw FileStoreError.writeFailed(path: final, errno: code) }
        unlink(path)
      }
      holds.counts[relative, default: 0] += 1
    }
    return StoredFile(storagePath: relative, size: size, sha256: sha256)
  }

  /// Moves a finished file into the store, hashing it first.
  public func adopt(_ path: String, ext: String) throws -> StoredFile {
    guard let data = FileManager.default.contents(atPath: path) else { throw FileStoreError.unreadable(path: path) }
    let digest = Hex.string(SHA256.hash(data: data))
    return try adopt(path, sha256: digest, ext: ext)
  }

  private func makeFolder(_ file: String) throws {
    let folder = (file as NSString).deletingLastPathComponent
    if !FileManager.default.fileExists(atPath: folder) { try Self.makePrivateFolder(folder) }
  }
}

/// A file in `DIR/tmp/` written as a request's bytes arrive (`0600`, hashed as it goes), so a body is
/// never held in memory: ``finish()`` syncs it and gives the staged file, ``abandon()`` removes it.
public final class StagingWriter: @unchecked Sendable {
  /// Where it is written.
  public let path: String
  public let ext: String
  /// Bytes written so far.
  public private(set) var size = 0
  private var fd: Int32
  private var hasher = SHA256()

  init(path: String, ext: String) throws {
    self.path = path
    self.ext = ext
    fd = FileIO.create(path, exclusive: true, mode: 0o600)
    if fd < 0 { throw FileStoreError.writeFailed(path: path, errno: errno) }
  }

  /// Appends `bytes`.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard fd >= 0 else { throw FileStoreError.writeFailed(path: path, errno: EBADF) }
    let code = FileIO.writeAll(fd, bytes)
    if code != 0 { throw FileStoreError.writeFailed(path: path, errno: code) }
    hasher.update(bufferPointer: bytes)
    size += bytes.count
  }

  /// Syncs and closes the file: the staged file, ready for ``FileStore/commit(_:)``.
  public func finish() throws -> FileStore.StagedFile {
    guard fd >= 0 else { throw FileStoreError.writeFailed(path: path, errno: EBADF) }
    let synced = FileIO.fsync(fd)
    let code = errno
    close(fd)
    fd = -1
    if synced != 0 {
      unlink(path)
      throw FileStoreError.writeFailed(path: path, errno: code)
    }
    return FileStore.StagedFile(path: path, size: size, sha256: Hex.string(hasher.finalize()), ext: ext)
  }

  /// Closes and removes the file.
  public func abandon() {
    if fd >= 0 { close(fd) }
    fd = -1
    unlink(path)
  }
}

/// Why a file could not be stored.
public enum FileStoreError: Error, CustomStringConvertible {
  case writeFailed(path: String, errno: Int32)
  case unreadable(path: String)

  public var description: String {
    switch self {
    case .writeFailed(let path, let code): return "\(path): cannot write (\(String(cString: strerror(code))))"
    case .unreadable(let path): return "\(path): cannot read"
    }
  }
}
