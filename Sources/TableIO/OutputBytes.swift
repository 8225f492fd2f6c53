/// A growable byte buffer for building output rows without per-row allocation; reused across chunks.
public final class OutputBytes: @unchecked Sendable {
  // Storage, visible to the inlined appends (they run several times per row in other modules).
  @usableFromInline @exclusivity(unchecked) var storage: UnsafeMutablePointer<UInt8>
  @usableFromInline @exclusivity(unchecked) var filled = 0
  @usableFromInline @exclusivity(unchecked) var capacity: Int

  /// Start of the storage.
  @inlinable public var base: UnsafeMutablePointer<UInt8> { storage }
  /// Bytes written so far.
  @inlinable public var count: Int { filled }

  /// Creates a buffer with `capacity` bytes reserved.
  public init(capacity: Int = 1 << 16) {
    self.capacity = max(capacity, 64)
    storage = .allocate(capacity: self.capacity)
  }

  deinit { storage.deallocate() }

  /// The filled bytes.
  @inlinable @inline(__always) public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// The bytes of `range`.
  @inlinable @inline(__always) public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
  }

  /// Forgets the contents, keeping the storage.
  @inlinable @inline(__always) public func removeAll() { filled = 0 }

  /// Makes room for `extra` more bytes.
  @inlinable @inline(__always) public func reserve(_ extra: Int) {
    if filled &+ extra > capacity { grow(to: filled &+ extra) }
  }

  /// Appends one byte.
  @inlinable @inline(__always) public func append(_ byte: UInt8) {
    if filled == capacity { grow(to: filled &+ 1) }
    storage[filled] = byte
    filled &+= 1
  }

  /// Appends bytes.
  @inlinable @inline(__always) public func append(_ bytes: UnsafeRawBufferPointer) {
    let n = bytes.count
    guard n > 0 else { return }
    if filled &+ n > capacity { grow(to: filled &+ n) }
    (storage + filled).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
    filled &+= n
  }

  /// Appends a byte array.
  @inlinable @inline(__always) public func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }

  /// Appends a string literal.
  @inlinable @inline(__always) public func append(_ text: StaticString) {
    append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends the UTF-8 of a string (not for hot paths).
  public func append(text: String) {
    var text = text
    text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
  }

  /// Appends a non-negative integer in decimal.
  @inlinable @inline(__always) public func appendDecimal(_ value: Int) {
    reserve(20)
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var v = UInt64(max(value, 0))
    var n = 0
    withUnsafeMutableBytes(of: &digits) { d in
      repeat {
        d[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
        v /= 10
        n &+= 1
      } while v > 0
      for k in 0..<n { storage[filled &+ k] = d[n &- 1 &- k] }
    }
    filled &+= n
  }

  /// Removes leading and trailing XML white space (space, tab, CR, LF) from the bytes after `start`.
  public func trimWhitespace(from start: Int) {
    var first = start
    var last = count
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    while first < last && isSpace(base[first]) { first &+= 1 }
    while last > first && isSpace(base[last &- 1]) { last &-= 1 }
    if first > start { (base + start).update(from: base + first, count: last &- first) }
    filled = start &+ (last &- first)
  }

  /// Forgets the bytes after `newCount`.
  public func truncate(to newCount: Int) { filled = min(filled, max(0, newCount)) }

  /// Writes into the buffer through `body`, which returns how many bytes it wrote (at most `maxCount`).
  @inlinable @inline(__always) public func write(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    reserve(maxCount)
    filled &+= body(storage + filled)
  }

  @usableFromInline
  func grow(to needed: Int) {
    var size = capacity
    while size < needed { size *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    bigger.moveInitialize(from: storage, count: filled)
    storage.deallocate()
    storage = bigger
    capacity = size
  }
}
