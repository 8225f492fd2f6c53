/// One equal-width bin of predicted probabilities in a calibration table.
public struct CalibrationBin: Sendable, Equatable, Codable {
  /// The bin's position, 0 for the lowest probabilities.
  public var bin: Int
  /// How many predictions fall in the bin.
  public var count: Int
  /// The mean predicted probability in the bin, or nil when it is empty.
  public var meanPredicted: Double?
  /// The share of positive outcomes in the bin, or nil when it is empty.
  public var observedRate: Double?

  /// Creates a bin from its statistics.
  public init(bin: Int, count: Int, meanPredicted: Double?, observedRate: Double?) {
    self.bin = bin
    self.count = count
    self.meanPredicted = meanPredicted
    self.observedRate = observedRate
  }

  enum CodingKeys: String, CodingKey {
    case bin
    case count
    case meanPredicted = "mean_predicted"
    case observedRate = "observed_rate"
  }

  /// Encodes every key, writing `null` for the statistics of an empty bin.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(bin, forKey: .bin)
    try container.encode(count, forKey: .count)
    try container.encode(meanPredicted, forKey: .meanPredicted)
    try container.encode(observedRate, forKey: .observedRate)
  }
}
