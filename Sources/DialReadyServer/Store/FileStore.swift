import Crypto
import Foundation
import TableIO

#if canImport(Glibc)
  import Glibc
#endif

/// The server's files: `DIR/files/<first two hex digits>/<sha256>.<ext>`, named by their content, each
/// written to a temporary file, synced and renamed into place (through ``FileIO``, so a full disk is an
/// error and never a half-written file). Engine runs work in `DIR/work/`, on the same file system, so
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

  /// Opens the store under `root`, creating `files/`, `work/` and `tmp/`.
  public init(root: String) throws {
    self.root = root
    for folder in [root, root + "/files", root + "/work", root + "/tmp"] {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
  }

  /// The absolute path of a stored file.
  public func path(of storagePath: String) -> String { root + "/" + storagePath }

  /// A fresh path under `DIR/work/` for an engine run.
  public func workPath(_ name: String) -> String { root + "/work/" + name }

  /// Stores `bytes` under their SHA-256 with extension `ext`.
  public func store(_ bytes: UnsafeRawBufferPointer, ext: String) throws -> StoredFile {
    let digest = Hex.string(SHA256.hash(data: bytes))
    let relative = "files/\(digest.prefix(2))/\(digest).\(ext)"
    let final = path(of: relative)
    if !FileManager.default.fileExists(atPath: final) {
      try makeFolder(final)
      let code = FileIO.writeFileAtomically(bytes, to: final)
      if code != 0 { throw FileStoreError.writeFailed(path: final, errno: code) }
    }
    return StoredFile(storagePath: relative, size: bytes.count, sha256: digest)
  }

  /// Moves a finished file (an engine output whose SHA-256 is known) into the store.
  public func adopt(_ path: String, sha256: String, ext: String) throws -> StoredFile {
    let relative = "files/\(sha256.prefix(2))/\(sha256).\(ext)"
    let final = self.path(of: relative)
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    try makeFolder(final)
    if FileManager.default.fileExists(atPath: final) {
      unlink(path)
    } else if FileIO.rename(path, final) != 0 {
      throw FileStoreError.writeFailed(path: final, errno: errno)
    } else {
      FileIO.fsyncFolder(of: final)
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
    if !FileManager.default.fileExists(atPath: folder) {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
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
