import Benchmark
import DialReadyEngine
import Foundation

/// A generated index (fixed seed) written once per process: two dense area codes stored as bitmaps
/// and 50 sparse ones stored as sorted arrays, 1.8 million numbers in all. Opening does not read the
/// payloads, so its cost is the same for a 200-million-number index.
let indexPath: String = {
  var builder = DNCIndexBuilder()
  var state: UInt64 = 7
  func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  for npa: UInt64 in [212, 646] {
    for _ in 0..<400_000 { _ = builder.insert(npa * 10_000_000 + 2_000_000 + next() % 8_000_000) }
  }
  for npa: UInt64 in 300..<350 {
    for _ in 0..<20_000 { _ = builder.insert(npa * 10_000_000 + 2_000_000 + next() % 8_000_000) }
  }
  // One fixed name, replaced on every run, so runs leave one file behind at most.
  let path = FileManager.default.temporaryDirectory.path + "/dialready-benchmark-index.dncx"
  try! builder.write(to: path, sources: [], createdAt: 0)
  return path
}()

/// The index, opened once: the closure of a benchmark runs once per sample, and a fresh mapping
/// would time page faults instead of lookups.
let index = try! DNCIndex(path: indexPath)

/// Numbers to look up, in the dense area codes or in the sparse ones.
let denseNumbers = lookups(dense: true)
let sparseNumbers = lookups(dense: false)

func lookups(dense: Bool) -> [UInt64] {
  var line: UInt64 = 2_000_000
  return (0..<4096).map { i in
    line = (line &* 6_364_136_223_846_793_005 &+ 1) % 8_000_000 + 2_000_000
    return (dense ? [212, 646][i % 2] : 300 + UInt64(i % 50)) * 10_000_000 + line
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 1000)

  // Map, check the header and table checksum, and unmap: what `--dnc` and `dnc check` pay per index.
  Benchmark("open an index") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try! DNCIndex(path: indexPath).count) }
  }

  // One lookup with the index mapped and in the caches (Scripts/bench-dnc.sh measures lookups into a
  // 300 MB index inside classify).
  for dense in [true, false] {
    Benchmark(dense ? "look up one number, bitmap" : "look up one number, sorted array", configuration: .init(scalingFactor: .kilo)) {
      benchmark in
      let numbers = dense ? denseNumbers : sparseNumbers
      var next = 0
      var listed = 0
      for _ in benchmark.scaledIterations {
        listed &+= index.contains(numbers[next]) ? 1 : 0
        next = (next + 1) & 4095
      }
      blackHole(listed)
    }
  }
}
