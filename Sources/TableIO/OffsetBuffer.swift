/// A growable array of 32-bit offsets that keeps its storage across reuse, so a recycled chunk
/// appends without allocating once it has reached its working size.
@usableFromInline
struct OffsetBuffer {
  @usableFromInline private(set) var base: UnsafeMutablePointer<Int32>
  @usableFromInline private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  func deallocate() { base.deallocate() }

  @inline(__always)
  mutating func append(_ value: Int32) {
    if count == capacity { grow() }
    base[count] = value
    count &+= 1
  }

  @inline(__always)
  mutating func removeAll() { count = 0 }

  mutating func truncate(to newCount: Int) { count = min(count, newCount) }

  @inlinable @inline(__always)
  subscript(i: Int) -> Int32 { base[i] }

  private mutating func grow() {
    let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
    bigger.moveInitialize(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity *= 2
  }
}
