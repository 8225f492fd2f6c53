import Foundation
import Scoring
import NANP
import Testing

@testable import DialReadyEngine

/// Records what the stages saw, under a lock (stages run on many threads).
final class StageLog: @unchecked Sendable {
  private let lock = NSLock()
  private var events: [(stage: String, sequence: Int, finished: Bool)] = []
  private var inFlight = 0
  private(set) var mostInFlight = 0

  func record(_ stage: String, _ sequence: Int, finished: Bool) {
    lock.lock()
    events.append((stage, sequence, finished))
    lock.unlock()
  }

  func admit() {
    lock.lock()
    inFlight += 1
    mostInFlight = max(mostInFlight, inFlight)
    lock.unlock()
  }

  func leave() {
    lock.lock()
    inFlight -= 1
    lock.unlock()
  }

  var all: [(stage: String, sequence: Int, finished: Bool)] {
    lock.lock()
    defer { lock.unlock() }
    return events
  }
}

@Suite("Ordered parallel executor")
struct OrderedParallelExecutorTests {
  /// Builds the classify pipeline's shape: any, any, in order, any, after earlier, in order, any.
  static func stages(items: Int, log: StageLog, failAt: Int? = nil) -> [OrderedParallelExecutor.Stage] {
    let shape: [(String, OrderedParallelExecutor.Order)] = [
      ("read", .any), ("parse", .any), ("place", .inOrder), ("insert", .any), ("decide", .afterEarlier),
      ("offsets", .inOrder), ("write", .any),
    ]
    return shape.enumerated().map { index, entry in
      OrderedParallelExecutor.Stage(name: entry.0, order: entry.1) { (_, sequence, _) throws(DialReadyError) in
        if index == 0 {
          guard sequence < items else { return false }
          log.admit()
        }
        log.record(entry.0, sequence, finished: false)
        // Uneven work, so items finish out of order.
        usleep(UInt32((sequence * 7919 + index * 104_729) % 300))
        if index == 2, sequence == failAt { throw .internalError("stop at \(sequence)") }
        log.record(entry.0, sequence, finished: true)
        if index == shape.count - 1 { log.leave() }
        return true
      }
    }
  }

  @Test(arguments: [1, 2, 3, 8])
  func stagesRunInTheirOrderAndSlotsBoundTheItemsInFlight(threads: Int) throws {
    let log = StageLog()
    let items = 60
    let executor = OrderedParallelExecutor(
      threads: threads, slots: 5, stages: Self.stages(items: items, log: log))
    try executor.run()
    let events = log.all
    for stage in ["read", "parse", "place", "insert", "decide", "offsets", "write"] {
      let starts = events.filter { $0.stage == stage && !$0.finished }.map(\.sequence)
      #expect(starts.sorted() == Array(0..<items), "\(stage) ran once per item")
    }
    // In-order stages start in sequence order, each after the previous item finished it.
    for stage in ["place", "offsets"] {
      let mine = events.filter { $0.stage == stage }
      #expect(mine.map(\.sequence) == (0..<items).flatMap { [$0, $0] }, "\(stage) in order")
    }
    // "decide" of item i starts only after "insert" finished for every item up to i.
    for (position, event) in events.enumerated() where event.stage == "decide" && !event.finished {
      let inserted = Set(events[..<position].filter { $0.stage == "insert" && $0.finished }.map(\.sequence))
      #expect((0...event.sequence).allSatisfy(inserted.contains), "decide \(event.sequence)")
    }
    // Every stage of an item starts after its previous stage finished.
    let order = ["read", "parse", "place", "insert", "decide", "offsets", "write"]
    for item in 0..<items {
      let positions = order.map { stage in
        (events.firstIndex { $0.stage == stage && $0.sequence == item && !$0.finished }!,
         events.firstIndex { $0.stage == stage && $0.sequence == item && $0.finished }!)
      }
      for k in 1..<positions.count { #expect(positions[k].0 > positions[k - 1].1) }
    }
    #expect(log.mostInFlight <= 5)
  }

  @Test(arguments: [1, 4])
  func aFailureStopsNewStagesAndIsThrown(threads: Int) {
    let log = StageLog()
    let executor = OrderedParallelExecutor(
      threads: threads, slots: 6, stages: Self.stages(items: 100, log: log, failAt: 10))
    #expect { try executor.run() } throws: { ($0 as? DialReadyError)?.description == DialReadyError.internalError("stop at 10").description }
    // Nothing after item 10 was placed: the in-order stage is where it stopped.
    #expect(!log.all.contains { $0.stage == "place" && $0.sequence > 10 })
  }
}

@Suite("Output layout")
struct OutputLayoutTests {
  /// `caseIndex` reads an enum's case number; it must be its place in `allCases` for every case.
  @Test func caseIndexIsThePlaceInAllCases() {
    for (i, value) in LineType.allCases.enumerated() { #expect(OutputLayout.caseIndex(value) == i) }
    for (i, value) in AnswerClass.allCases.enumerated() { #expect(OutputLayout.caseIndex(value) == i) }
    for (i, value) in RejectReason.allCases.enumerated() { #expect(OutputLayout.caseIndex(value) == i) }
  }
}

@Suite("Sharded dedup index")
struct ShardedDedupIndexTests {
  /// Chunks inserted in any order: once all are in, every row's first row is the smallest row of its
  /// number; a chunk inserted after every earlier one gets the same answer from its insert alone.
  @Test func smallestRowWinsWhateverTheInsertOrder() {
    var rng = SplitMix64(state: 5)
    // 40 chunks of 500 rows over 3,000 numbers: many repeats across and within chunks.
    let chunks: [[(key: UInt64, row: UInt32)]] = (0..<40).map { c in
      (0..<500).map { i in (UInt64(2_125_550_000 + Int.random(in: 0..<3000, using: &rng)), UInt32(c * 500 + i + 2)) }
    }
    var expected: [UInt64: UInt32] = [:]
    for chunk in chunks { for (key, row) in chunk where expected[key] == nil { expected[key] = row } }

    let shuffled = ShardedDedupIndex(expectedNumbers: 100)  // Grows as it fills.
    for c in (0..<40).shuffled(using: &rng) {
      var batch = ShardedDedupIndex.Batch()
      for (key, row) in chunks[c] { batch.append(key, row: row) }
      shuffled.insert(&batch)
    }
    for chunk in chunks {
      var batch = ShardedDedupIndex.Batch()
      for (key, row) in chunk { batch.append(key, row: row) }
      shuffled.lookUp(&batch)
      #expect(batch.firstRowsFinal)
      #expect(batch.firstRows == chunk.map { expected[$0.key]! })
    }

    let inOrder = ShardedDedupIndex(expectedNumbers: 3000)
    for chunk in chunks {
      var batch = ShardedDedupIndex.Batch()
      for (key, row) in chunk { batch.append(key, row: row) }
      inOrder.insert(&batch, everyEarlierInserted: true)
      #expect(batch.firstRowsFinal)
      #expect(batch.firstRows == chunk.map { expected[$0.key]! })
    }
  }
}
