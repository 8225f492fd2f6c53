// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "DialReady",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "dialready", targets: ["dialready"]),
    .library(name: "NANP", targets: ["NANP"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    .target(name: "NANP"),
    .executableTarget(
      name: "dialready",
      dependencies: [
        "NANP",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "NANPTests", dependencies: ["NANP"]),
  ]
)
