import FuzzTargets

/// libFuzzer's entry point for the `ndjson` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  FuzzTargets.all["ndjson"]!(UnsafeRawBufferPointer(start: data, count: size))
  return 0
}
