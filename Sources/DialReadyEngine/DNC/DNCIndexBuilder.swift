/// Collects do-not-call numbers in memory (duplicates welcome) and writes them as a ``DNCIndex`` file.
///
/// Each area code costs at most 1.25 MB however many numbers it gets: a sorted array of its line
/// keys while sparse, a bitmap of all 10,000,000 once dense. The builder is a value: copies are
/// independent (the memory is copied on the first insert into a shared one).
public struct DNCIndexBuilder {
  private var storage = DNCAreaCodeBuckets()

  /// An empty builder.
  public init() {}

  /// Adds a 10-digit NANP national number (`2125551234` for +1 212 555 1234).
  ///
  /// - Returns: `false`, adding nothing, when the number is not ten digits with an area code of
  ///   200…999; ``DNCListParser`` checks the exchange as well before it calls this.
  @inline(__always)
  @discardableResult
  public mutating func insert(_ national: UInt64) -> Bool {
    let npa = national / UInt64(DNCIndexLayout.linesPerAreaCode)
    guard npa >= UInt64(DNCIndexLayout.firstAreaCode), npa < UInt64(DNCIndexLayout.tableEntries) else {
      return false
    }
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    let line = national &- npa &* UInt64(DNCIndexLayout.linesPerAreaCode)
    storage.insert(npa: Int(truncatingIfNeeded: npa), line: UInt32(truncatingIfNeeded: line))
    return true
  }

  /// Distinct numbers collected so far (sorts the sparse area codes, which writing needs anyway).
  public var count: Int { storage.normalizedCount() }

  /// The storage, for writing.
  var areaCodes: DNCAreaCodeBuckets { storage }
}
