import DialReadyEngine
import Foundation
import Logging
import ServiceLifecycle

/// The bounded pool that drains the durable job queue: `workers` loops, each claiming the next job
/// (fairly across organizations), running the engine on a thread of its own, and claiming again. A
/// new upload wakes an idle worker at once; otherwise idle workers look every `pollInterval` seconds.
/// On graceful shutdown (SIGTERM) workers finish the upload in hand and stop; jobs a killed server
/// left running are queued again on start.
public final class JobWorkerPool: Service, @unchecked Sendable {
  private let processor: UploadProcessor
  private let store: any ServerStore
  private let workers: Int
  private let pollInterval: Double
  private let clock: any ServerClock
  private let logger: Logger
  private let signal = WakeSignal()
  private let contactSignal = WakeSignal()
  private let classifier: NumberClassifier
  private let dispatcher: WebhookDispatcher

  init(
    processor: UploadProcessor, classifier: NumberClassifier, dispatcher: WebhookDispatcher,
    configuration: ServerConfiguration, store: any ServerStore, logger: Logger
  ) {
    self.processor = processor
    self.classifier = classifier
    self.dispatcher = dispatcher
    self.store = store
    workers = configuration.workers
    pollInterval = configuration.pollInterval
    clock = configuration.clock
    self.logger = logger
  }

  /// Wakes an idle worker (a job was queued).
  public func wake() { signal.notify() }

  /// Wakes the contact loop (a contact was queued).
  public func wakeContacts() { contactSignal.notify() }

  public func run() async throws {
    let store = self.store
    let requeued = try await BlockingThreads.store.run { try store.requeueInterruptedJobs() + store.requeueInterruptedContacts() }
    if requeued > 0 { logger.notice("queued again jobs a stopped server left running", metadata: ["jobs": "\(requeued)"]) }
    guard workers > 0 else {
      logger.notice("--workers 0: uploads are accepted and queued, not processed")
      try? await gracefulShutdown()
      return
    }
    await withTaskGroup(of: Void.self) { group in
      for index in 0..<workers {
        group.addTask { await self.workerLoop(index) }
      }
      // Contacts take microseconds each: a loop of their own, so long uploads never hold them up.
      group.addTask { await self.contactLoop() }
      group.addTask {
        try? await gracefulShutdown()
        self.signal.stop()
        self.contactSignal.stop()
      }
    }
    logger.info("workers stopped")
  }

  private func workerLoop(_ index: Int) async {
    while !signal.isStopped {
      let job: UploadRecord?
      do { job = try await BlockingThreads.store.run { try self.store.claimJob(at: self.clock.now()) } } catch {
        logger.error("cannot read the job queue", metadata: ["error": "\(error)"])
        job = nil
      }
      if let job {
        logger.info("processing upload", metadata: ["upload_id": "\(job.id)", "worker": "\(index)"])
        dispatcher.wake()
        await runOnThread { self.processor.process(job) }
        dispatcher.wake()
        continue
      }
      await signal.wait(timeout: pollInterval)
    }
  }

  private func contactLoop() async {
    while !signal.isStopped {
      // Store calls block: on the store's threads, off the cooperative pool.
      if (try? await BlockingThreads.store.run { self.processContact() }) == true { continue }
      await contactSignal.wait(timeout: pollInterval)
    }
  }

  /// Classifies the next queued contact, if any (microseconds: no thread of its own).
  private func processContact() -> Bool {
    let contact: ContactRecord?
    do { contact = try store.claimContact(at: clock.now()) } catch {
      logger.error("cannot read the contact queue", metadata: ["error": "\(error)"])
      return false
    }
    guard let contact else { return false }
    let result = classifier.classify(contact.phone, at: clock.now())
    let failed = result.e164 == nil ? "phone is not a valid number (\(result.reason ?? "invalid"))" : nil
    do {
      try store.finishContact(
        id: contact.id, optimaldialStatus: failed == nil ? result.classification : nil, errorMessage: failed, at: clock.now())
    } catch {
      logger.error("cannot record a contact", metadata: ["contact_id": "\(contact.id)", "error": "\(error)"])
    }
    dispatcher.wake()
    return true
  }

  /// Runs blocking engine work off the cooperative pool.
  private func runOnThread(_ work: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let thread = Thread {
        work()
        continuation.resume()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
  }
}

/// Wakes waiting workers: `notify` releases one waiter (or the next to wait), `stop` all of them for good.
final class WakeSignal: @unchecked Sendable {
  private let lock = NSLock()
  private var pending = 0
  private var stopped = false
  private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

  var isStopped: Bool { lock.withLock { stopped } }

  func notify() {
    let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
      if let (id, continuation) = waiters.first {
        waiters[id] = nil
        return continuation
      }
      pending = 1  // one wake-up is enough for any number of notifications
      return nil
    }
    waiter?.resume()
  }

  func stop() {
    let all: [CheckedContinuation<Void, Never>] = lock.withLock {
      stopped = true
      defer { waiters.removeAll() }
      return Array(waiters.values)
    }
    for continuation in all { continuation.resume() }
  }

  /// Returns when notified, stopped, or after `timeout` seconds.
  func wait(timeout: Double) async {
    let id = UUID()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let resumeNow: Bool = lock.withLock {
        if stopped { return true }
        if pending > 0 {
          pending -= 1
          return true
        }
        waiters[id] = continuation
        return false
      }
      if resumeNow {
        continuation.resume()
        return
      }
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
        guard let self else { return }
        let expired: CheckedContinuation<Void, Never>? = self.lock.withLock {
          defer { self.waiters[id] = nil }
          return self.waiters[id]
        }
        expired?.resume()
      }
    }
  }
}
