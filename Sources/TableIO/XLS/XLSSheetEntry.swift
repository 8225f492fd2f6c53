/// A worksheet listed in the workbook globals (a BOUNDSHEET record).
struct XLSSheetEntry: Sendable {
  /// The sheet's name as the user sees it on its tab.
  let name: String
  /// The byte offset of the sheet's BOF record in the workbook stream.
  let offset: Int
}
