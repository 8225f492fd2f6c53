import Crypto
import Foundation

/// Signs and checks the short-lived download URLs: HMAC-SHA256 over `path` and the expiry (unix
/// seconds) with the server's secret (`DIR/secret`, made once with 32 random bytes). Immutable, so
/// shared across threads.
public struct URLSigner: @unchecked Sendable {
  private let key: SymmetricKey
  /// How long a URL stays valid.
  public let lifetime: TimeInterval

  public init(secret: Data, lifetime: TimeInterval = 3600) {
    key = SymmetricKey(data: secret)
    self.lifetime = lifetime
  }

  /// Reads `DIR/secret`, creating it (mode 0600) the first time.
  public static func loadSecret(dataDirectory: String) throws -> Data {
    let path = dataDirectory + "/secret"
    if let data = FileManager.default.contents(atPath: path), data.count >= 32 {
      try FileStore.makePrivate(path)
      return data
    }
    var bytes = [UInt8](repeating: 0, count: 32)
    var generator = SystemRandomNumberGenerator()
    for i in bytes.indices { bytes[i] = generator.next() }
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
      throw FileStoreError.writeFailed(path: path, errno: errno)
    }
    try FileStore.makePrivate(path)
    return Data(bytes)
  }

  /// The signature of `path` valid until `expires`.
  public func signature(path: String, expires: Int) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: Data("\(path)\n\(expires)".utf8), using: key)
    return Hex.string(mac)
  }

  /// The query string of a URL for `path` valid for ``lifetime`` from `now`, and its expiry.
  public func sign(path: String, now: Date) -> (query: String, expiresAt: Double) {
    let expires = Int(now.timeIntervalSince1970 + lifetime)
    return ("expires=\(expires)&signature=\(signature(path: path, expires: expires))", Double(expires))
  }

  /// Whether a URL's signature matches and has not expired at `now`.
  public func verify(path: String, expires: String?, signature given: String?, now: Date) -> Bool {
    guard let expires, let seconds = Int(expires), let given else { return false }
    let expected = signature(path: path, expires: seconds)
    guard expected.utf8.count == given.utf8.count else { return false }
    var difference: UInt8 = 0
    for (a, b) in zip(expected.utf8, given.utf8) { difference |= a ^ b }
    return difference == 0 && Double(seconds) > now.timeIntervalSince1970
  }
}
