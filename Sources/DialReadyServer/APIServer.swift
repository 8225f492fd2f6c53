import DialReadyEngine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `dialready serve`: the reference APIs over the engine. Opens the store in the data directory,
/// registers the routes, and runs the HTTP server and the job workers as one service group, so
/// SIGTERM drains in-flight requests and the uploads in hand before the process exits 0.
public struct APIServer {
  /// The HTTP application (with the worker pool among its services).
  public let application: Application<RouterResponder<ServerContext>>
  /// The store, for tests and admin commands.
  public let store: any ServerStore
  /// The job workers.
  public let pool: JobWorkerPool
  /// The webhook deliveries.
  public let dispatcher: WebhookDispatcher

  /// Builds the server; nothing listens until ``run()``.
  public init(configuration: ServerConfiguration, logger: Logger, onServerRunning: (@Sendable (Int) async -> Void)? = nil) throws {
    try self.init(
      configuration: configuration, store: try Self.openStore(dataDirectory: configuration.dataDirectory), logger: logger,
      onServerRunning: onServerRunning)
  }

  /// Builds the server over a store already open on the data directory.
  init(
    configuration: ServerConfiguration, store: any ServerStore, logger: Logger,
    onServerRunning: (@Sendable (Int) async -> Void)? = nil
  ) throws {
    let files = try FileStore(root: configuration.dataDirectory)
    files.removeLeftovers()
    let signer = URLSigner(secret: try URLSigner.loadSecret(dataDirectory: configuration.dataDirectory))
    let processor = UploadProcessor(configuration: configuration, files: files, store: store, logger: logger)
    var classifierOptions = ClassifyOptions(inputPath: "-")
    classifierOptions.dncPaths = configuration.dncPaths
    classifierOptions.lookupPath = configuration.lookupPath
    classifierOptions.historyPath = configuration.historyPath
    classifierOptions.model = configuration.model
    let classifier = try NumberClassifier(options: classifierOptions)
    let targets = WebhookTargets(configuration: configuration)
    let dispatcher = WebhookDispatcher(store: store, configuration: configuration, targets: targets, logger: logger)
    let pool = JobWorkerPool(
      processor: processor, classifier: classifier, dispatcher: dispatcher, configuration: configuration, store: store,
      logger: logger)
    let rateLimiter = RateLimiter(perKey: configuration.rateLimitPerKey, perOrganization: configuration.rateLimitPerOrganization)
    let router = Router(context: ServerContext.self)
    router.add(middleware: EnvelopeMiddleware(logger: logger))
    UploadsAPI(
      configuration: configuration, store: store, files: files, signer: signer, rateLimiter: rateLimiter, pool: pool,
      intakeSlots: AsyncSlots(configuration.concurrentIntakes), events: dispatcher, logger: logger
    ).register(on: router)
    WebhooksAPI(configuration: configuration, store: store, rateLimiter: rateLimiter, targets: targets).register(on: router)
    ContactsAPI(
      configuration: configuration, store: store, rateLimiter: rateLimiter, classifier: classifier, pool: pool, targets: targets
    )
      .register(on: router)
    application = Application(
      router: router, server: .http1(configuration: .init(additionalChannelHandlers: [ContinueHandler(maximumBodyBytes: configuration.maximumBodyBytes + 1024 * 1024)], idleTimeout: .seconds(75))), configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "dialready"),
      services: [pool, dispatcher],
      onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? 0) },
      logger: logger)
    self.store = store
    self.pool = pool
    self.dispatcher = dispatcher
  }

  /// The store of a data directory (`DIR/dialready.sqlite`), created when missing. The directory is set
  /// to `0700` and the database with its WAL and shared-memory files to `0600`, whatever the umask:
  /// they hold key hashes, webhook secrets and every organization's data.
  public static func openStore(dataDirectory: String) throws -> any ServerStore {
    try FileStore.makePrivateFolder(dataDirectory)
    let path = dataDirectory + "/dialready.sqlite"
    // SQLite gives the WAL and shared-memory files the database file's mode: create it private first.
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    if fd >= 0 { close(fd) }
    try FileStore.makePrivate(path)
    let store = try SQLiteStore(path: path)
    for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
      try FileStore.makePrivate(path + suffix)
    }
    return store
  }

  /// Serves until SIGTERM or SIGINT, then drains and returns.
  public func run() async throws {
    try await application.runService()
  }
}

/// Turns every error into the reference's `{"detail": …}` envelope and logs each request.
struct EnvelopeMiddleware: RouterMiddleware {
  typealias Context = ServerContext
  let logger: Logger

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    let started = DispatchTime.now().uptimeNanoseconds
    let response: Response
    do {
      response = try await next(request, context)
    } catch let error as APIError {
      response = Self.response(error)
    } catch let error as HTTPError {
      if error.status == .notFound, let allowed = RouteTable.methods(for: request.uri.path), !allowed.contains(request.method) {
        var refusal = APIError(.methodNotAllowed, "Method Not Allowed")
        refusal.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        response = Self.response(refusal)
      } else {
        response = Self.response(APIError(error.status, error.body ?? error.status.reasonPhrase))
      }
    } catch {
      logger.error("unexpected error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
      response = Self.response(APIError(.internalServerError, "Internal server error"))
    }
    let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
    logger.debug(
      "request",
      metadata: [
        "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
        "ms": "\(String(format: "%.2f", milliseconds))",
      ])
    return response
  }

  static func response(_ error: APIError) -> Response {
    var headers = error.headers
    headers[.contentType] = "application/json"
    return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body)))
  }
}
