import CPrefetch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open-addressing hash table from `UInt64` numbers (never 0) to `UInt32` values (12 bytes a slot, at
/// most 70 % full): the numbers seen so far in a run and the row each was first seen on, or a side
/// input's numbers and their record index. Never a `Set<String>`.
final class DedupIndex {
  private var keys: UnsafeMutablePointer<UInt64>
  private var rows: UnsafeMutablePointer<UInt32>
  private var mask: Int
  /// Distinct numbers held.
  private(set) var count = 0

  init(capacity: Int = 1 << 16) {
    var size = 16
    while size < capacity { size <<= 1 }
    keys = Self.zeroedKeys(size)
    rows = .allocate(capacity: size)
    mask = size - 1
  }

  /// Zeroed key storage from `calloc`: a large table comes as fresh zero pages that are touched (and
  /// resident) only when a key lands on them, instead of being written through up front.
  private static func zeroedKeys(_ count: Int) -> UnsafeMutablePointer<UInt64> {
    guard let raw = calloc(count, MemoryLayout<UInt64>.stride) else { fatalError("out of memory for \(count) dedup slots") }
    return raw.assumingMemoryBound(to: UInt64.self)
  }

  deinit {
    free(keys)
    rows.deallocate()
  }

  /// Bytes held by the table.
  var memoryBytes: Int { (mask + 1) * 12 }

  /// Records `key` (never 0) as first seen on `row`; returns the earlier row when it was already there.
  @inline(__always)
  func insertOrFirstRow(_ key: UInt64, row: UInt32) -> UInt32? {
    var slot = Self.hash(key) & mask
    while true {
      let existing = keys[slot]
      if existing == key { return rows[slot] }
      if existing == 0 {
        keys[slot] = key
        rows[slot] = row
        count &+= 1
        if count * 10 > (mask + 1) * 7 { grow() }
        return nil
      }
      slot = (slot &+ 1) & mask
    }
  }

  /// Records `key` (never 0) as seen on `row`, keeping the smallest row it was seen on; returns
  /// that smallest row.
  @inline(__always) @discardableResult
  func insertMinimum(_ key: UInt64, row: UInt32) -> UInt32 {
    var slot = Self.hash(key) & mask
    while true {
      let existing = keys[slot]
      if existing == key {
        if row < rows[slot] { rows[slot] = row }
        return rows[slot]
      }
      if existing == 0 {
        keys[slot] = key
        rows[slot] = row
        count &+= 1
        if count * 10 > (mask + 1) * 7 { grow() }
        return row
      }
      slot = (slot &+ 1) & mask
    }
  }

  /// Starts loading the slot of `key` and the row kept beside it (for lookups that are usually hits).
  @inline(__always)
  func prefetchWithRow(_ key: UInt64) {
    let slot = Self.hash(key) & mask
    cprefetch_read(keys + slot)
    cprefetch_read(rows + slot)
  }

  /// Adds one to the count kept for `key` (a new key starts at 1).
  @inline(__always)
  func increment(_ key: UInt64) {
    var slot = Self.hash(key) & mask
    while true {
      let existing = keys[slot]
      if existing == key {
        rows[slot] &+= 1
        return
      }
      if existing == 0 {
        keys[slot] = key
        rows[slot] = 1
        count &+= 1
        if count * 10 > (mask + 1) * 7 { grow() }
        return
      }
      slot = (slot &+ 1) & mask
    }
  }

  /// The value stored for `key`, or `nil`.
  @inline(__always)
  func value(for key: UInt64) -> UInt32? {
    var slot = Self.hash(key) & mask
    while true {
      let existing = keys[slot]
      if existing == key { return rows[slot] }
      if existing == 0 { return nil }
      slot = (slot &+ 1) & mask
    }
  }

  @inline(__always)
  static func hash(_ key: UInt64) -> Int {
    var z = key &* 0x9E37_79B9_7F4A_7C15
    z ^= z >> 29
    return Int(truncatingIfNeeded: z)
  }

  private func grow() {
    let oldKeys = keys
    let oldRows = rows
    let oldSize = mask + 1
    let size = oldSize * 2
    keys = Self.zeroedKeys(size)
    rows = .allocate(capacity: size)
    mask = size - 1
    for i in 0..<oldSize where oldKeys[i] != 0 {
      var slot = Self.hash(oldKeys[i]) & mask
      while keys[slot] != 0 { slot = (slot &+ 1) & mask }
      keys[slot] = oldKeys[i]
      rows[slot] = oldRows[i]
    }
    free(oldKeys)
    oldRows.deallocate()
  }
}
