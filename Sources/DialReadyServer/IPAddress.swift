import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address in network order.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
  /// The address bytes, 4 or 16.
  public let bytes: [UInt8]

  public init?(bytes: [UInt8]) {
    guard bytes.count == 4 || bytes.count == 16 else { return nil }
    self.bytes = bytes
  }

  /// Parses dotted IPv4 or textual IPv6 (no brackets, no zone).
  public init?(_ text: String) {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      bytes = withUnsafeBytes(of: &v4) { Array($0) }
      return
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      bytes = withUnsafeBytes(of: &v6) { Array($0) }
      return
    }
    return nil
  }

  /// The textual form (`192.0.2.1`, `2001:db8::1`).
  public var description: String {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    var copy = bytes
    let family = bytes.count == 4 ? AF_INET : AF_INET6
    guard inet_ntop(family, &copy, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
    return String(cString: buffer)
  }

  /// The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) carries.
  var mappedIPv4: IPAddress? {
    guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else { return nil }
    return IPAddress(bytes: Array(bytes[12..<16]))
  }

  /// `127.0.0.0/8` or `::1` (or an IPv4-mapped loopback address).
  public var isLoopback: Bool {
    if let v4 = mappedIPv4 { return v4.isLoopback }
    if bytes.count == 4 { return bytes[0] == 127 }
    return bytes == [UInt8](repeating: 0, count: 15) + [1]
  }

  /// Whether the address lies in `prefix/bits`.
  func within(_ prefix: [UInt8], _ bits: Int) -> Bool {
    guard prefix.count <= bytes.count else { return false }
    var remaining = bits
    for (i, byte) in prefix.enumerated() where remaining > 0 {
      let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
      if bytes[i] & mask != byte & mask { return false }
      remaining -= 8
    }
    return true
  }

  /// Every IPv4 block of the IANA IPv4 Special-Purpose Address Registry, multicast, reserved and
  /// broadcast: none is a place the server should send a webhook to.
  static let specialIPv4: [([UInt8], Int)] = [
    ([0, 0, 0, 0], 8),  // "this network"
    ([10, 0, 0, 0], 8),  // private
    ([100, 64, 0, 0], 10),  // shared address space (carrier-grade NAT)
    ([127, 0, 0, 0], 8),  // loopback
    ([169, 254, 0, 0], 16),  // link-local (cloud metadata services)
    ([172, 16, 0, 0], 12),  // private
    ([192, 0, 0, 0], 24),  // IETF protocol assignments (DS-Lite, NAT64 discovery, …)
    ([192, 0, 2, 0], 24),  // documentation (TEST-NET-1)
    ([192, 31, 196, 0], 24),  // AS112
    ([192, 52, 193, 0], 24),  // AMT
    ([192, 88, 99, 0], 24),  // 6to4 relay anycast (deprecated)
    ([192, 168, 0, 0], 16),  // private
    ([192, 175, 48, 0], 24),  // direct delegation AS112
    ([198, 18, 0, 0], 15),  // benchmarking
    ([198, 51, 100, 0], 24),  // documentation (TEST-NET-2)
    ([203, 0, 113, 0], 24),  // documentation (TEST-NET-3)
    ([224, 0, 0, 0], 4),  // multicast
    ([240, 0, 0, 0], 4),  // reserved, and 255.255.255.255 broadcast
  ]

  /// IPv6 blocks inside global unicast (`2000::/3`) that the IANA IPv6 Special-Purpose Address
  /// Registry sets apart; everything outside `2000::/3` (`::/96`, `::1`, `64:ff9b::/96`, `100::/64`,
  /// `fc00::/7`, `fe80::/10`, `fec0::/10`, multicast `ff00::/8`, …) is refused as a whole.
  static let specialIPv6: [([UInt8], Int)] = [
    ([0x20, 0x01, 0x00, 0x00], 23),  // IETF protocol assignments (Teredo, benchmarking, ORCHID, …)
    ([0x20, 0x01, 0x0D, 0xB8], 32),  // documentation
    ([0x20, 0x02], 16),  // 6to4
    ([0x26, 0x20, 0x00, 0x4F, 0x80, 0x00], 48),  // direct delegation AS112
    ([0x3F, 0xFF], 20),  // documentation
  ]

  /// Whether the address is special-purpose (loopback, private, link-local, shared, documentation,
  /// benchmarking, translation and tunnelling prefixes, multicast, broadcast, reserved or unspecified)
  /// rather than an ordinary public unicast address. IPv4-mapped IPv6 addresses are judged by their
  /// IPv4 address.
  public var isSpecialPurpose: Bool {
    if let v4 = mappedIPv4 { return v4.isSpecialPurpose }
    if bytes.count == 4 { return Self.specialIPv4.contains { within($0.0, $0.1) } }
    guard within([0x20], 3) else { return true }
    return Self.specialIPv6.contains { within($0.0, $0.1) }
  }
}

/// What the server's logs may show of a URL: scheme, host, port and path; never user-info, query or
/// fragment (they often carry tokens).
public enum LogRedaction {
  /// `https://user:token@host:8443/hook?key=…` → `https://host:8443/hook`.
  public static func url(_ text: String) -> String {
    guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
      return "(unparsable URL)"
    }
    var shown = URLComponents()
    shown.scheme = components.scheme
    shown.host = host
    shown.port = components.port
    shown.percentEncodedPath = components.percentEncodedPath
    return shown.string ?? "(unparsable URL)"
  }
}
