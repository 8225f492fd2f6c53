/// What a cached calling verdict depends on within one run (the instant and policy being fixed).
struct CallingWindowKey: Hashable {
  let zoneSetIndex: Int
  let state: String?
  let region: String
}
