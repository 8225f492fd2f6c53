// swift-tools-version:6.1
import Foundation
import PackageDescription

// Fuzz targets live in their own package so `swift build` and `swift test` of DialReady never compile them.
// Build and run them with Scripts/fuzz.sh (it passes `--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address`).
// Each executable exports `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`.

/// The root package's identity is its folder name (a clone may use any name).
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().lastPathComponent.lowercased()

/// One executable per parser, each a thin wrapper over a function in `FuzzTargets`; `fuzz-all` holds
/// every target, chosen by `DIALREADY_FUZZ_TARGET`.
let targetNames = [
  "number", "csv", "xlsx", "xls", "json", "ndjson", "dnc-list", "dnc-index", "lookup", "history", "model",
  "state-rules", "all",
]

func executableName(_ name: String) -> String {
  "fuzz-" + name
}

let package = Package(
  name: "DialReadyFuzz",
  platforms: [.macOS(.v14)],
  dependencies: [.package(path: "../../")],
  targets: [
    .target(
      name: "FuzzTargets",
      dependencies: [
        .product(name: "NANP", package: rootIdentity),
        .product(name: "TableIO", package: rootIdentity),
        .product(name: "Scoring", package: rootIdentity),
        .product(name: "DialReadyEngine", package: rootIdentity),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]
    )
  ]
    + targetNames.map { name in
      .executableTarget(
        name: executableName(name),
        dependencies: ["FuzzTargets"],
        path: "Sources/Entry/\(name)",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
      )
    }
)
