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
public struct FileStore: Sendable {
  /// The data directory.
  public let root: String

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

  /// Writes `bytes` to a unique file in `DIR/tmp/` (atomically), hashing them; ``commit(_:)`` moves it
  /// into the store, ``discard(_:)`` removes it.
  public func stage(_ bytes: UnsafeRawBufferPointer, ext: String) throws -> StagedFile {
    let path = root + "/tmp/" + UUID().uuidString.lowercased() + "." + ext
    let code = FileIO.writeFileAtomically(bytes, to: path)
    if code != 0 { throw FileStoreError.writeFailed(path: path, errno: code) }
    return StagedFile(path: path, size: bytes.count, sha256: Hex.string(SHA256.hash(data: bytes)), ext: ext)
  }

  /// Moves a staged file into the store; `created` is false when the same content was there already.
  public func commit(_ staged: StagedFile) throws -> (file: StoredFile, created: Bool) {
    try adopting(staged.path, sha256: staged.sha256, ext: staged.ext, size: staged.size)
  }

  /// Removes a staged file.
  public func discard(_ staged: StagedFile) { unlink(staged.path) }

  /// Removes a stored file (one this request created and no upload refers to).
  public func remove(_ storagePath: String) { unlink(path(of: storagePath)) }

  /// Moves a finished file (an engine output whose SHA-256 is known) into the store.
  public func adopt(_ path: String, sha256: String, ext: String) throws -> StoredFile {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    return try adopting(path, sha256: sha256, ext: ext, size: size).file
  }

  /// Renames `path` to its content address; when the content is there already (or another request
  /// put it there meanwhile) the file is dropped instead.
  private func adopting(_ path: String, sha256: String, ext: String, size: Int) throws -> (file: StoredFile, created: Bool) {
    let relative = "files/\(sha256.prefix(2))/\(sha256).\(ext)"
    let final = self.path(of: relative)
    try makeFolder(final)
    try Self.makePrivate(path)
    var created = false
    if FileManager.default.fileExists(atPath: final) {
      unlink(path)
    } else if FileIO.rename(path, final) == 0 {
      FileIO.fsyncFolder(of: final)
      created = true
    } else {
      let code = errno
      guard FileManager.default.fileExists(atPath: final) else { throw FileStoreError.writeFailed(path: final, errno: code) }
      unlink(path)
    }
    return (StoredFile(storagePath: relative, size: size, sha256: sha256), created)
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
