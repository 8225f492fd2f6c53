import FuzzTargets

/// libFuzzer's entry point for the `json` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  FuzzTargets.all["json"]!(UnsafeRawBufferPointer(start: data, count: size))
  return 0
}
