import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

@testable import DialReadyServer

/// A webhook receiver on a loopback port: records every POST (headers and body) and answers with the
/// status `respond` picks for it.
final class Receiver: @unchecked Sendable {
  struct Delivery {
    var event: String
    var signature: String?
    var body: String
    var at: Date
    /// The request's `Host` header.
    var host: String?
  }

  private let lock = NSLock()
  private var received: [Delivery] = []
  private var task: Task<Void, any Error>?
  private(set) var port = 0
  /// The status for the nth POST of an event type (1-based count of that type).
  let respond: @Sendable (_ event: String, _ count: Int) -> Int
  /// The loopback address it listens on.
  let address: String
  /// How long it waits before answering.
  let delay: Double
  /// How long it holds the nth POST of an event type before answering, on top of `delay` (an
  /// asynchronous wait: a receiver that blocked a thread of the cooperative pool could stall the
  /// test that drives it).
  let hold: @Sendable (_ event: String, _ count: Int) -> Double

  init(
    address: String = "127.0.0.1", port: Int = 0, delay: Double = 0,
    hold: @escaping @Sendable (_ event: String, _ count: Int) -> Double = { _, _ in 0 },
    respond: @escaping @Sendable (_ event: String, _ count: Int) -> Int = { _, _ in 200 }
  ) {
    self.address = address
    self.port = port
    self.delay = delay
    self.hold = hold
    self.respond = respond
  }

  var deliveries: [Delivery] { lock.withLock { received } }
  var url: String { "http://\(address):\(port)/hook" }

  func start() async throws {
    let router = Router()
    router.post("/hook") { request, _ -> Response in
      let body = try await request.body.collect(upTo: 1 << 20)
      let event = request.headers[HTTPField.Name("DialReady-Event")!] ?? ""
      let delivery = Delivery(
        event: event, signature: request.headers[HTTPField.Name(EventSignature.headerName)!],
        body: String(buffer: body), at: Date(), host: request.head.authority)
      let count: Int = self.lock.withLock {
        self.received.append(delivery)
        return self.received.filter { $0.event == event }.count
      }
      let pause = self.delay + self.hold(event, count)
      if pause > 0 { try? await Task.sleep(nanoseconds: UInt64(pause * 1e9)) }
      return Response(status: .init(code: self.respond(event, count)))
    }
    var logger = Logger(label: "receiver")
    logger.logLevel = .critical
    let ready = AsyncStream<Int>.makeStream()
    let app = Application(
      router: router, configuration: .init(address: .hostname(address, port: port)),
      onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
    task = Task { try await app.runService(gracefulShutdownSignals: []) }
    for await port in ready.stream {
      self.port = port
      break
    }
  }

  func stop() { task?.cancel() }

  /// Waits until `condition` holds on the deliveries so far.
  func wait(_ seconds: Double = 20, until condition: ([Delivery]) -> Bool) async throws -> Bool {
    try await eventually(seconds) { condition(self.deliveries) }
  }
}
