/// A batch of whole records in one reusable buffer, with the end offset of every field.
///
/// Records are byte ranges into ``bytes`` (UTF-8, terminators excluded); fields keep their quotes and
/// are unquoted on demand with ``CSVField``. Chunks are recycled, so reading a file allocates only
/// while the first chunks grow to their working size.
public final class RecordChunk: @unchecked Sendable {
  /// The records' bytes.
  @exclusivity(unchecked) public private(set) var bytes: UnsafeMutableRawBufferPointer
  /// How many bytes of ``bytes`` are filled.
  @exclusivity(unchecked) public internal(set) var byteCount = 0
  /// The spreadsheet row number of the first record (the header is row 1).
  public var firstRow = 1
  /// Position of this chunk in the file, from 0.
  public internal(set) var sequence = 0
  /// The delimiter the records were split with.
  public internal(set) var delimiter: UInt8 = UInt8(ascii: ",")
  /// Fields written so far to the record being built (non-CSV readers).
  @exclusivity(unchecked) var pendingFields = 0

  @usableFromInline @exclusivity(unchecked) var recordStarts: OffsetBuffer
  @usableFromInline @exclusivity(unchecked) var recordFieldBase: OffsetBuffer
  @usableFromInline @exclusivity(unchecked) var fieldEnds: OffsetBuffer

  /// Creates a chunk with `capacity` bytes of storage.
  public init(capacity: Int = 1 << 20) {
    bytes = .allocate(byteCount: capacity, alignment: 16)
    recordStarts = OffsetBuffer(capacity: 8192)
    recordFieldBase = OffsetBuffer(capacity: 8193)
    fieldEnds = OffsetBuffer(capacity: 65536)
  }

  deinit {
    bytes.deallocate()
    recordStarts.deallocate()
    recordFieldBase.deallocate()
    fieldEnds.deallocate()
  }

  /// Number of records in the chunk, blank lines included.
  @inlinable @inline(__always) public var recordCount: Int { recordStarts.count }

  /// Number of fields of record `r`.
  @inlinable @inline(__always) public func fieldCount(_ r: Int) -> Int {
    Int(recordFieldBase[r &+ 1] &- recordFieldBase[r])
  }

  /// Byte range of record `r`, terminator excluded.
  @inlinable @inline(__always) public func recordRange(_ r: Int) -> Range<Int> {
    Int(recordStarts[r])..<Int(fieldEnds[Int(recordFieldBase[r &+ 1]) &- 1])
  }

  /// Whether record `r` is a blank line.
  @inlinable @inline(__always) public func isBlank(_ r: Int) -> Bool {
    fieldCount(r) == 1 && recordRange(r).isEmpty
  }

  /// Byte range of field `f` of record `r`, quotes included.
  @inlinable @inline(__always) public func fieldRange(_ r: Int, _ f: Int) -> Range<Int> {
    let base = Int(recordFieldBase[r])
    let start = f == 0 ? Int(recordStarts[r]) : Int(fieldEnds[base &+ f &- 1]) &+ 1
    return start..<Int(fieldEnds[base &+ f])
  }

  /// The raw bytes of `range`.
  @inlinable @inline(__always) public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[range])
  }

  /// The raw bytes of field `f` of record `r`, quotes included.
  @inlinable @inline(__always) public func rawField(_ r: Int, _ f: Int) -> UnsafeRawBufferPointer {
    slice(fieldRange(r, f))
  }

  func reset() {
    byteCount = 0
    resetRecords()
  }

  func resetRecords() {
    recordStarts.removeAll()
    recordFieldBase.removeAll()
    fieldEnds.removeAll()
    recordFieldBase.append(0)
  }

  func ensureCapacity(_ needed: Int) {
    guard needed > bytes.count else { return }
    var size = bytes.count
    while size < needed { size *= 2 }
    let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    bigger.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: byteCount)
    bytes.deallocate()
    bytes = bigger
  }
}
