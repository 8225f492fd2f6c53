import ArgumentParser
import TableIO

/// The reader limits (see `ReaderLimits`): a file over one is refused with exit 65, naming the limit
/// and the option that raises it.
struct ReaderLimitOptions: ParsableArguments {
  @Option(help: "Longest field (cell) in bytes.")
  var maxFieldBytes: Int = ReaderLimits().maxFieldBytes

  @Option(help: "Most columns a row may have.")
  var maxColumns: Int = ReaderLimits().maxColumns

  @Option(help: "Most rows a worksheet may have (Excel's limit).")
  var maxSheetRows: Int = ReaderLimits().maxRows

  @Option(help: "Longest CSV record in bytes (a quote never closed makes the rest of the file one record).")
  var maxRecordBytes: Int = ReaderLimits().maxRecordBytes

  @Option(help: "Most bytes the parts of an XLSX file may inflate to, together.")
  var maxInflatedBytes: Int64 = ReaderLimits().maxInflatedBytes

  @Option(help: "Highest inflated-to-compressed size ratio of one XLSX part (zip bombs).")
  var maxInflateRatio: Int = ReaderLimits().maxInflateRatio

  @Option(help: "Most bytes a workbook's shared-string table may hold.")
  var maxSharedStringBytes: Int = ReaderLimits().maxSharedStringBytes

  @Option(help: "Deepest nesting of XML elements or JSON arrays and objects.")
  var maxNestingDepth: Int = ReaderLimits().maxNestingDepth

  func validate() throws {
    let values: [(String, Int64)] = [
      ("--max-field-bytes", Int64(maxFieldBytes)), ("--max-columns", Int64(maxColumns)), ("--max-sheet-rows", Int64(maxSheetRows)),
      ("--max-record-bytes", Int64(maxRecordBytes)), ("--max-inflated-bytes", maxInflatedBytes),
      ("--max-inflate-ratio", Int64(maxInflateRatio)), ("--max-shared-string-bytes", Int64(maxSharedStringBytes)),
      ("--max-nesting-depth", Int64(maxNestingDepth)),
    ]
    // Bounded so that no sum or product of limits can overflow.
    for (name, value) in values where value < 1 || value > 1 << 40 {
      throw ValidationError("\(name) must be between 1 and \(1 << 40)")
    }
  }

  /// The limits these options set.
  var limits: ReaderLimits {
    var limits = ReaderLimits()
    limits.maxFieldBytes = maxFieldBytes
    limits.maxColumns = maxColumns
    limits.maxRows = maxSheetRows
    limits.maxRecordBytes = maxRecordBytes
    limits.maxInflatedBytes = maxInflatedBytes
    limits.maxInflateRatio = maxInflateRatio
    limits.maxSharedStringBytes = maxSharedStringBytes
    limits.maxNestingDepth = maxNestingDepth
    return limits
  }
}
