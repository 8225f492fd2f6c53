import FuzzTargets

/// libFuzzer's entry point for the `history` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  FuzzTargets.all["history"]!(UnsafeRawBufferPointer(start: data, count: size))
  return 0
}
