import CICU

/// An input file's bytes as UTF-8: the byte-order mark removed, other encodings converted by ICU as
/// they stream through. UTF-8 files are passed through untouched.
public final class DecodedInput {
  /// The underlying file.
  public let source: ByteSource
  /// The encoding the bytes are read in (sniffed or given).
  public let encoding: InputEncoding
  /// Whether the file started with a byte-order mark.
  public let hadByteOrderMark: Bool

  private let onRawBytes: (UnsafeRawBufferPointer) -> Void
  private var converter: OpaquePointer?
  private var raw: UnsafeMutableRawBufferPointer
  private var rawStart = 0
  private var rawEnd = 0
  private var rawEOF = false
  /// Source bytes handed to the converter before the bytes now in `raw`.
  private var rawConsumedBase = 0

  /// Size of the sample the encoding is sniffed from.
  public static let sniffLength = 1 << 16

  /// Opens `source`, sniffing its encoding from the first 64 KiB unless `encoding` is given.
  /// `onRawBytes` sees every byte of the file exactly once, in order (for hashing).
  public init(
    source: ByteSource, encoding: InputEncoding?, onRawBytes: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
  ) throws(TableIOError) {
    self.source = source
    self.onRawBytes = onRawBytes
    raw = .allocate(byteCount: 1 << 20, alignment: 16)
    let first: Int
    do {
      first = try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<DecodedInput.sniffLength]))
    } catch {
      raw.deallocate()
      throw error
    }
    rawEnd = first
    rawEOF = first < DecodedInput.sniffLength
    let sample = UnsafeRawBufferPointer(rebasing: raw[0..<first])
    onRawBytes(sample)
    let chosen = encoding ?? InputEncoding.sniff(sample, isCompleteFile: rawEOF)
    self.encoding = chosen
    let bom = chosen.byteOrderMarkLength(in: sample)
    hadByteOrderMark = bom > 0
    rawStart = bom
    if chosen != .utf8 {
      var status: Int32 = 0
      guard let opened = cicu_to_utf8_open(chosen.icuName, &status) else {
        // Every stored property is set here, so `deinit` frees `raw`.
        throw .unknownEncoding(name: chosen.icuName)
      }
      converter = opened
    }
  }

  deinit {
    if let converter { cicu_to_utf8_close(converter) }
    raw.deallocate()
  }

  /// Reads up to `buffer.count` UTF-8 bytes; returns 0 at the end of the file.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TableIOError) -> Int {
    guard buffer.count > 0 else { return 0 }
    if converter == nil {
      if rawStart < rawEnd {
        let n = min(buffer.count, rawEnd - rawStart)
        buffer.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: n)
        rawStart += n
        return n
      }
      let n = try source.read(into: buffer)
      if n > 0 { onRawBytes(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
      return n
    }
    return try convert(into: buffer)
  }

  private func convert(into buffer: UnsafeMutableRawBufferPointer) throws(TableIOError) -> Int {
    while true {
      if rawStart == rawEnd && !rawEOF {
        rawConsumedBase += rawEnd
        rawStart = 0
        rawEnd = try source.read(into: raw)
        if rawEnd == 0 {
          rawEOF = true
        } else {
          onRawBytes(UnsafeRawBufferPointer(rebasing: raw[0..<rawEnd]))
        }
      }
      var consumed: Int32 = 0
      var written: Int32 = 0
      let status = cicu_to_utf8_convert(
        converter, (raw.baseAddress! + rawStart).assumingMemoryBound(to: CChar.self), Int32(rawEnd - rawStart),
        &consumed, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(min(buffer.count, Int(Int32.max))),
        &written, rawEOF ? 1 : 0)
      rawStart += Int(consumed)
      if status != 0 {
        throw .malformedEncoding(
          path: source.path, encoding: encoding.description, byteOffset: rawConsumedBase + rawStart)
      }
      if written > 0 { return Int(written) }
      if rawEOF && rawStart == rawEnd { return 0 }
    }
  }
}
