extension RecordChunk {
  /// Prepares the chunk for records written by a non-CSV reader.
  func beginFilling(firstRow: Int, sequence: Int) {
    reset()
    delimiter = UInt8(ascii: ",")
    self.firstRow = firstRow
    self.sequence = sequence
  }

  /// Starts a record at the current end of the bytes.
  @inline(__always)
  func beginRecord() {
    recordStarts.append(Int32(byteCount))
    pendingFields = 0
  }

  /// Appends one field (its text, CSV-quoted where needed) to the record being written.
  @inline(__always)
  func appendField(_ value: UnsafeRawBufferPointer) {
    ensureCapacity(byteCount + value.count * 2 + 3)
    let p = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
    if pendingFields > 0 {
      p[byteCount] = UInt8(ascii: ",")
      byteCount += 1
    }
    if CSVField.needsQuoting(value) {
      p[byteCount] = UInt8(ascii: "\"")
      byteCount += 1
      for b in value {
        if b == UInt8(ascii: "\"") {
          p[byteCount] = b
          byteCount += 1
        }
        p[byteCount] = b
        byteCount += 1
      }
      p[byteCount] = UInt8(ascii: "\"")
      byteCount += 1
    } else if value.count > 0 {
      (p + byteCount).update(from: value.baseAddress!.assumingMemoryBound(to: UInt8.self), count: value.count)
      byteCount += value.count
    }
    fieldEnds.append(Int32(byteCount))
    pendingFields += 1
  }

  /// Appends empty fields.
  @inline(__always)
  func appendEmptyFields(_ count: Int) {
    guard count > 0 else { return }
    for _ in 0..<count { appendField(UnsafeRawBufferPointer(start: nil, count: 0)) }
  }

  /// Ends the record; a record without fields becomes a blank line.
  @inline(__always)
  func endRecord() {
    if pendingFields == 0 { appendField(UnsafeRawBufferPointer(start: nil, count: 0)) }
    recordFieldBase.append(Int32(fieldEnds.count))
  }
}
