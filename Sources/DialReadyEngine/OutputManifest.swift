import Foundation

/// `manifest.json`: a superset of the reference Upload object describing one run (DESIGN §3).
public struct OutputManifest: Codable, Sendable {
  // The reference Upload object's fields.
  public var originalFilename: String
  public var fileSizeBytes: Int?
  public var status: String
  public var validRowCount: Int
  public var invalidRowCount: Int
  public var duplicateRowCount: Int
  public var errorMessage: String?
  public var createdAt: String
  public var updatedAt: String

  public var input: Input
  public var outputDirectory: String
  public var outputs: Outputs
  public var counts: Counts
  public var errors: [ErrorGroup]
  public var engine: Engine
  public var timings: Timings
  public var memory: Memory
  /// With `--excel-safe`: how many cells of `processed.csv` (header included) got a leading `'`.
  public var excelSafe: ExcelSafe? = nil

  /// What `--excel-safe` changed.
  public struct ExcelSafe: Codable, Sendable {
    /// Cells of `processed.csv` prefixed with `'` (the filtered and rejects files hold copies of them).
    public var cellsChanged: Int
  }

  /// What was read and how.
  public struct Input: Codable, Sendable {
    public var path: String
    public var format: String
    public var encoding: String
    public var byteOrderMark: Bool
    public var delimiter: String
    public var sheet: String?
    public var phoneColumn: String
    public var phoneColumnIndex: Int
    public var phoneColumnChosenBy: String
    public var columns: [String]
    public var sha256: String
    public var dataRows: Int
    public var blankLines: Int
    public var raggedRows: RowList
    public var invalidUtf8Rows: RowList
    public var endedInsideQuotes: Bool
  }

  /// A count and the first row numbers it covers.
  public struct RowList: Codable, Sendable {
    public var count: Int
    public var firstRows: [Int]
  }

  /// One output file.
  public struct OutputFileEntry: Codable, Sendable {
    public var path: String
    public var rows: Int
    public var bytes: Int
    public var sha256: String
  }

  /// The three data outputs.
  public struct Outputs: Codable, Sendable {
    public var processed: OutputFileEntry
    public var filtered: OutputFileEntry
    public var rejects: OutputFileEntry
  }

  /// Counts by status, reason, region, line type and class.
  public struct Counts: Codable, Sendable {
    public var status: [String: Int]
    public var reason: [String: Int]
    public var region: [String: Int]
    public var lineType: [String: Int]
    public var classification: [String: Int]
  }

  /// Rows rejected for one reason, with the first row numbers.
  public struct ErrorGroup: Codable, Sendable {
    public var reason: String
    public var count: Int
    public var firstRows: [Int]
  }

  /// What produced the run.
  public struct Engine: Codable, Sendable {
    public var version: String
    public var numberingData: String
    public var modelId: String
    public var allowedRegions: String
    public var threads: Int
  }

  /// Seconds per stage and throughput. Stage times of parallel work are summed over workers.
  public struct Timings: Codable, Sendable {
    public var readSeconds: Double
    public var normalizeSeconds: Double
    public var orderedWriteSeconds: Double
    public var finalizeSeconds: Double
    public var totalSeconds: Double
    public var rowsPerSecond: Double
    /// Seconds spent in each pipeline stage, all threads added up (`read`, `parse`, `place`, `dedup`,
    /// `render`, `offsets`, `write`, `hash processed`, …): where a run's CPU time went.
    public var stageSeconds: [String: Double]? = nil
  }

  /// Memory the run used: peak resident set, and the dedup table's share of it.
  public struct Memory: Codable, Sendable {
    public var peakRssBytes: Int
    public var dedupTableBytes: Int
    public var distinctNumbers: Int
  }

  /// The manifest as pretty-printed JSON with sorted keys.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(10)
    return data
  }

  /// Reads a manifest written by ``jsonData()``.
  public static func decode(_ data: Data) throws -> OutputManifest {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(OutputManifest.self, from: data)
  }
}
