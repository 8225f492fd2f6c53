/// One area code's facts packed in 64 bits: known and override flags, region, kind, state and zone-set indexes.
struct NPAInfo {
  var raw: UInt64

  init(raw: UInt64) { self.raw = raw }

  init(region: Region, kind: NumberKind, state: UInt16, zones: UInt16) {
    raw = 1 | UInt64(region.index) << 8 | UInt64(kind.rawValue) << 16 | UInt64(state) << 24
      | UInt64(zones) << 40
  }

  @inline(__always) var isKnown: Bool { raw & 1 != 0 }
  @inline(__always) var hasExchangeOverrides: Bool { raw & 2 != 0 }
  @inline(__always) var hasZoneOverrides: Bool { raw & 4 != 0 }
  @inline(__always) var region: Region { Region(uncheckedIndex: UInt8(truncatingIfNeeded: raw >> 8)) }
  @inline(__always) var kind: NumberKind { NumberKind(rawValue: UInt8(truncatingIfNeeded: raw >> 16))! }
  @inline(__always) var state: UInt16 { UInt16(truncatingIfNeeded: raw >> 24) }
  @inline(__always) var zones: UInt16 { UInt16(truncatingIfNeeded: raw >> 40) }
}

extension AreaCodeTable {
  /// Flat, never-freed storage for the hot lookups: 1,000 packed NPA records and a 1,024-bit exchange bitmap per NPA.
  final class Packed: @unchecked Sendable {
    private let infos: UnsafeMutablePointer<UInt64>
    private let exchanges: UnsafeMutablePointer<UInt64>

    init() {
      infos = .allocate(capacity: 1000)
      infos.initialize(repeating: 0, count: 1000)
      exchanges = .allocate(capacity: 1000 * 16)
      exchanges.initialize(repeating: 0, count: 1000 * 16)
    }

    deinit {
      infos.deallocate()
      exchanges.deallocate()
    }

    func setInfo(npa: Int, _ info: NPAInfo) { infos[npa] = info.raw }
    func markExchangeOverrides(npa: Int) { infos[npa] |= 2 }
    func markZoneOverrides(npa: Int) { infos[npa] |= 4 }
    func setExchange(npa: Int, nxx: Int) { exchanges[npa &* 16 &+ nxx >> 6] |= 1 << UInt64(nxx & 63) }

    @inline(__always) func info(npa: Int) -> NPAInfo { NPAInfo(raw: infos[npa]) }
    @inline(__always) func isExchangeValid(npa: Int, nxx: Int) -> Bool {
      exchanges[npa &* 16 &+ nxx >> 6] & (1 << UInt64(nxx & 63)) != 0
    }
  }
}
