import DialReadyEngine
import Foundation
import Logging

/// Processes one claimed upload with the engine (its compliance options, the server's DNC lists,
/// lookups, history and model) and moves the outputs into the file store. A rerun after a crash
/// rewrites the work folder from scratch (`--force`); nothing is charged here.
struct UploadProcessor {
  let configuration: ServerConfiguration
  let files: FileStore
  let store: any ServerStore
  let logger: Logger

  /// Runs the engine on `upload` and records `completed` or `failed`.
  func process(_ upload: UploadRecord) {
    let started = Date()
    let inputPath = files.path(of: upload.storagePath)
    let work = files.workPath("\(upload.id).dialready")
    defer { try? FileManager.default.removeItem(atPath: work) }
    // A run a killed server left behind is redone from scratch.
    try? FileManager.default.removeItem(atPath: work)
    do {
      var options = configuration.classifyOptions(input: inputPath, output: work, phoneColumn: upload.phoneColumn)
      options.force = true
      options.historyPath = configuration.historyPath
      options.lookupPath = upload.skipMobileLookup == true ? nil : configuration.lookupPath
      if upload.options.enableDNC { options.dncPaths = configuration.dncPaths }
      if let policy = try UploadIntake.callingPolicy(upload.options) {
        options.callingWindow = CallingWindowOptions(at: configuration.clock.now(), policy: policy)
      }
      let manifest = try ClassifyJob(options: options).run()
      // Held until the upload refers to them (or, failing that, removed unless something else does).
      var held: [String] = []
      var recorded = false
      defer {
        for path in held {
          if recorded { files.release(path) } else { files.releaseRemovingIfUnused(path, isReferenced: store.isFileReferenced) }
        }
      }
      let processed = try files.adopt(manifest.outputs.processed.path, sha256: manifest.outputs.processed.sha256, ext: "csv")
      held.append(processed.storagePath)
      let filtered = try files.adopt(manifest.outputs.filtered.path, sha256: manifest.outputs.filtered.sha256, ext: "csv")
      held.append(filtered.storagePath)
      let rejects = try files.adopt(manifest.outputs.rejects.path, sha256: manifest.outputs.rejects.sha256, ext: "csv")
      held.append(rejects.storagePath)
      let manifestFile = try files.adopt(work + "/manifest.json", ext: "json")
      held.append(manifestFile.storagePath)
      let result = ProcessingResult(
        processedStoragePath: processed.storagePath, filteredStoragePath: filtered.storagePath,
        rejectsStoragePath: rejects.storagePath, manifestStoragePath: manifestFile.storagePath,
        validRowCount: manifest.validRowCount, invalidRowCount: manifest.invalidRowCount)
      try store.completeUpload(id: upload.id, result: result, at: configuration.clock.now())
      recorded = true
      logger.info(
        "upload completed",
        metadata: [
          "upload_id": "\(upload.id)", "rows": "\(manifest.input.dataRows)",
          "seconds": "\(String(format: "%.3f", Date().timeIntervalSince(started)))",
        ])
    } catch {
      let message = Self.publicMessage(
        error, inputPath: inputPath, filename: upload.originalFilename, dataDirectory: configuration.dataDirectory)
      logger.error("upload failed", metadata: ["upload_id": "\(upload.id)", "error": "\(error)"])
      do { try store.failUpload(id: upload.id, message: message, at: configuration.clock.now()) } catch {
        logger.error("could not record the failure", metadata: ["upload_id": "\(upload.id)", "error": "\(error)"])
      }
    }
  }

  /// The message stored on a failed upload (and served by the API): it names the upload's file by its
  /// original name, says what to do, and never holds a path on the server (the data directory, work
  /// folders, or the operator's do-not-call, lookup, history and model files).
  static func publicMessage(_ error: any Error, inputPath: String, filename: String, dataDirectory: String) -> String {
    guard let error = error as? DialReadyError else {
      return "Processing failed on the server; upload the file again, and tell the server's operator if it keeps failing"
    }
    switch error {
    case .dnc, .staleDNC:
      return "The server's do-not-call list cannot be used right now, so the upload was not processed; ask the server's operator to check it, then upload again"
    case .lookupColumnMissing, .model:
      return "The server's lookup, call-history or model file cannot be used right now, so the upload was not processed; ask the server's operator to check them, then upload again"
    case .outputExists, .outputOverlapsInput, .outputNotReplaceable, .locked, .cannotCreateOutput, .writeFailed:
      return "The server could not write the results (its disk may be full); upload the file again later"
    case .internalError:
      return "Internal error while processing; upload the file again, and report it to the server's operator with this upload's id if it fails again"
    default:
      // About the uploaded file itself: the engine's own words, with the file's name for its path.
      let message = error.description.replacingOccurrences(of: inputPath, with: filename)
      let root = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
      if message.contains(root) || message.contains(dataDirectory) {
        return "The file \(filename) could not be read; check that it is a CSV, TSV, XLSX, XLS, JSON or NDJSON table"
      }
      return message
    }
  }
}
