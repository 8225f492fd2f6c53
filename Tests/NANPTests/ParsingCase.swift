import NANP
import Testing

/// One row of a parsing table: the field as written and everything the parser must say of it.
struct ParsingCase: CustomTestStringConvertible, Sendable {
  let input: String
  let e164: String?
  let phoneExtension: String?
  let region: String?
  let state: String?
  let reason: RejectReason?
  let regions: RegionSet

  /// A field that must parse to `e164` (with `ext`, in `region` and `state`).
  static func accept(
    _ input: String, _ e164: String, ext: String? = nil, region: String = "US", state: String?,
    regions: RegionSet = .default
  ) -> ParsingCase {
    ParsingCase(
      input: input, e164: e164, phoneExtension: ext, region: region, state: state, reason: nil,
      regions: regions)
  }

  /// A field that must be rejected with `reason`.
  static func reject(_ input: String, _ reason: RejectReason, regions: RegionSet = .default) -> ParsingCase {
    ParsingCase(
      input: input, e164: nil, phoneExtension: nil, region: nil, state: nil, reason: reason, regions: regions)
  }

  var testDescription: String { "\(input.debugDescription)" }
}
