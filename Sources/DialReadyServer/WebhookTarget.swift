import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// Resolves the host names of webhook and callback URLs. Calls may block: the server makes them on
/// threads of their own, with a timeout, never on the cooperative pool.
public protocol HostResolver: Sendable {
  /// The addresses `host` resolves to (none, or a thrown error, when it does not resolve).
  func addresses(of host: String) throws -> [IPAddress]
}

/// The system's resolver (`getaddrinfo`: `/etc/hosts`, then DNS).
public struct SystemResolver: HostResolver {
  public init() {}

  public func addresses(of host: String) throws -> [IPAddress] {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
    defer { freeaddrinfo(list) }
    var addresses: [IPAddress] = []
    var node = list
    while let entry = node?.pointee {
      if entry.ai_family == AF_INET, let raw = entry.ai_addr {
        raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
          var value = address.pointee.sin_addr
          IPAddress(bytes: withUnsafeBytes(of: &value) { Array($0) }).map { addresses.append($0) }
        }
      } else if entry.ai_family == AF_INET6, let raw = entry.ai_addr {
        raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
          var value = address.pointee.sin6_addr
          IPAddress(bytes: withUnsafeBytes(of: &value) { Array($0) }).map { addresses.append($0) }
        }
      }
      node = entry.ai_next
    }
    return addresses
  }
}

/// Where webhooks and callbacks may go, and the one way the server sends to them. URLs must be
/// absolute http(s). The host is resolved once per request, off the cooperative pool and within a
/// timeout; a name that does not resolve is refused, and so is one with any special-purpose address
/// among its answers (loopback, private, link-local, … see ``IPAddress/isSpecialPurpose``) unless the
/// server allows them (`serve --allow-private-webhooks`). The request then goes to exactly the address
/// checked, with the name kept in the `Host` header and as the TLS server name, so a DNS answer that
/// changes between the check and the connection (rebinding) cannot lead it elsewhere. Redirects are
/// never followed (one could lead past the check).
final class WebhookTargets: Sendable {
  /// A checked URL: the name it was given and the address the request will go to.
  struct Target: Sendable {
    var url: String
    var host: String
    var address: IPAddress
  }

  private let resolver: any HostResolver
  private let allowPrivate: Bool
  private let isForbidden: @Sendable (IPAddress) -> Bool
  private let resolveTimeout: Double
  private let threads: BlockingThreads

  init(configuration: ServerConfiguration) {
    resolver = configuration.webhookResolver
    allowPrivate = configuration.allowPrivateWebhookHosts
    isForbidden = configuration.isForbiddenWebhookAddress
    resolveTimeout = configuration.webhookResolveTimeout
    threads = BlockingThreads(limit: 8, name: "dialready-resolve")
  }

  /// The URL checked and pinned to one address, or the reason it is refused (400).
  func target(_ text: String) async throws -> Target {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = url.host, !host.isEmpty
    else { throw APIError(.badRequest, "url must be an absolute http or https URL") }
    let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    let addresses: [IPAddress]
    if let literal = IPAddress(bare) {
      addresses = [literal]
    } else {
      let resolver = self.resolver
      do {
        addresses = try await threads.run(timeout: resolveTimeout) { try resolver.addresses(of: bare) }
      } catch is BlockingThreads.TimedOut {
        throw APIError(
          .badRequest, "url's host \(host) did not resolve within \(Self.seconds(resolveTimeout)); check the name, or retry when its DNS answers")
      } catch {
        addresses = []
      }
    }
    guard let first = addresses.first else {
      throw APIError(.badRequest, "url's host \(host) does not resolve; check the name")
    }
    if !allowPrivate, addresses.contains(where: isForbidden) {
      throw APIError(
        .badRequest,
        "url's host \(host) resolves to a private, loopback, link-local or other special-purpose address; start the server with --allow-private-webhooks to allow it")
    }
    return Target(url: text, host: host, address: first)
  }

  /// POSTs `body` to the target's checked address; returns the status (the response body is read and
  /// dropped, up to 64 KiB).
  func post(_ target: Target, headers: [(String, String)], body: String, timeout: Double) async throws -> Int {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    // AsyncHTTPClient connects to the override and keeps the name for `Host` and the TLS server name.
    if IPAddress(target.host) == nil { configuration.dnsOverride = [target.host: target.address.description] }
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    do {
      var request = HTTPClientRequest(url: target.url)
      request.method = .POST
      for (name, value) in headers { request.headers.add(name: name, value: value) }
      request.body = .bytes(ByteBuffer(string: body))
      let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
      _ = try? await response.body.collect(upTo: 64 * 1024)
      try? await client.shutdown()
      return Int(response.status.code)
    } catch {
      try? await client.shutdown()
      throw error
    }
  }

  static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
  }
}
