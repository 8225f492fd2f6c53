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
  /// `--public-url`: the scheme, host and port download URLs start with; by default the request's Host.
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
  /// Refuse webhook and callback URLs whose host resolves to a loopback, private or link-local
  /// address (`serve --allow-private-webhooks` turns this off, e.g. for receivers on the same network).
  public var allowPrivateWebhookHosts = false
  /// Write calls per minute per key and per organization.
  public var rateLimitPerKey = 60
  public var rateLimitPerOrganization = 600
  /// Where the server reads the time.
  public var clock: any ServerClock = SystemClock()
  /// `--webhook-backoff`: the first delay between delivery attempts (seconds), doubling after each.
  public var webhookBackoff: Double = 30
  /// The timeout of one delivery or ping (seconds).
  public var webhookTimeout: Double = 10
  /// How often idle workers look at the queue when nothing woke them (seconds).
  public var pollInterval: Double = 1

  public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

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
