import DialReadyEngine
import Foundation

/// A one-line progress bar on stderr: rows, MB/s and ETA; silent unless stderr is a terminal (or `always`).
final class ProgressBar: @unchecked Sendable {
  private let enabled: Bool
  private let label: String
  private var drawn = false
  private let lock = NSLock()

  init(mode: ProgressMode, quiet: Bool, label: String) {
    switch mode {
    case .always: enabled = !quiet
    case .never: enabled = false
    case .auto: enabled = !quiet && isatty(2) != 0
    }
    self.label = label
  }

  /// The callback handed to the job.
  var update: (@Sendable (ClassifyProgress) -> Void)? {
    guard enabled else { return nil }
    return { [self] progress in draw(progress) }
  }

  private func draw(_ p: ClassifyProgress) {
    let mb = Double(p.bytesRead) / 1_048_576
    let rate = p.elapsed > 0 ? mb / p.elapsed : 0
    var line = "\r\(label): \(p.rows) rows, \(String(format: "%.1f", rate)) MB/s"
    if let total = p.totalBytes, total > 0 {
      let done = Double(p.bytesRead) / Double(total)
      let width = 24
      let filled = Int(done * Double(width))
      let eta = done > 0 ? p.elapsed * (1 - done) / done : 0
      line += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: max(0, width - filled)) + "]"
      line += " \(Int(done * 100))% ETA \(String(format: "%.0f", eta)) s"
    }
    lock.lock()
    drawn = true
    FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    lock.unlock()
  }

  /// Ends the bar's line.
  func finish() {
    lock.lock()
    if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    drawn = false
    lock.unlock()
  }
}
