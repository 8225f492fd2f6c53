import Testing

@testable import Scoring

@Suite("Time split")
struct TimeSplitTests {
  @Test func holdsOutExactlyTheLatestFifth() throws {
    // Timestamps 0..<1000 in a scrambled order.
    let n = 1000
    let timestamps = (0..<n).map { Double(($0 * 379) % n) }
    let split = try TimeSplit(timestamps: timestamps)
    #expect(split.holdout.count == 200)
    #expect(split.train.count == 800)
    #expect(Set(split.holdout.map { timestamps[$0] }) == Set((800..<1000).map(Double.init)))
    #expect(Set(split.train + split.holdout) == Set(0..<n))
    #expect(split.holdout == split.holdout.sorted() && split.train == split.train.sorted())
  }

  @Test func tiesGoByRowIndex() throws {
    // Ten rows at the same moment: the last two rows are the latest.
    let split = try TimeSplit(timestamps: [Int](repeating: 5, count: 10))
    #expect(split.holdout == [8, 9])
    let mixed = try TimeSplit(timestamps: [3, 1, 3, 2, 3], holdoutFraction: 0.4)
    #expect(mixed.holdout == [2, 4])
    #expect(mixed.train == [0, 1, 3])
  }

  @Test(arguments: [(0.0, 0), (1.0, 7), (0.5, 4)])
  func fractionSetsTheHoldoutSize(_ fraction: Double, _ expected: Int) throws {
    let split = try TimeSplit(timestamps: Array(0..<7), holdoutFraction: fraction)
    #expect(split.holdout.count == expected)
  }

  @Test func badInputsAreRejected() {
    #expect(throws: TrainingError.invalidParameter(name: "holdoutFraction", value: 1.5, allowed: "between 0 and 1")) {
      try TimeSplit(timestamps: [1, 2], holdoutFraction: 1.5)
    }
    #expect(throws: TrainingError.unorderedTimestamp(row: 1)) {
      try TimeSplit(timestamps: [1, Double.nan])
    }
  }
}
