import Foundation
import FuzzTargets

/// One binary with every target, chosen by `DIALREADY_FUZZ_TARGET` (for machines the targets are
/// copied to, where one binary is cheaper to carry than twelve).
nonisolated(unsafe) let selected: (UnsafeRawBufferPointer) -> Void = {
  let name = ProcessInfo.processInfo.environment["DIALREADY_FUZZ_TARGET"] ?? ""
  guard let body = FuzzTargets.all[name] else {
    FileHandle.standardError.write(Data("set DIALREADY_FUZZ_TARGET to one of \(FuzzTargets.all.keys.sorted())\n".utf8))
    exit(64)
  }
  return body
}()

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  selected(UnsafeRawBufferPointer(start: data, count: size))
  return 0
}
