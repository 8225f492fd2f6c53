import Benchmark
import NANP
import Scoring

/// Numbers to score, parsed once outside the measured loop.
let numbers: [PhoneNumber] = {
  let parser = PhoneNumberParser()
  var result: [PhoneNumber] = []
  var line = 1000
  for npa in [212, 312, 415, 646, 713, 416, 604, 800, 305, 206] {
    for _ in 0..<100 {
      line = (line * 7919 + 13) % 9000 + 1000
      if let number = parser.parse("(\(npa)) 368-\(line)").number { result.append(number) }
    }
  }
  return result
}()

/// Histories of a few calls each, as `--history` gives them.
let histories: [NumberHistory] = numbers.indices.map { i in
  var history = NumberHistory()
  let outcomes: [CallOutcome] = [.noAnswer, .voicemail, .answered, .busy]
  for k in 0..<(1 + i % 4) { history.record(outcomes[(i + k) % 4], at: Int64(1_790_000_000 + k * 86_400), localHour: 9 + 3 * k) }
  return history
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(5), maxIterations: 200)

  // Feature vector, score and strongest features of one row, as the parallel stage computes them.
  for withHistory in [false, true] {
    Benchmark(withHistory ? "score one row with history" : "score one row without history") { benchmark in
      let model = LogisticAnswerModel.default
      let features = numbers.map(NumberFeatures.init(number:))
      let vector = UnsafeMutableBufferPointer<Double>.allocate(capacity: AnswerFeatures.count)
      defer { vector.deallocate() }
      var next = 0
      var total = 0.0
      for _ in benchmark.scaledIterations {
        AnswerFeatures.fill(
          vector, number: features[next], lineType: .mobile, history: withHistory ? histories[next] : nil, localHour: 17,
          weekend: false, now: 1_795_626_000)
        let scored = model.scoreAndReasons(UnsafeBufferPointer(vector))
        total += scored.score
        blackHole(scored.reasons)
        next = next == numbers.count - 1 ? 0 : next + 1
      }
      blackHole(total)
    }
  }
}
