import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The operations listener: `GET /metrics` (Prometheus text format), `GET /livez` (the
/// process serves requests) and `GET /readyz` (every readiness check passes; 503 with the
/// reasons otherwise). A plain NIO HTTP/1.1 server: three fixed routes need no framework,
/// and NIO is already built for the mock API and the HTTP client.
///
/// Run it first in the service group: a group shuts down in reverse order, so metrics and
/// probes stay up while the main service finishes.
public final class OperationsServer: Service {
    private let address: HTTPAddress
    private let routes: OperationsRoutes
    private let logger: Logger

    public init(address: HTTPAddress, metrics: PrometheusExport, readiness: Readiness, logger: Logger) {
        self.address = address
        self.routes = OperationsRoutes(metrics: metrics, readiness: readiness)
        self.logger = logger
    }

    public func run() async throws {
        let routes = self.routes
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(OperationsHTTPHandler(routes: routes))
                    }
                }
                .bind(host: address.host, port: address.port).get()
        } catch {
            throw OperationsServerError(address: address, underlying: error)
        }
        let bound = HTTPAddress(host: address.host, port: channel.localAddress?.port ?? address.port)
        logger.info("serving /metrics, /livez and /readyz", metadata: ["http.address": "\(bound)"])
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

public struct OperationsServerError: Error, CustomStringConvertible {
    public var address: HTTPAddress
    public var underlying: any Error

    public var description: String {
        "cannot serve /metrics and the probes on \(address) (--http-address): \(underlying)"
    }
}

/// What each path answers.
struct OperationsRoutes: Sendable {
    let metrics: PrometheusExport
    let readiness: Readiness

    func respond(method: HTTPMethod, path: String) -> (status: HTTPResponseStatus, contentType: String, body: [UInt8]) {
        guard method == .GET || method == .HEAD else { return (.methodNotAllowed, "text/plain", Array("GET only\n".utf8)) }
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/metrics":
            return (.ok, PrometheusExport.contentType, metrics.render())
        case "/livez":
            return (.ok, "text/plain", Array("ok\n".utf8))
        case "/readyz":
            let problems = readiness.problems()
            if problems.isEmpty { return (.ok, "text/plain", Array("ready\n".utf8)) }
            let text = "not ready\n" + problems.map { "- \($0.name): \($0.reason)\n" }.joined()
            return (.serviceUnavailable, "text/plain", Array(text.utf8))
        default:
            return (.notFound, "text/plain", Array("not found: /metrics, /livez, /readyz\n".utf8))
        }
    }
}

final class OperationsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: OperationsRoutes
    private var head: HTTPRequestHead?

    init(routes: OperationsRoutes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let response = routes.respond(method: head.method, path: head.uri)
            var headers = HTTPHeaders([("Content-Type", response.contentType), ("Content-Length", String(response.body.count))])
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: response.status, headers: headers))), promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
            }
            let done = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
            if !head.isKeepAlive {
                done.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
            }
        }
    }
}
