import DialReadyEngine
import Foundation
import Scoring

/// How `dialready serve` runs: where it keeps its data, how many workers process uploads, the
/// reference's limits, and the compliance and model files processing uses.
public struct ServerConfiguration: Sendable {
  /// `--data DIR`: the SQLite store, `files/`, `work/` and the URL-signing secret.
  public var dataDirectory: String
  public var host = "127.0.0.1"
  public var port = 8080
  /// `--workers N`: uploads processed at once; 0 accepts and queues without processing.
  public var workers = 1
  /// Engine threads per upload.
  public var threadsPerJob = ClassifyOptions.availableCores
  /// `--public-url`: the scheme, host and port download URLs start with. Required on an address other
  /// than loopback; on loopback the default is the request's Host.
  public var publicURL: String?
  /// Do-not-call indexes or lists applied when an upload sets `enable_dnc`.
  public var dncPaths: [String] = []
  /// Line-type lookups applied unless an upload sets `skip_mobile_lookup`.
  public var lookupPath: String?
  /// Past call outcomes for the answer model.
  public var historyPath: String?
  /// The answer model.
  public var model: LogisticAnswerModel = .default
  /// The reference's limits.
  public var minimumValidNumbers = 100
  public var maximumNumbers = 250_000
  public var maximumBodyBytes = 100 * 1024 * 1024
  /// Uploads parsed and validated at once; more wait (each holds its body and runs the engine).
  public var concurrentIntakes = 2
  /// Refuse webhook and callback URLs whose host resolves to a loopback, private, link-local or other
  /// special-purpose address (`serve --allow-private-webhooks` turns this off, e.g. for receivers on the same network).
  public var allowPrivateWebhookHosts = false
  /// Resolves webhook and callback hosts (the system's resolver by default).
  public var webhookResolver: any HostResolver = SystemResolver()
  /// How long a webhook or callback host may take to resolve (seconds) before the URL is refused.
  public var webhookResolveTimeout: Double = 5
  /// The addresses webhooks and callbacks must not go to unless ``allowPrivateWebhookHosts``: every
  /// special-purpose address.
  public var isForbiddenWebhookAddress: @Sendable (IPAddress) -> Bool = { $0.isSpecialPurpose }
  /// Write calls per minute per key and per organization.
  public var rateLimitPerKey = 60
  public var rateLimitPerOrganization = 600
  /// Where the server reads the time.
  public var clock: any ServerClock = SystemClock()
  /// `--webhook-backoff`: the first delay between delivery attempts (seconds), doubling after each.
  public var webhookBackoff: Double = 30
  /// The timeout of one delivery or ping (seconds).
  public var webhookTimeout: Double = 10
  /// Webhook deliveries in flight at once: in all, per organization, and per endpoint (webhook or
  /// callback URL). Due events are taken in turns across organizations, oldest first within each.
  public var webhookConcurrency = 64
  public var webhookConcurrencyPerOrganization = 16
  public var webhookConcurrencyPerEndpoint = 8
  /// How often idle workers look at the queue when nothing woke them (seconds).
  public var pollInterval: Double = 1

  public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

  /// Whether `host` names a loopback address (`localhost`, `127.0.0.0/8`, `::1`).
  public static func isLoopback(_ host: String) -> Bool {
    let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if bare.lowercased() == "localhost" { return true }
    guard let address = IPAddress(bare) else { return false }
    return address.isLoopback
  }

  /// Why `serve` must not start with this address and public URL, or `nil`: off loopback, download
  /// URLs would otherwise take their host from whatever `Host` header a client sends, and a public URL
  /// must be a plain `http(s)://host[:port][/path]`.
  public static func publicURLRefusal(host: String, publicURL: String?) -> String? {
    if let publicURL {
      guard let url = URL(string: publicURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
        let name = url.host, !name.isEmpty, url.user == nil, url.password == nil, url.query == nil, url.fragment == nil
      else {
        return "--public-url \(LogRedaction.url(publicURL)) must be an absolute http(s) URL without user, query or fragment, e.g. https://leads.example.com"
      }
      return nil
    }
    guard isLoopback(host) else {
      return "--host \(host) is not a loopback address: pass --public-url with the URL clients reach this server at (e.g. --public-url https://leads.example.com), so download links never take their host from a request"
    }
    return nil
  }

  /// The engine options every server run shares: the input, where outputs go, the phone column, the
  /// row limit, threads and model.
  func classifyOptions(input: String, output: String, phoneColumn: String) -> ClassifyOptions {
    var options = ClassifyOptions(inputPath: input)
    options.outputDirectory = output
    options.phoneColumn = phoneColumn
    options.maxRows = maximumNumbers
    options.threads = threadsPerJob
    options.model = model
    return options
  }
}
