import Foundation

/// Runs a stream of items (a job's chunks, numbered from 0 in input order) through a fixed list of
/// stages on a fixed number of threads, with a fixed number of item slots.
///
/// Each stage says how it is ordered: ``Order/any`` stages of different items run at once in any
/// order; an ``Order/inOrder`` stage runs for item `i` only after item `i - 1` finished it (the
/// per-chunk bookkeeping: row numbers, output offsets); an ``Order/afterEarlier`` stage runs for item `i`
/// only once every item up to `i` finished the stage before it (deciding duplicates once every earlier
/// row is in the table). A thread always takes the ready stage of the earliest item, so the
/// pipeline drains in order and a slot is reused as soon as its item's last stage has run.
///
/// This is the only place in the engine where threads meet: the stages run
/// with exclusive access to their item's slot, which is what makes the job's unchecked sendability
/// sound. Scheduling costs a lock and a scan of the items in flight per stage of a chunk, never per row.
final class OrderedParallelExecutor: @unchecked Sendable {  // All mutable state is guarded by `condition`.
  /// When a stage may run for an item.
  enum Order {
    case any
    case inOrder
    case afterEarlier
  }

  /// One stage: `run(slot, sequence, worker)`. The first stage returns `false` when there is no item
  /// `sequence` (the input has ended); the others return `true`.
  struct Stage {
    let name: String
    let order: Order
    let run: (_ slot: Int, _ sequence: Int, _ worker: Int) throws(DialReadyError) -> Bool
  }

  private struct Item {
    var sequence: Int
    var slot: Int
    /// The next stage to run (`stages.count` once all ran).
    var stage: Int
    var busy: Bool
  }

  let threads: Int
  private let stages: [Stage]
  private let condition = NSCondition()
  private var items: [Item] = []
  private var freeSlots: [Int]
  private var nextSequence = 0
  private var inputEnded = false
  private var endSequence = Int.max
  private var nextInOrder: [Int]
  /// Per stage: every item below this sequence has finished it.
  private var watermark: [Int]
  private var failure: DialReadyError?
  private var liveThreads = 0
  /// Nanoseconds spent in each stage, all threads together.
  private(set) var stageNanoseconds: [UInt64]

  /// An executor over `slots` slots (the first item gets slot 0).
  init(threads: Int, slots: Int, stages: [Stage]) {
    precondition(!stages.isEmpty && stages[0].order != .afterEarlier)
    self.threads = max(1, threads)
    self.stages = stages
    freeSlots = Array((0..<max(1, slots)).reversed())
    nextInOrder = Array(repeating: 0, count: stages.count)
    watermark = Array(repeating: 0, count: stages.count)
    stageNanoseconds = Array(repeating: 0, count: stages.count)
  }

  /// Runs every item through every stage on `threads` threads (the calling one among them) and
  /// returns once all are finished; throws the first failure (no new stage starts after one).
  func run() throws(DialReadyError) {
    condition.lock()
    liveThreads = threads
    condition.unlock()
    for worker in 1..<threads {
      let thread = Thread { [self] in self.work(worker) }
      thread.name = "dialready.worker.\(worker)"
      // As large as the main thread's: a streaming reader (XML, JSON) may run its read stage here.
      thread.stackSize = 8 << 20
      thread.start()
    }
    work(0)
    condition.lock()
    while liveThreads > 0 { condition.wait() }
    let failure = self.failure
    condition.unlock()
    if let failure { throw failure }
  }

  /// Whether every item before `sequence` has finished `stage` (a stage may use it to know that
  /// nothing earlier can still change what it reads).
  func everyItem(before sequence: Int, hasFinished stage: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    return watermark[stage] >= sequence
  }

  // MARK: - Scheduling

  private func work(_ worker: Int) {
    condition.lock()
    while failure == nil && !(inputEnded && items.isEmpty) {
      guard let (index, stage) = takeReadyStage() else {
        condition.wait()
        continue
      }
      let item = items[index]
      condition.unlock()
      let began = MonotonicClock.nanoseconds
      let outcome: Result<Bool, DialReadyError> = Result { () throws(DialReadyError) in
        try stages[stage].run(item.slot, item.sequence, worker)
      }
      let spent = MonotonicClock.nanoseconds - began
      condition.lock()
      stageNanoseconds[stage] &+= spent
      switch outcome {
      case .success(let exists): complete(item.sequence, stage: stage, exists: exists)
      case .failure(let error): if failure == nil { failure = error }
      }
      condition.broadcast()
    }
    liveThreads -= 1
    condition.broadcast()
    condition.unlock()
  }

  /// The earliest item with a stage that may run now (marked busy), admitting a new item when none
  /// is ready and a slot is free. Called with the lock held.
  private func takeReadyStage() -> (index: Int, stage: Int)? {
    for index in items.indices where !items[index].busy && items[index].stage < stages.count {
      let item = items[index]
      let ready: Bool
      switch stages[item.stage].order {
      case .any: ready = true
      case .inOrder: ready = nextInOrder[item.stage] == item.sequence
      case .afterEarlier: ready = watermark[item.stage - 1] > item.sequence
      }
      if ready {
        items[index].busy = true
        return (index, item.stage)
      }
    }
    guard !inputEnded, let slot = freeSlots.last,
      stages[0].order != .inOrder || nextInOrder[0] == nextSequence
    else { return nil }
    freeSlots.removeLast()
    items.append(Item(sequence: nextSequence, slot: slot, stage: 0, busy: true))
    nextSequence += 1
    return (items.count - 1, 0)
  }

  /// Records that `sequence` finished `stage`. Called with the lock held.
  private func complete(_ sequence: Int, stage: Int, exists: Bool) {
    guard let index = items.firstIndex(where: { $0.sequence == sequence }) else { return }
    if stage == 0 && !exists {
      // There is no such item: the input has ended. Later items were never admitted (stage 0 is
      // in order when reading is sequential) or do not exist either.
      inputEnded = true
      endSequence = min(endSequence, sequence)
      freeSlots.append(items[index].slot)
      items.remove(at: index)
      items.removeAll { item in
        guard item.sequence > endSequence && !item.busy else { return false }
        freeSlots.append(item.slot)
        return true
      }
      return
    }
    items[index].busy = false
    items[index].stage = stage + 1
    if stages[stage].order == .inOrder { nextInOrder[stage] += 1 }
    advanceWatermark(stage)
    if items[index].stage == stages.count { finish(at: index) }
  }

  private func advanceWatermark(_ stage: Int) {
    while watermark[stage] < min(nextSequence, endSequence) {
      let next = watermark[stage]
      if let item = items.first(where: { $0.sequence == next }), item.stage <= stage { break }
      watermark[stage] += 1
    }
  }

  private func finish(at index: Int) {
    freeSlots.append(items[index].slot)
    items.remove(at: index)
  }
}

/// The monotonic clock, in nanoseconds.
enum MonotonicClock {
  static var nanoseconds: UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
  }
}
