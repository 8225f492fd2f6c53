/// Sorting and de-duplicating an area code's line keys (seven-digit values, below 2^24) in place: a
/// two-pass radix sort on 12-bit digits, several times faster than a comparison sort at these sizes.
enum DNCLineKeySort {
  /// Below this many keys the standard library's sort is as fast and needs no scratch space.
  private static let radixMinimum = 2048

  /// Sorts `keys[0..<count]` ascending, drops repeats, and returns how many distinct keys remain at the front.
  static func sortAndDeduplicate(_ keys: UnsafeMutablePointer<UInt32>, count: Int) -> Int {
    if count < 2 { return count }
    if count < radixMinimum {
      var buffer = UnsafeMutableBufferPointer(start: keys, count: count)
      buffer.sort()
    } else {
      radixSort(keys, count: count)
    }
    var kept = 1
    var previous = keys[0]
    for i in 1..<count {
      let key = keys[i]
      if key != previous {
        keys[kept] = key
        kept &+= 1
        previous = key
      }
    }
    return kept
  }

  private static func radixSort(_ keys: UnsafeMutablePointer<UInt32>, count: Int) {
    let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
    defer { scratch.deallocate() }
    let low = UnsafeMutablePointer<Int>.allocate(capacity: 4096)
    let high = UnsafeMutablePointer<Int>.allocate(capacity: 4096)
    defer {
      low.deallocate()
      high.deallocate()
    }
    low.initialize(repeating: 0, count: 4096)
    high.initialize(repeating: 0, count: 4096)
    for i in 0..<count {
      let key = keys[i]
      low[Int(key & 0xFFF)] &+= 1
      high[Int((key >> 12) & 0xFFF)] &+= 1
    }
    var lowSum = 0
    var highSum = 0
    for digit in 0..<4096 {
      let l = low[digit]
      low[digit] = lowSum
      lowSum &+= l
      let h = high[digit]
      high[digit] = highSum
      highSum &+= h
    }
    for i in 0..<count {
      let key = keys[i]
      let digit = Int(key & 0xFFF)
      scratch[low[digit]] = key
      low[digit] &+= 1
    }
    for i in 0..<count {
      let key = scratch[i]
      let digit = Int((key >> 12) & 0xFFF)
      keys[high[digit]] = key
      high[digit] &+= 1
    }
  }
}
