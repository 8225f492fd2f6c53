import Foundation

/// The ZIP container of an XLSX workbook: small parts read whole, the worksheet inflated on a
/// background thread block by block.
final class ZipPackage {
  let path: String
  let displayPath: String
  private let archive: ZipArchive
  private let limits: ReaderLimits
  /// Bytes the parts read so far inflated to (counted as they inflate, not as their headers claim).
  private var inflated: Int64 = 0

  init(path: String, displayPath: String, limits: ReaderLimits = ReaderLimits()) throws(SpreadsheetError) {
    self.path = path
    self.displayPath = displayPath
    self.limits = limits
    archive = try ZipArchive(path: path)
  }

  /// Whether the package has a part at `name`.
  func contains(_ name: String) -> Bool { archive[name] != nil }

  /// The whole content of a (small) part.
  func read(_ name: String) throws(SpreadsheetError) -> [UInt8] {
    guard let entry = archive[name] else { throw .corrupt("part \(name) is missing") }
    var budget = InflateBudget(part: name, compressed: entry.compressedSize, limits: limits, before: inflated)
    var bytes: [UInt8] = []
    try archive.inflate(entry, budget: &budget) { block in bytes.append(contentsOf: block) }
    inflated += Int64(bytes.count)
    return bytes
  }

  /// Streams a part through a bounded queue filled by a background thread. The part's inflated bytes
  /// count against the package's budget as if it were read to the end.
  func stream(_ name: String) throws(SpreadsheetError) -> InflatedPartStream {
    guard let entry = archive[name] else { throw .corrupt("part \(name) is missing") }
    let budget = InflateBudget(part: name, compressed: entry.compressedSize, limits: limits, before: inflated)
    guard entry.uncompressedSize <= limits.maxInflatedBytes - min(inflated, limits.maxInflatedBytes) else {
      throw .limitExceeded(LimitExceeded(.inflatedBytes, limits, at: "part \(name) (as its header declares)"))
    }
    inflated += entry.uncompressedSize
    return InflatedPartStream(archive: archive, entry: entry, budget: budget)
  }
}

/// What one part may inflate to: no more than the ratio limit times its compressed size, and no
/// more than what is left of the package's inflated-size limit.
public struct InflateBudget: Sendable {
  let part: String
  let limits: ReaderLimits
  private let maxBytes: Int64
  private let byRatio: Bool
  private var total: Int64 = 0

  /// A budget for `part` of `compressed` bytes, after `before` bytes were inflated from the same file.
  public init(part: String, compressed: Int64, limits: ReaderLimits, before: Int64) {
    self.part = part
    self.limits = limits
    // Small parts compress well and say little: the ratio applies beyond the first MiB.
    let (product, overflow) = max(compressed, 1).multipliedReportingOverflow(by: Int64(limits.maxInflateRatio))
    let ratioCap = overflow || product > Int64.max - (1 << 20) ? Int64.max : product + (1 << 20)
    let left = max(0, limits.maxInflatedBytes - before)
    byRatio = ratioCap < left
    maxBytes = min(ratioCap, left)
  }

  /// Counts `count` more inflated bytes; throws once over budget.
  public mutating func add(_ count: Int) throws(SpreadsheetError) {
    total += Int64(count)
    if total > maxBytes {
      throw .limitExceeded(LimitExceeded(byRatio ? .inflateRatio : .inflatedBytes, limits, at: "part \(part)"))
    }
  }
}

/// Blocks of an inflated ZIP part, produced on a background thread, at most a few in memory at once.
final class InflatedPartStream: @unchecked Sendable {
  private let condition = NSCondition()
  private var blocks: [[UInt8]] = []
  private var finished = false
  private var failure: SpreadsheetError?
  private var cancelled = false
  private static let maxQueued = 8

  init(archive: ZipArchive, entry: ZipArchive.Entry, budget: InflateBudget) {
    let thread = Thread { [self] in
      var budget = budget
      do throws(SpreadsheetError) {
        try archive.inflate(entry, budget: &budget) { (block) throws(SpreadsheetError) in
          self.condition.lock()
          defer { self.condition.unlock() }
          while self.blocks.count >= Self.maxQueued && !self.cancelled { self.condition.wait() }
          if self.cancelled { throw .corrupt("cancelled") }
          self.blocks.append(Array(block))
          self.condition.broadcast()
        }
        finish(nil)
      } catch {
        finish(cancelledFlag ? nil : error)
      }
    }
    thread.stackSize = 1 << 20
    thread.start()
  }

  /// Whether the consumer gave up (read under the lock).
  private var cancelledFlag: Bool {
    condition.lock()
    defer { condition.unlock() }
    return cancelled
  }

  private func finish(_ error: SpreadsheetError?) {
    condition.lock()
    finished = true
    failure = error
    condition.broadcast()
    condition.unlock()
  }

  /// The next block, or `nil` at the end of the part.
  func next() throws(SpreadsheetError) -> [UInt8]? {
    condition.lock()
    defer { condition.unlock() }
    while blocks.isEmpty && !finished { condition.wait() }
    if !blocks.isEmpty {
      let block = blocks.removeFirst()
      condition.broadcast()
      return block
    }
    if let failure { throw failure }
    return nil
  }

  /// Stops the producer (when the reader is abandoned early).
  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  deinit { cancel() }
}
