import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` as soon as the request head arrives, so clients
/// that wait for it before sending a large body (curl does for bodies over 1 MiB, for up to a second)
/// send it at once — unless its `Content-Length` is over the largest body the server takes: then the
/// client gets the 413 without ever sending the body. The request then goes on unchanged.
final class ContinueHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  /// The largest body any route takes.
  let maximumBodyBytes: Int

  init(maximumBodyBytes: Int) { self.maximumBodyBytes = maximumBodyBytes }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head(var head) = unwrapInboundIn(data), let expect = head.headerFields[.expect] {
      let length = head.headerFields[.contentLength].flatMap { Int($0) } ?? 0
      if expect.lowercased() == "100-continue" && length <= maximumBodyBytes {
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
      }
      head.headerFields[.expect] = nil
      context.fireChannelRead(wrapInboundOut(.head(head)))
      return
    }
    context.fireChannelRead(data)
  }
}
