// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "DialReady",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "dialready", targets: ["dialready"]),
    .library(name: "NANP", targets: ["NANP"]),
    .library(name: "TableIO", targets: ["TableIO"]),
    .library(name: "Scoring", targets: ["Scoring"]),
    .library(name: "DialReadyEngine", targets: ["DialReadyEngine"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // Tests only: writes ZIP files (DialReady reads them with its own checked reader, TableIO/Zip).
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    // `dialready serve`: HTTP, the embedded store and structured logs.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    // Tests only: reads openapi.yaml to check responses against it.
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .target(name: "NANP"),
    .target(
      name: "CICU",
      linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
    ),
    .systemLibrary(name: "CSystemZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    // Vector byte scanning for the CSV splitter (SSE2 on x86-64, plain C elsewhere).
    .target(name: "CByteScan"),
    .target(name: "TableIO", dependencies: ["CICU", "CSystemZlib", "CByteScan"]),
    // The built-in answer model as a model file (the same values as `LogisticAnswerModel.default`; a test
    // keeps them equal): a starting point to edit and pass with `--model`.
    .target(name: "Scoring", dependencies: ["NANP"], resources: [.copy("Resources/default-model.json")]),
    .target(name: "CPrefetch"),
    // Starts an output's write-back early, so the final fsync has little left to wait for.
    .target(name: "CWriteback"),
    .target(
      name: "DialReadyEngine",
      dependencies: [
        "NANP", "TableIO", "Scoring", "CPrefetch", "CWriteback", .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["DNC/FORMAT.md"]
    ),
    .target(
      name: "DialReadyServer",
      dependencies: [
        "DialReadyEngine", "NANP",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]
    ),
    .executableTarget(
      name: "dialready",
      dependencies: [
        "DialReadyEngine", "DialReadyServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]
    ),
    .testTarget(name: "NANPTests", dependencies: ["NANP"]),
    .testTarget(
      name: "DialReadyServerTests",
      dependencies: [
        "DialReadyServer", .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Crypto", package: "swift-crypto"), .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]
    ),
    .testTarget(name: "TableIOTests", dependencies: ["TableIO", .product(name: "Crypto", package: "swift-crypto")]),
    .testTarget(name: "ScoringTests", dependencies: ["Scoring"]),
    .testTarget(
      name: "DialReadyEngineTests",
      dependencies: [
        "DialReadyEngine", "TableIO", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .testTarget(
      name: "FuzzRegressionTests", dependencies: ["NANP", "TableIO", "Scoring", "DialReadyEngine"],
      swiftSettings: [.swiftLanguageMode(.v5)]
    ),
    .testTarget(
      name: "dialreadyTests",
      dependencies: ["DialReadyEngine", "DialReadyServer", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: [.swiftLanguageMode(.v5)]
    ),
  ]
)
