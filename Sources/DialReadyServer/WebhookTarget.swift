import AsyncHTTPClient
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where webhooks and callbacks may go. URLs must be absolute http(s); unless the server allows it
/// (`serve --allow-private-webhooks`), a host that resolves to a loopback, private, link-local,
/// unspecified or multicast address is refused, so an API key cannot make the server probe its own
/// network. Requests never follow redirects (a redirect could lead past this check).
enum WebhookTarget {
  /// The client every delivery and ping uses: no redirects; lives as long as the process.
  static let client = HTTPClient(
    eventLoopGroup: HTTPClient.defaultEventLoopGroup,
    configuration: {
      var configuration = HTTPClient.Configuration()
      configuration.redirectConfiguration = .disallow
      return configuration
    }())

  /// Why a URL is refused (400), or nothing.
  static func check(_ text: String, allowPrivate: Bool) throws {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = url.host, !host.isEmpty
    else { throw APIError(.badRequest, "url must be an absolute http or https URL") }
    guard !allowPrivate else { return }
    let trimmed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    for address in resolve(trimmed) where isPrivate(address) {
      throw APIError(
        .badRequest,
        "url's host \(host) resolves to a private, loopback or link-local address; start the server with --allow-private-webhooks to allow it")
    }
  }

  /// The addresses `host` resolves to (none when it does not resolve; the delivery then fails on its own).
  static func resolve(_ host: String) -> [[UInt8]] {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
    defer { freeaddrinfo(list) }
    var addresses: [[UInt8]] = []
    var node = list
    while let entry = node?.pointee {
      if entry.ai_family == AF_INET, let raw = entry.ai_addr {
        raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
          var value = address.pointee.sin_addr.s_addr  // network order
          addresses.append(withUnsafeBytes(of: &value) { Array($0) })
        }
      } else if entry.ai_family == AF_INET6, let raw = entry.ai_addr {
        raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
          var value = address.pointee.sin6_addr
          addresses.append(withUnsafeBytes(of: &value) { Array($0) })
        }
      }
      node = entry.ai_next
    }
    return addresses
  }

  /// Loopback, private, link-local, shared, unspecified and multicast ranges (IPv4 and IPv6,
  /// IPv4-mapped IPv6 included).
  static func isPrivate(_ address: [UInt8]) -> Bool {
    if address.count == 16 {
      if address[0..<10].allSatisfy({ $0 == 0 }) && address[10] == 0xFF && address[11] == 0xFF {
        return isPrivate(Array(address[12..<16]))
      }
      if address.allSatisfy({ $0 == 0 }) || address == [UInt8](repeating: 0, count: 15) + [1] { return true }
      if address[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
      if address[0] == 0xFE && address[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
      return address[0] == 0xFF  // multicast
    }
    guard address.count == 4 else { return true }
    let (a, b) = (address[0], address[1])
    return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && b & 0xF0 == 16)
      || (a == 192 && b == 168) || (a == 100 && b & 0xC0 == 64) || a >= 224
  }
}
