import Dispatch
import Foundation
import TableIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Removes this run's temporary files and folders (staging folders, `.partial` files, lock files)
/// when the process is interrupted, then exits 130 for SIGINT and 143 for SIGTERM, so an interrupted
/// run leaves nothing behind. Completed outputs are never touched: writers unregister a path in the
/// same critical section as the rename that completes it.
public enum InterruptCleanup {
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  /// Handles SIGINT and SIGTERM from now on (call once, at startup).
  public static func install() {
    for (signalNumber, exitCode) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global(qos: .userInitiated))
      source.setEventHandler {
        // Held until exit: no rename can complete meanwhile.
        TemporaryPaths.removeAllAndHold { path, isFolder in
          if isFolder { OutputDirectory.removeTree(path) } else { unlink(path) }
        }
        let name = signalNumber == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)"
        FileHandle.standardError.write(Data("dialready: \(name); temporary files removed, no output written\n".utf8))
        _exit(exitCode)
      }
      source.resume()
      sources.append(source)
    }
  }
}
