import Benchmark
import NANP

/// A realistic mix of phone fields as they arrive in lead lists: mostly punctuated ten-digit numbers,
/// some with `+1`, extensions, spreadsheet damage and junk. Built once, outside the measured loop.
let fields: [UInt8] = {
  let shapes = [
    "(212) 555-%04d", "212-555-%04d", "212.555.%04d", "+1 212 555 %04d", "1-312-555-%04d", "415555%04d",
    "+1415555%04d", "(646) 555-%04d x89", "713-555-%04d", "2125551234.0", "'+1 212 555 %04d",
    "555-%04d", "N/A", "", "212-555-01%02d", "(416) 555-%04d", "1-800-FLOWERS", "212-911-%04d",
    "2.12555E+09", "212-555-%04d / 646-555-1234",
  ]
  var bytes: [UInt8] = []
  var line = 0
  for i in 0..<100_000 {
    var shape = shapes[i % shapes.count]
    let digits = String(1000 + line % 9000)
    line &+= 7919
    if let at = shape.range(of: "%04d") { shape.replaceSubrange(at, with: digits) }
    if let at = shape.range(of: "%02d") { shape.replaceSubrange(at, with: String(digits.suffix(2))) }
    bytes.append(contentsOf: shape.utf8)
    bytes.append(UInt8(ascii: "\n"))
  }
  return bytes
}()

/// Where each field of `fields` starts and ends.
let ranges: [Range<Int>] = {
  var ranges: [Range<Int>] = []
  var start = 0
  for (i, b) in fields.enumerated() where b == UInt8(ascii: "\n") {
    ranges.append(start..<i)
    start = i + 1
  }
  return ranges
}()

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
    scalingFactor: .kilo,
    maxDuration: .seconds(5),
    maxIterations: 200
  )

  // Each scaled iteration parses one field, so throughput reads as fields per second.
  Benchmark("parse realistic mix") { benchmark in
    let parser = PhoneNumberParser()
    fields.withUnsafeBufferPointer { all in
      ranges.withUnsafeBufferPointer { ranges in
        var next = 0
        var valid = 0
        for _ in benchmark.scaledIterations {
          if case .valid = parser.parse(UnsafeBufferPointer(rebasing: all[ranges[next]])) { valid &+= 1 }
          next &+= 1
          if next == ranges.count { next = 0 }
        }
        blackHole(valid)
      }
    }
  }
}
