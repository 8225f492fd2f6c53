import CPrefetch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A do-not-call index file, memory-mapped read-only: opens in microseconds whatever its size, and
/// answers ``contains(_:)`` with one or two memory reads for dense area codes.
///
/// Opening checks the magic, version, the checksum of header, sources and area-code table, and that
/// every table entry lies inside the file; the payloads themselves are not read until looked up.
/// The index is immutable and safe to share between threads. Indexes are replaced by rename (see
/// ``DNCIndexBuilder/write(to:sources:createdAt:)``), so an open index keeps seeing its own file.
public final class DNCIndex: @unchecked Sendable {
  // @unchecked: the mapping and the slots are written only in `init` and freed only in `deinit`.

  /// Where one area code's numbers are in the mapping.
  private struct Slot {
    var payload: UnsafeRawPointer?
    var count: UInt32
    var kind: DNCIndexLayout.Kind
  }

  /// The file as the caller named it.
  public let path: String
  /// Distinct numbers in the index.
  public let count: Int
  /// When the index was built, in unix seconds.
  public let createdAt: Int64
  /// The lists the index was built from, in the order they were given.
  public let sources: [DNCSource]
  private let mapping: UnsafeMutableRawPointer
  private let mappedBytes: Int
  private let slots: UnsafeMutablePointer<Slot>

  /// Maps and checks the index file at `path`.
  ///
  /// - Throws: ``DNCIndexError/cannotOpen(path:errno:)``, ``DNCIndexError/notIndexFile(path:)`` (a raw
  ///   list, say), ``DNCIndexError/unsupportedVersion(path:version:)``,
  ///   ``DNCIndexError/truncated(path:expectedBytes:actualBytes:)`` or ``DNCIndexError/damaged(path:detail:)``.
  public init(path: String) throws(DNCIndexError) {
    self.path = path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw .cannotOpen(path: path, errno: errno) }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) != 0 { throw .cannotOpen(path: path, errno: errno) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw .cannotOpen(path: path, errno: EISDIR) }
    let size = Int(info.st_size)
    if size < DNCIndexLayout.magic.count { throw .notIndexFile(path: path) }
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
      mapped != UnsafeMutableRawPointer(bitPattern: -1)
    else { throw .cannotOpen(path: path, errno: errno) }

    let header: DNCIndexHeader
    do throws(DNCIndexError) {
      header = try DNCIndexHeader(bytes: UnsafeRawBufferPointer(start: mapped, count: size), path: path)
    } catch {
      munmap(mapped, size)
      throw error
    }
    mapping = mapped
    mappedBytes = size
    count = header.count
    createdAt = header.createdAt
    sources = header.sources
    slots = .allocate(capacity: DNCIndexLayout.tableEntries)
    for (npa, entry) in header.entries.enumerated() {
      let payload = entry.kind == .none ? nil : UnsafeRawPointer(mapped + entry.offset)
      (slots + npa).initialize(to: Slot(payload: payload, count: UInt32(entry.count), kind: entry.kind))
    }
  }

  deinit {
    slots.deinitialize(count: DNCIndexLayout.tableEntries)
    slots.deallocate()
    munmap(mapping, mappedBytes)
  }

  /// The oldest date any source claims, in unix seconds (safe harbor wants it within 31 days), or
  /// `nil` for an index recorded without sources.
  public var oldestSourceDate: Int64? { sources.map(\.date).min() }

  /// Starts loading the memory ``contains(_:)`` will read first for `national` (the bitmap word, or
  /// the exchange's directory entry), so lookups a few rows ahead overlap their cache misses.
  @inline(__always)
  public func prefetch(_ national: UInt64) {
    let linesPerAreaCode = UInt64(DNCIndexLayout.linesPerAreaCode)
    let npa = national / linesPerAreaCode
    guard npa < UInt64(DNCIndexLayout.tableEntries) else { return }
    let line = Int(truncatingIfNeeded: national &- npa &* linesPerAreaCode)
    let slot = slots[Int(truncatingIfNeeded: npa)]
    switch slot.kind {
    case .bitmap: cprefetch_read(slot.payload.unsafelyUnwrapped + ((line >> 6) << 3))
    case .sortedArray: cprefetch_read(slot.payload.unsafelyUnwrapped + (line / DNCIndexLayout.linesPerExchange) * 4)
    case .none: break
    }
  }

  /// Whether the 10-digit NANP national number (`2125551234`) is on the do-not-call lists.
  public func contains(_ national: UInt64) -> Bool {
    let linesPerAreaCode = UInt64(DNCIndexLayout.linesPerAreaCode)
    let npa = national / linesPerAreaCode
    guard npa < UInt64(DNCIndexLayout.tableEntries) else { return false }
    let line = Int(truncatingIfNeeded: national &- npa &* linesPerAreaCode)
    let slot = slots[Int(truncatingIfNeeded: npa)]
    switch slot.kind {
    case .bitmap:
      let word = slot.payload.unsafelyUnwrapped.load(fromByteOffset: (line >> 6) << 3, as: UInt64.self)
      return (UInt64(littleEndian: word) >> UInt64(line & 63)) & 1 == 1
    case .sortedArray:
      // The directory narrows the search to one exchange; its entries are clamped so that a
      // damaged payload gives wrong answers at worst, never a read outside the mapping.
      let payload = slot.payload.unsafelyUnwrapped
      let directory = payload.assumingMemoryBound(to: UInt32.self)
      let exchange = line / DNCIndexLayout.linesPerExchange
      let count = Int(slot.count)
      var high = min(Int(UInt32(littleEndian: directory[exchange &+ 1])), count)
      var low = min(Int(UInt32(littleEndian: directory[exchange])), high)
      let end = high
      let keys = (payload + DNCIndexLayout.directoryBytes).assumingMemoryBound(to: UInt32.self)
      let key = UInt32(truncatingIfNeeded: line)
      while low < high {
        let mid = (low &+ high) >> 1
        if UInt32(littleEndian: keys[mid]) < key { low = mid &+ 1 } else { high = mid }
      }
      return low < end && UInt32(littleEndian: keys[low]) == key
    case .none:
      return false
    }
  }

  /// Calls `body` with every number of the index, in ascending order (for merging indexes).
  public func forEachNumber(_ body: (UInt64) -> Void) {
    let linesPerAreaCode = UInt64(DNCIndexLayout.linesPerAreaCode)
    for npa in 0..<DNCIndexLayout.tableEntries {
      let slot = slots[npa]
      let base = UInt64(npa) &* linesPerAreaCode
      switch slot.kind {
      case .bitmap:
        let payload = slot.payload.unsafelyUnwrapped
        for wordIndex in 0..<DNCIndexLayout.bitmapWords {
          var word = UInt64(littleEndian: payload.load(fromByteOffset: wordIndex << 3, as: UInt64.self))
          while word != 0 {
            let bit = word.trailingZeroBitCount
            body(base &+ UInt64(wordIndex << 6 | bit))
            word &= word &- 1
          }
        }
      case .sortedArray:
        let keys = (slot.payload.unsafelyUnwrapped + DNCIndexLayout.directoryBytes).assumingMemoryBound(to: UInt32.self)
        for i in 0..<Int(slot.count) {
          let key = UInt64(UInt32(littleEndian: keys[i]))
          if key < linesPerAreaCode { body(base &+ key) }
        }
      case .none:
        continue
      }
    }
  }

  /// Whether `prefix` (the first bytes of a file, at least eight) starts like an index file rather
  /// than a raw list.
  public static func isIndexFile(prefix: [UInt8]) -> Bool {
    prefix.withUnsafeBytes { isIndexFile($0) }
  }

  static func isIndexFile(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let magic = DNCIndexLayout.magic
    return bytes.count >= magic.count && bytes.prefix(magic.count).elementsEqual(magic)
  }
}
