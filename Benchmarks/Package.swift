// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so building or testing DialReady never builds the benchmark tooling.
// Run from this folder: swift package --allow-writing-to-package-directory benchmark
let package = Package(
  name: "DialReadyBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(path: "../"),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "NumberParsing",
      dependencies: [
        .product(name: "NANP", package: "main"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "NumberParsing",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "AnswerScoring",
      dependencies: [
        .product(name: "NANP", package: "main"),
        .product(name: "Scoring", package: "main"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "AnswerScoring",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "DNCLookups",
      dependencies: [
        .product(name: "DialReadyEngine", package: "main"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "DNCLookups",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
