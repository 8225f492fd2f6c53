#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The memory behind a ``DNCIndexBuilder``: for each area code either a growable array of UInt32 line
/// keys or, once that would be as large, a 10,000,000-bit bitmap (1.25 MB), so no area code ever
/// holds more than 1.25 MB however many numbers (or repeats) go in.
///
/// An array that fills up to ``DNCIndexLayout/bitmapThreshold`` keys is first sorted and
/// de-duplicated; it turns into a bitmap only if more than half of that is left, so a list inserted
/// twice does not force bitmaps and the sorting cost stays linear overall.
final class DNCAreaCodeBuckets {
  /// One area code's numbers.
  struct Bucket {
    /// Line keys, when the area code is still an array.
    var keys: UnsafeMutablePointer<UInt32>?
    /// Keys in `keys`, or distinct numbers (set bits) in `bitmap`.
    var count = 0
    /// Room in `keys`.
    var capacity = 0
    /// The bitmap, once the area code has turned into one.
    var bitmap: UnsafeMutablePointer<UInt64>?
    /// Whether `keys` is sorted and free of repeats.
    var isNormalized = true
  }

  private static let initialCapacity = 1024

  /// Area codes 0…999; only 200…999 are ever filled.
  let buckets: UnsafeMutablePointer<Bucket>

  init() {
    buckets = .allocate(capacity: DNCIndexLayout.tableEntries)
    buckets.initialize(repeating: Bucket(), count: DNCIndexLayout.tableEntries)
  }

  deinit {
    for npa in 0..<DNCIndexLayout.tableEntries {
      free(buckets[npa].keys)
      free(buckets[npa].bitmap)
    }
    buckets.deinitialize(count: DNCIndexLayout.tableEntries)
    buckets.deallocate()
  }

  /// An independent copy, for a builder that is mutated while another copy of it is alive.
  func copy() -> DNCAreaCodeBuckets {
    let other = DNCAreaCodeBuckets()
    for npa in 0..<DNCIndexLayout.tableEntries {
      let source = buckets[npa]
      var bucket = source
      if let keys = source.keys {
        let copied = Self.allocate(UInt32.self, source.capacity)
        copied.update(from: keys, count: source.count)
        bucket.keys = copied
      }
      if let bitmap = source.bitmap {
        let copied = Self.allocate(UInt64.self, DNCIndexLayout.bitmapWords)
        copied.update(from: bitmap, count: DNCIndexLayout.bitmapWords)
        bucket.bitmap = copied
      }
      other.buckets[npa] = bucket
    }
    return other
  }

  /// Adds line key `line` (below 10,000,000) to area code `npa` (200…999).
  @inline(__always)
  func insert(npa: Int, line: UInt32) {
    let bucket = buckets + npa
    if let bitmap = bucket.pointee.bitmap {
      let word = bitmap + Int(line >> 6)
      let bit: UInt64 = 1 << UInt64(line & 63)
      let old = word.pointee
      if old & bit == 0 {
        word.pointee = old | bit
        bucket.pointee.count &+= 1
      }
      return
    }
    if bucket.pointee.count == bucket.pointee.capacity {
      makeRoom(bucket)
      if bucket.pointee.bitmap != nil {
        insert(npa: npa, line: line)
        return
      }
    }
    bucket.pointee.keys.unsafelyUnwrapped[bucket.pointee.count] = line
    bucket.pointee.count &+= 1
    bucket.pointee.isNormalized = false
  }

  /// Grows a full array, or at the threshold de-duplicates it and turns it into a bitmap if still large.
  private func makeRoom(_ bucket: UnsafeMutablePointer<Bucket>) {
    let threshold = DNCIndexLayout.bitmapThreshold
    if bucket.pointee.capacity == threshold {
      normalize(bucket)
      if bucket.pointee.count <= threshold / 2 { return }
      let bitmap = Self.allocateZeroed(UInt64.self, DNCIndexLayout.bitmapWords)
      let keys = bucket.pointee.keys.unsafelyUnwrapped
      for i in 0..<bucket.pointee.count {
        let line = keys[i]
        bitmap[Int(line >> 6)] |= 1 << UInt64(line & 63)
      }
      free(keys)
      bucket.pointee.keys = nil
      bucket.pointee.capacity = 0
      bucket.pointee.bitmap = bitmap
      bucket.pointee.isNormalized = true
      return
    }
    let capacity = min(max(bucket.pointee.capacity * 2, Self.initialCapacity), threshold)
    guard let grown = realloc(bucket.pointee.keys, capacity * MemoryLayout<UInt32>.stride) else {
      fatalError("out of memory growing the do-not-call builder to \(capacity) keys")
    }
    bucket.pointee.keys = grown.assumingMemoryBound(to: UInt32.self)
    bucket.pointee.capacity = capacity
  }

  /// Sorts and de-duplicates an array bucket; bitmaps are always normalized.
  func normalize(_ bucket: UnsafeMutablePointer<Bucket>) {
    guard !bucket.pointee.isNormalized, let keys = bucket.pointee.keys else { return }
    bucket.pointee.count = DNCLineKeySort.sortAndDeduplicate(keys, count: bucket.pointee.count)
    bucket.pointee.isNormalized = true
  }

  /// Sorts and de-duplicates every array bucket and returns the distinct numbers held.
  func normalizedCount() -> Int {
    var total = 0
    for npa in DNCIndexLayout.firstAreaCode..<DNCIndexLayout.tableEntries {
      normalize(buckets + npa)
      total += buckets[npa].count
    }
    return total
  }

  private static func allocate<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
    guard let raw = malloc(max(count, 1) * MemoryLayout<T>.stride) else {
      fatalError("out of memory in the do-not-call builder")
    }
    return raw.assumingMemoryBound(to: T.self)
  }

  /// Zeroed memory from `calloc`, which maps fresh zero pages lazily for large sizes.
  static func allocateZeroed<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
    guard let raw = calloc(count, MemoryLayout<T>.stride) else {
      fatalError("out of memory in the do-not-call builder")
    }
    return raw.assumingMemoryBound(to: T.self)
  }
}
