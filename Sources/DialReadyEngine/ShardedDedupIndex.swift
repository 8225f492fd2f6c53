import Foundation

/// The run's dedup table, split by number into shards with a lock each, so every worker inserts and
/// looks up at once: first occurrence wins without a serial pass over the rows.
///
/// A chunk's numbers are inserted with the row they were seen on, keeping the smallest (``insert(_:)``);
/// once every chunk up to and including a chunk has been inserted (the executor's
/// ``OrderedParallelExecutor/Order/afterEarlier`` stage), the smallest row of each of its numbers is
/// final: later chunks only add larger rows. A row whose number's smallest row is its own is the first
/// occurrence; any other is a duplicate of that row. Each call sorts the batch by shard first, so a
/// chunk takes each shard's lock once, not once per row.
final class ShardedDedupIndex {
  static let shardBits = 6
  static let shardCount = 1 << shardBits
  private let shards: [DedupIndex]
  private let locks: [NSLock]

  /// A table for about `expectedNumbers` distinct numbers in all.
  init(expectedNumbers: Int) {
    let perShard = min(expectedNumbers, 1 << 28) / Self.shardCount / 7 * 10 + 16
    shards = (0..<Self.shardCount).map { _ in DedupIndex(capacity: perShard) }
    locks = (0..<Self.shardCount).map { _ in NSLock() }
  }

  /// Bytes held by the tables.
  var memoryBytes: Int {
    var total = 0
    for (shard, lock) in zip(shards, locks) {
      lock.lock()
      total += shard.memoryBytes
      lock.unlock()
    }
    return total
  }

  @inline(__always)
  static func shard(of key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) >> UInt64(64 - shardBits))
  }

  /// A batch of (number, row) pairs grouped by shard; reused chunk after chunk.
  struct Batch {
    fileprivate var keys: [UInt64] = []
    fileprivate var rows: [UInt32] = []
    /// Index, in the order added, of each grouped entry.
    fileprivate var order: [Int32] = []
    fileprivate var shardStarts = [Int](repeating: 0, count: ShardedDedupIndex.shardCount + 1)
    /// The smallest row of each entry's number, in the order added (after ``lookUp(_:)``).
    private(set) var firstRows: [UInt32] = []

    /// Whether ``order`` and ``shardStarts`` are those of the entries.
    fileprivate var grouped = false
    /// Whether ``firstRows`` are final (set by an insert that came after every earlier chunk's).
    private(set) var firstRowsFinal = false

    mutating func removeAll() {
      keys.removeAll(keepingCapacity: true)
      rows.removeAll(keepingCapacity: true)
      grouped = false
      firstRowsFinal = false
    }

    mutating func append(_ key: UInt64, row: UInt32) {
      keys.append(key)
      rows.append(row)
      grouped = false
    }

    /// Groups the entries by shard (a counting sort), once for the insert and the look-up.
    fileprivate mutating func group() {
      if grouped { return }
      grouped = true
      for s in shardStarts.indices { shardStarts[s] = 0 }
      for key in keys { shardStarts[ShardedDedupIndex.shard(of: key) + 1] += 1 }
      for s in 1..<shardStarts.count { shardStarts[s] += shardStarts[s - 1] }
      order.removeAll(keepingCapacity: true)
      order.append(contentsOf: repeatElement(0, count: keys.count))
      var next = shardStarts
      for (i, key) in keys.enumerated() {
        let s = ShardedDedupIndex.shard(of: key)
        order[next[s]] = Int32(i)
        next[s] += 1
      }
    }

    fileprivate mutating func setFirstRows(final: Bool, _ body: (inout [UInt32]) -> Void) {
      firstRows.removeAll(keepingCapacity: true)
      firstRows.append(contentsOf: repeatElement(0, count: keys.count))
      body(&firstRows)
      firstRowsFinal = final
    }
  }

  /// Inserts every entry of `batch`, keeping the smallest row of each number. With
  /// `everyEarlierInserted` (every earlier chunk's numbers are in), the smallest rows seen while
  /// inserting are already final: they become `batch.firstRows`, and no look-up is needed.
  func insert(_ batch: inout Batch, everyEarlierInserted: Bool = false) {
    let rows = batch.rows
    // Entries of one number are in row order within their shard's group, so the value kept for each
    // is the smallest of its own row and every row inserted before it.
    visitByShard(&batch, final: everyEarlierInserted) { table, key, i in table.insertMinimum(key, row: rows[i]) }
  }

  /// Fills `batch.firstRows` with the smallest row recorded for each entry's number.
  func lookUp(_ batch: inout Batch) {
    visitByShard(&batch, final: true) { table, key, _ in table.value(for: key) ?? UInt32.max }
  }

  /// Sets `batch.firstRows[i]` to `body(shard's table, key, i)` for every entry, a shard at a time
  /// under its lock, each shard's slots prefetched first so their cache misses overlap instead of
  /// stalling one after another.
  private func visitByShard(
    _ batch: inout Batch, final: Bool, _ body: (DedupIndex, UInt64, Int) -> UInt32
  ) {
    batch.group()
    let keys = batch.keys
    let order = batch.order
    let starts = batch.shardStarts
    batch.setFirstRows(final: final) { firstRows in
      for s in 0..<Self.shardCount where starts[s] < starts[s + 1] {
        let table = shards[s]
        let group = starts[s]..<starts[s + 1]
        locks[s].lock()
        for j in group { table.prefetchWithRow(keys[Int(order[j])]) }
        for j in group {
          let i = Int(order[j])
          firstRows[i] = body(table, keys[i], i)
        }
        locks[s].unlock()
      }
    }
  }
}
