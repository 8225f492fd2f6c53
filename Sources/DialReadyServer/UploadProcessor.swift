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
      let processed = try files.adopt(manifest.outputs.processed.path, sha256: manifest.outputs.processed.sha256, ext: "csv")
      let filtered = try files.adopt(manifest.outputs.filtered.path, sha256: manifest.outputs.filtered.sha256, ext: "csv")
      let rejects = try files.adopt(manifest.outputs.rejects.path, sha256: manifest.outputs.rejects.sha256, ext: "csv")
      let manifestFile = try files.adopt(work + "/manifest.json", ext: "json")
      let result = ProcessingResult(
        processedStoragePath: processed.storagePath, filteredStoragePath: filtered.storagePath,
        rejectsStoragePath: rejects.storagePath, manifestStoragePath: manifestFile.storagePath,
        validRowCount: manifest.validRowCount, invalidRowCount: manifest.invalidRowCount)
      try store.completeUpload(id: upload.id, result: result, at: configuration.clock.now())
      logger.info(
        "upload completed",
        metadata: [
          "upload_id": "\(upload.id)", "rows": "\(manifest.input.dataRows)",
          "seconds": "\(String(format: "%.3f", Date().timeIntervalSince(started)))",
        ])
    } catch {
      let message: String
      if let engineError = error as? DialReadyError {
        message = engineError.description.replacingOccurrences(of: inputPath, with: upload.originalFilename)
      } else {
        message = "\(error)"
      }
      logger.error("upload failed", metadata: ["upload_id": "\(upload.id)", "error": "\(message)"])
      do { try store.failUpload(id: upload.id, message: message, at: configuration.clock.now()) } catch {
        logger.error("could not record the failure", metadata: ["upload_id": "\(upload.id)", "error": "\(error)"])
      }
    }
  }
}
