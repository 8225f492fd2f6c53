import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Signs an event body: `DialReady-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
public enum EventSignature {
  public static let headerName = "DialReady-Signature"

  /// The header value for `body` signed with `secret` at `timestamp`.
  public static func header(body: String, secret: String, timestamp: Int) -> String {
    let mac = HMAC<SHA256>.authenticationCode(
      for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
    return "t=\(timestamp),v1=\(Hex.string(mac))"
  }

  /// What a receiver does: checks the signature and that `t` is at most `tolerance` seconds old.
  public static func verify(header: String, body: String, secret: String, now: Int, tolerance: Int = 300) -> Bool {
    var timestamp: Int?
    var signatures: [String] = []
    for part in header.split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1)
      guard pair.count == 2 else { continue }
      if pair[0] == "t" { timestamp = Int(pair[1]) }
      if pair[0] == "v1" { signatures.append(String(pair[1])) }
    }
    guard let timestamp, abs(now - timestamp) <= tolerance else { return false }
    let expected = self.header(body: body, secret: secret, timestamp: timestamp).split(separator: "=").last.map(String.init) ?? ""
    return signatures.contains { constantTimeEqual($0, expected) }
  }

  static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a.utf8, b.utf8) { difference |= x ^ y }
    return difference == 0
  }
}

/// Delivers the outbox: every pending event due now is POSTed to its endpoint with its signature, each
/// in a task of its own: up to 64 at once, at most 16 of one organization and 8 of one endpoint, taken
/// in turns across organizations (oldest first within each), so a slow or dead receiver only delays its
/// own organization's deliveries.
/// Up to 6 attempts; after a failure the next waits `backoff × 2^(attempt−1)`, jittered by ±20%. Every
/// attempt is recorded with its status and latency. Delivery is at least once: a crash between a
/// receiver's 2xx and the record sends the event again after restart.
public final class WebhookDispatcher: Service, @unchecked Sendable {
  /// Attempts per event.
  public static let maximumAttempts = 6
  private let store: any ServerStore
  private let backoff: Double
  private let timeout: Int64
  private let timeoutSeconds: Double
  private let targets: WebhookTargets
  private let concurrency: Int
  private let perOrganization: Int
  private let perEndpoint: Int
  private let logger: Logger
  private let signal = WakeSignal()
  private let lock = NSLock()
  private var inFlight = 0

  init(store: any ServerStore, configuration: ServerConfiguration, targets: WebhookTargets, logger: Logger) {
    self.store = store
    backoff = configuration.webhookBackoff
    timeout = Int64(configuration.webhookTimeout * 1000)
    timeoutSeconds = configuration.webhookTimeout
    self.targets = targets
    concurrency = max(1, configuration.webhookConcurrency)
    perOrganization = max(1, configuration.webhookConcurrencyPerOrganization)
    perEndpoint = max(1, configuration.webhookConcurrencyPerEndpoint)
    self.logger = logger
  }

  /// Wakes the dispatcher (an event was queued).
  public func wake() { signal.notify() }

  public func run() async throws {
    let store = self.store
    // Store calls block: on the store's threads, off the cooperative pool.
    try await BlockingThreads.store.run { try store.releaseEventLeases() }
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        try? await gracefulShutdown()
        self.signal.stop()
      }
      while !signal.isStopped {
        let room = lock.withLock { concurrency - inFlight }
        var due: [OutboxEvent] = []
        if room > 0 {
          do {
            // Held for longer than an attempt can take, so no other pass takes it meanwhile.
            let (lease, perOrganization, perEndpoint) = (timeoutSeconds + 30, self.perOrganization, self.perEndpoint)
            due = try await BlockingThreads.store.run {
              try store.claimDueEvents(
                now: Date().timeIntervalSince1970, lease: lease, limit: room, perOrganization: perOrganization,
                perEndpoint: perEndpoint)
            }
          } catch {
            logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
          }
        }
        for event in due {
          lock.withLock { inFlight += 1 }
          group.addTask {
            await self.deliver(event)
            self.lock.withLock { self.inFlight -= 1 }
            self.signal.notify()
          }
        }
        // Until the next event falls due or a hold ends; events due but over their share wait for a
        // delivery to finish (which wakes this loop).
        var wait = 0.5
        let now = Date().timeIntervalSince1970
        if let next = try? await BlockingThreads.store.run({ try store.nextEventDue(after: now) }) {
          wait = min(wait, max(0.005, next - now))
        }
        await signal.wait(timeout: wait)
      }
      // In-flight deliveries finish (each within its timeout) before the service ends.
    }
  }

  /// One attempt: POST, record, schedule the next.
  func deliver(_ event: OutboxEvent) async {
    let started = DispatchTime.now().uptimeNanoseconds
    var statusCode: Int?
    var failure: String?
    do {
      // Resolved and checked at each attempt (the name may point elsewhere by now); the request goes
      // to the address checked.
      let target = try await targets.target(event.url)
      var headers = [("Content-Type", "application/json"), ("User-Agent", "DialReady-Webhooks/1"), ("DialReady-Event", event.type)]
      if let secret = event.secret, !secret.isEmpty {
        headers.append(
          (EventSignature.headerName,
           EventSignature.header(body: event.payload, secret: secret, timestamp: Int(Date().timeIntervalSince1970))))
      }
      statusCode = try await targets.post(target, headers: headers, body: event.payload, timeout: timeoutSeconds)
    } catch let error as APIError {
      failure = error.message
    } catch {
      failure = "\(error)"
    }
    // Cut short by shutdown: record nothing; the next server sends it again.
    if Task.isCancelled && statusCode == nil { return }
    let latency = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
    let delivered = statusCode.map { (200..<300).contains($0) } ?? false
    let attempt = event.attempts + 1
    var retryAt: Double?
    if !delivered && attempt < Self.maximumAttempts {
      let jitter = Double.random(in: 0.8...1.2)
      retryAt = Date().timeIntervalSince1970 + backoff * pow(2, Double(attempt - 1)) * jitter
    }
    do {
      let (store, statusCode, failure) = (self.store, statusCode, failure)
      try await BlockingThreads.store.run {
        try store.recordAttempt(
          event, statusCode: statusCode, error: failure, latencyMilliseconds: latency, delivered: delivered, retryAt: retryAt,
          at: Date())
      }
    } catch {
      logger.error("cannot record a delivery", metadata: ["event_id": "\(event.eventId)", "error": "\(error)"])
    }
    if !delivered {
      logger.notice(
        "webhook delivery failed",
        metadata: [
          "event_id": "\(event.eventId)", "url": "\(LogRedaction.url(event.url))", "attempt": "\(attempt)",
          "status": "\(statusCode.map(String.init) ?? "none")", "error": "\(failure ?? "")",
        ])
    }
  }

  /// The synchronous ping sent when an endpoint is registered or moved, to the address checked: the
  /// status the receiver gave, or `nil` and the error when the request never completed.
  static func ping(
    _ target: WebhookTargets.Target, targets: WebhookTargets, secret: String, webhookId: String, timeout seconds: Double
  ) async -> (Int?, String?) {
    let body = String(
      decoding: JSONValue.ordered([
        ("id", .string("evt_ping_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())),
        ("type", .string("ping")), ("created_at", .string(Timestamp.string(Date()))),
        ("data", .ordered([("webhook_id", .string(webhookId))])),
      ]).bytes(), as: UTF8.self)
    let headers = [
      ("Content-Type", "application/json"), ("DialReady-Event", "ping"),
      (EventSignature.headerName, EventSignature.header(body: body, secret: secret, timestamp: Int(Date().timeIntervalSince1970))),
    ]
    do {
      return (try await targets.post(target, headers: headers, body: body, timeout: seconds), nil)
    } catch {
      return (nil, "\(error)")
    }
  }
}
