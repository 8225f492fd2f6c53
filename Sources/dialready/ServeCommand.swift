import ArgumentParser
import DialReadyEngine
import DialReadyServer
import Foundation
import Logging
import Scoring

/// `dialready serve`: the reference Uploads API over the engine.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve the Uploads API (the reference documents' HTTP API) over the same engine.",
    discussion: """
      SIGTERM or SIGINT drains in-flight requests and the uploads in hand, then exits 0.
      On an address other than loopback, --public-url is required (download URLs are built from it, never \
      from a request's Host header); without it serve exits 64 before opening anything.
      """)

  @Option(help: "Address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "Port to listen on (0: any free port, printed at start).")
  var port = 8080

  @Option(help: "Data directory: the SQLite store, stored files and the URL-signing secret.")
  var data = "./dialready-data"

  @Option(help: "Uploads processed at once; 0 accepts and queues uploads without processing them (maintenance).")
  var workers = 1

  @Option(help: "Engine threads per upload (default: every core).")
  var threads: Int?

  @Option(help: "Scheme, host and port that download URLs start with (required unless --host is loopback; there the default is the request's Host).")
  var publicURL: String?

  @Option(help: "A do-not-call index or list applied to uploads that set enable_dnc (repeatable).")
  var dnc: [String] = []

  @Option(help: "Line-type lookups applied unless an upload sets skip_mobile_lookup.")
  var lookup: String?

  @Option(help: "Past call outcomes for the answer model.")
  var history: String?

  @Option(help: "An answer model file (default: the built-in model).")
  var model: String?

  @Option(help: "First delay between webhook delivery attempts, in seconds (doubling, 6 attempts in all).")
  var webhookBackoff: Double = 30

  @Option(help: "Timeout of one webhook delivery or ping, in seconds.")
  var webhookTimeout: Double = 10

  @Flag(help: "Allow webhook and callback URLs on loopback, private and link-local addresses (receivers on this network).")
  var allowPrivateWebhooks = false

  @Option(help: "Write calls per minute per API key (the reference's 60).")
  var rateLimitPerKey = 60

  @Option(help: "Write calls per minute per organization (the reference's 600).")
  var rateLimitPerOrganization = 600

  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel = "info"

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
    guard workers >= 0 else { throw ValidationError("--workers must be 0 or more") }
    guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
  }

  func run() throws {
    if let refusal = ServerConfiguration.publicURLRefusal(host: host, publicURL: publicURL) {
      standardError("dialready: serve: \(refusal)")
      throw ExitCode(64)
    }
    var configuration = ServerConfiguration(dataDirectory: data)
    configuration.host = host
    configuration.port = port
    configuration.workers = workers
    if let threads { configuration.threadsPerJob = max(1, threads) }
    configuration.publicURL = publicURL
    configuration.webhookBackoff = max(0.001, webhookBackoff)
    configuration.webhookTimeout = max(0.1, webhookTimeout)
    configuration.allowPrivateWebhookHosts = allowPrivateWebhooks
    configuration.rateLimitPerKey = max(1, rateLimitPerKey)
    configuration.rateLimitPerOrganization = max(1, rateLimitPerOrganization)
    configuration.dncPaths = dnc
    configuration.lookupPath = lookup
    configuration.historyPath = history
    if let model {
      do { configuration.model = try LogisticAnswerModel.load(path: model) } catch {
        standardError("dialready: \(error.description)")
        throw ExitCode(65)
      }
    }
    let level = Logger.Level(rawValue: logLevel) ?? .info
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "dialready.serve")
    let server: APIServer
    let (address, workers) = (host, self.workers)
    do {
      server = try APIServer(configuration: configuration, logger: logger) { [data] port in
        // Printed on standard output so scripts (and `--port 0` users) can read the address.
        print("dialready: serving on http://\(address):\(port) (data: \(data), workers: \(workers))")
        fflush(stdout)
      }
    } catch {
      standardError("dialready: \(data): cannot open the data directory: \(error)")
      throw ExitCode(73)
    }
    let outcome = blockingRun { try await server.run() }
    if case .failure(let error) = outcome {
      standardError("dialready: serve: \(error)")
      throw ExitCode(70)
    }
  }
}

/// Runs async work from a synchronous command and waits for it.
func blockingRun(_ work: @escaping @Sendable () async throws -> Void) -> Result<Void, any Error> {
  let done = DispatchSemaphore(value: 0)
  nonisolated(unsafe) var outcome: Result<Void, any Error> = .success(())
  Task.detached {
    do { try await work() } catch { outcome = .failure(error) }
    done.signal()
  }
  done.wait()
  return outcome
}

/// `dialready admin`: organizations, API keys and credits in a server's data directory.
struct Admin: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Manage the server's organizations, API keys and credits (works beside a running server).",
    subcommands: [CreateOrg.self, CreateKey.self, RevokeKey.self, AddCredits.self, List.self])

  struct DataOption: ParsableArguments {
    @Option(help: "Data directory of the server.")
    var data = "./dialready-data"

    func open() throws -> any ServerStore {
      do { return try APIServer.openStore(dataDirectory: data) } catch {
        standardError("dialready: \(data): cannot open the store: \(error)")
        throw ExitCode(73)
      }
    }
  }

  static func fail(_ error: any Error) -> ExitCode {
    standardError("dialready: \(error)")
    return ExitCode(error is StoreError ? 65 : 70)
  }

  struct CreateOrg: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-org", abstract: "Create an organization.")
    @Argument(help: "Organization name.") var name: String
    @Option(help: "Opening credit balance.") var credits = 0
    @Flag(help: "Create it without an active subscription (writes get 403).") var noSubscription = false
    @OptionGroup var data: DataOption

    func run() throws {
      let store = try data.open()
      do {
        let org = try store.createOrganization(name: name, credits: credits, subscription: !noSubscription, at: Date())
        print("organization \(org.id) \(org.name): \(org.creditBalance) credits, subscription \(org.hasSubscription ? "active" : "none")")
      } catch { throw Admin.fail(error) }
    }
  }

  struct CreateKey: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "create-key", abstract: "Create an API key; it is printed once and only its SHA-256 is kept.")
    @Argument(help: "Organization name or id.") var organization: String
    @OptionGroup var data: DataOption

    func run() throws {
      let store = try data.open()
      do {
        guard let org = try store.organization(organization) else { throw StoreError.organizationNotFound(organization) }
        let key = APIKeys.generate()
        let record = try store.createAPIKey(
          organizationId: org.id, keyHash: APIKeys.hash(key), prefix: APIKeys.prefix(key), at: Date())
        print(key)
        standardError("dialready: key \(record.id) (\(record.prefix)…) for \(org.name); store it now, it is not shown again")
      } catch { throw Admin.fail(error) }
    }
  }

  struct RevokeKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke-key", abstract: "Revoke an API key.")
    @Argument(help: "Key id or prefix (as `admin list` shows).") var key: String
    @OptionGroup var data: DataOption

    func run() throws {
      let store = try data.open()
      do {
        let record = try store.revokeAPIKey(key, at: Date())
        print("key \(record.id) (\(record.prefix)…) revoked at \(record.revokedAt ?? "")")
      } catch { throw Admin.fail(error) }
    }
  }

  struct AddCredits: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-credits", abstract: "Add credits to an organization.")
    @Argument(help: "Organization name or id.") var organization: String
    @Argument(help: "Credits to add (negative to remove).") var credits: Int
    @OptionGroup var data: DataOption

    func run() throws {
      let store = try data.open()
      do {
        guard let org = try store.organization(organization) else { throw StoreError.organizationNotFound(organization) }
        let balance = try store.addCredits(organizationId: org.id, credits: credits, at: Date())
        print("\(org.name): \(balance) credits")
      } catch { throw Admin.fail(error) }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List organizations, their balances and keys.")
    @OptionGroup var data: DataOption

    func run() throws {
      let store = try data.open()
      do {
        for (org, keys) in try store.listOrganizations() {
          print("\(org.id)  \(org.name)  credits \(org.creditBalance)  subscription \(org.hasSubscription ? "active" : "none")")
          for key in keys {
            print("  key \(key.id)  \(key.prefix)…  created \(key.createdAt)\(key.revokedAt.map { "  revoked \($0)" } ?? "")")
          }
        }
      } catch { throw Admin.fail(error) }
    }
  }
}
