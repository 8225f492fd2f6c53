import HTTPTypes

/// The API's paths and their methods, so a known path asked with another method gets 405 and an
/// `Allow` header instead of the router's 404.
enum RouteTable {
  static let routes: [(segments: [Substring], methods: [HTTPRequest.Method])] = [
    ("/healthz", [.get]), ("/api/v1/uploads", [.get, .post]), ("/api/v1/uploads/:id", [.get, .delete]),
    ("/api/v1/uploads/:id/errors", [.get]), ("/api/v1/uploads/:id/download/:kind", [.get]),
    ("/files/:id/:kind", [.get]), ("/api/v1/webhooks", [.get, .post]),
    ("/api/v1/webhooks/:id", [.get, .patch, .delete]), ("/api/v1/webhooks/:id/deliveries", [.get]),
    ("/api/v1/contacts", [.get, .post]), ("/api/v1/contacts/:id", [.get]),
  ].map { ($0.0.split(separator: "/"), $0.1) }

  /// The methods `path` answers to, or `nil` when no route has that shape.
  static func methods(for path: String) -> [HTTPRequest.Method]? {
    let segments = path.split(separator: "/")
    for route in routes where route.segments.count == segments.count {
      if zip(route.segments, segments).allSatisfy({ $0.hasPrefix(":") || $0 == $1 }) { return route.methods }
    }
    return nil
  }
}
