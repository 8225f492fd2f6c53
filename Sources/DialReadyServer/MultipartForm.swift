import Foundation

/// `multipart/form-data` (RFC 7578) helpers shared by ``StreamingForm``: the boundary of a content
/// type, a part's `Content-Disposition`, and a linear-time search for the delimiter.
enum MultipartForm {
  /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header value.
  static func boundary(contentType: String) -> String? {
    for parameter in contentType.split(separator: ";").dropFirst() {
      let pair = parameter.split(separator: "=", maxSplits: 1)
      guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
      var value = pair[1].trimmingCharacters(in: .whitespaces)
      if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
      // RFC 2046: 1 to 70 characters (a longer one would also make the boundary search costly).
      return value.isEmpty || value.utf8.count > 70 ? nil : value
    }
    return nil
  }

  /// The `name` and `filename` of a part's `Content-Disposition` header, or `nil` when it has none.
  static func disposition(_ headers: String) -> (name: String, filename: String?)? {
    for line in headers.split(separator: "\r\n") {
      let pair = line.split(separator: ":", maxSplits: 1)
      guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else {
        continue
      }
      var name: String?
      var filename: String?
      for parameter in Self.parameters(String(pair[1])) {
        if parameter.0 == "name" { name = parameter.1 }
        if parameter.0 == "filename" { filename = parameter.1 }
      }
      return name.map { ($0, filename) }
    }
    return nil
  }

  /// `form-data; name="file"; filename="a;b.csv"` → [(name, file), (filename, a;b.csv)], quotes honoured.
  private static func parameters(_ text: String) -> [(String, String)] {
    let characters = Array(text)
    var result: [(String, String)] = []
    var i = 0
    while i < characters.count {
      var key = ""
      while i < characters.count, characters[i] != "=", characters[i] != ";" { key.append(characters[i]); i += 1 }
      guard i < characters.count, characters[i] == "=" else { i += 1; continue }
      i += 1
      var value = ""
      if i < characters.count, characters[i] == "\"" {
        i += 1
        while i < characters.count, characters[i] != "\"" {
          if characters[i] == "\\", i + 1 < characters.count { i += 1 }
          value.append(characters[i])
          i += 1
        }
        while i < characters.count, characters[i] != ";" { i += 1 }
      } else {
        while i < characters.count, characters[i] != ";" { value.append(characters[i]); i += 1 }
        value = value.trimmingCharacters(in: .whitespaces)
      }
      i += 1
      result.append((key.trimmingCharacters(in: .whitespaces).lowercased(), value))
    }
    return result
  }

  /// The first index of `needle` in `haystack` at or after `start`, in linear time (Knuth–Morris–Pratt:
  /// a hostile body cannot make the boundary search quadratic).
  static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty, start <= haystack.count - needle.count else { return nil }
    var failure = [Int](repeating: 0, count: needle.count)
    var k = 0
    for i in 1..<needle.count {
      while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
      if needle[i] == needle[k] { k += 1 }
      failure[i] = k
    }
    return haystack.withUnsafeBufferPointer { h in
      var matched = 0
      for i in start..<h.count {
        while matched > 0 && h[i] != needle[matched] { matched = failure[matched - 1] }
        if h[i] == needle[matched] { matched += 1 }
        if matched == needle.count { return i - needle.count + 1 }
      }
      return nil
    }
  }
}
