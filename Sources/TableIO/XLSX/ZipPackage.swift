import CSystemZlib
import Foundation
import ZIPFoundation

/// The ZIP container of an XLSX workbook: small parts read whole, the worksheet inflated on a
/// background thread block by block.
final class ZipPackage {
  let path: String
  let displayPath: String
  private let archive: Archive

  init(path: String, displayPath: String) throws(SpreadsheetError) {
    self.path = path
    self.displayPath = displayPath
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
      throw .corrupt("not a readable ZIP archive: the central directory is missing or damaged")
    }
  }

  /// Whether the package has a part at `name`.
  func contains(_ name: String) -> Bool { archive[name] != nil }

  /// The whole content of a (small) part.
  func read(_ name: String) throws(SpreadsheetError) -> [UInt8] {
    guard let entry = archive[name] else { throw .corrupt("part \(name) is missing") }
    guard entry.uncompressedSize < 512 << 20 else { throw .corrupt("part \(name) claims \(entry.uncompressedSize) bytes") }
    var bytes: [UInt8] = []
    do {
      _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in bytes.append(contentsOf: data) }
    } catch {
      throw .corrupt("part \(name) cannot be inflated (\(error))")
    }
    return bytes
  }

  /// Streams a part through a bounded queue filled by a background thread.
  func stream(_ name: String) throws(SpreadsheetError) -> InflatedPartStream {
    guard archive[name] != nil else { throw .corrupt("part \(name) is missing") }
    return InflatedPartStream(archivePath: path, part: name)
  }
}

/// Blocks of an inflated ZIP part, produced on a background thread, at most a few in memory at once.
final class InflatedPartStream: @unchecked Sendable {
  private let condition = NSCondition()
  private var blocks: [Data] = []
  private var finished = false
  private var failure: String?
  private var cancelled = false
  private static let maxQueued = 8

  private struct Cancelled: Error {}

  init(archivePath: String, part: String) {
    let thread = Thread { [self] in
      do {
        let archive = try Archive(url: URL(fileURLWithPath: archivePath), accessMode: .read)
        guard let entry = archive[part] else { throw SpreadsheetError.corrupt("part \(part) is missing") }
        // ZIPFoundation's own CRC-32 is a byte-at-a-time Swift loop; zlib's is several times faster.
        var crc: UInt = 0
        _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
          data.withUnsafeBytes { raw in
            if let base = raw.baseAddress {
              crc = CSystemZlib.crc32(crc, base.assumingMemoryBound(to: UInt8.self), UInt32(raw.count))
            }
          }
          self.condition.lock()
          defer { self.condition.unlock() }
          while self.blocks.count >= Self.maxQueued && !self.cancelled { self.condition.wait() }
          if self.cancelled { throw Cancelled() }
          self.blocks.append(data)
          self.condition.broadcast()
        }
        if UInt32(truncatingIfNeeded: crc) != entry.checksum {
          throw SpreadsheetError.corrupt("part \(part) fails its CRC-32 check")
        }
        finish(nil)
      } catch is Cancelled {
        finish(nil)
      } catch {
        finish("part \(part) cannot be inflated: \(error)")
      }
    }
    thread.stackSize = 1 << 20
    thread.start()
  }

  private func finish(_ error: String?) {
    condition.lock()
    finished = true
    failure = error
    condition.broadcast()
    condition.unlock()
  }

  /// The next block, or `nil` at the end of the part.
  func next() throws(SpreadsheetError) -> Data? {
    condition.lock()
    defer { condition.unlock() }
    while blocks.isEmpty && !finished { condition.wait() }
    if !blocks.isEmpty {
      let block = blocks.removeFirst()
      condition.broadcast()
      return block
    }
    if let failure { throw .corrupt(failure) }
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
