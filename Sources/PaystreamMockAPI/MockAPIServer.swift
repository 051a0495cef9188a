import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The mock payment API: an HTTP/1.1 server (keep-alive, pipelining) on NIO.
public final class MockAPIServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; `start()` returns the one bound.
        public var port = 0
        public var apiKey: String
        /// Lifetime of OAuth2 access tokens issued by `/oauth/token`.
        public var tokenLifetime: Duration = .seconds(3600)

        public init(host: String = "127.0.0.1", port: Int = 0, apiKey: String, tokenLifetime: Duration = .seconds(3600)) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.tokenLifetime = tokenLifetime
        }
    }

    public let dataset: MockDataset
    private let configuration: Configuration
    private let logger: Logger
    private let channel = Mutex<(any Channel)?>(nil)
    private let faultSettings = Mutex(MockFaults())
    private let requests = Atomic<Int>(0)

    /// Requests answered so far (any path, any status).
    public var requestCount: Int { requests.load(ordering: .relaxed) }

    /// Changes the injected faults; takes effect for the next request.
    public var faults: MockFaults {
        get { faultSettings.withLock { $0 } }
        set { faultSettings.withLock { $0 = newValue } }
    }

    public init(configuration: Configuration, dataset: MockDataset, logger: Logger) {
        self.configuration = configuration
        self.dataset = dataset
        self.logger = logger
    }

    /// Binds and starts serving; returns the port.
    public func start() async throws -> Int {
        let router = MockAPIRouter(
            dataset: dataset, auth: MockAuth(apiKey: configuration.apiKey, tokenLifetime: configuration.tokenLifetime),
            faults: { [self] in self.faults },
            onRequest: { [self] in self.requests.add(1, ordering: .relaxed) }
        )
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MockHTTPHandler(router: router))
                }
            }
        let bound = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        channel.withLock { $0 = bound }
        let port = bound.localAddress?.port ?? configuration.port
        logger.info("mock API listening on http://\(configuration.host):\(port)")
        return port
    }

    /// Serves until the channel is closed by `stop()`.
    public func waitUntilStopped() async throws {
        guard let bound = channel.withLock({ $0 }) else { return }
        try await bound.closeFuture.get()
    }

    /// Closes the listening socket; `waitUntilStopped()` then returns.
    public func stop() {
        channel.withLock { $0 }?.close(promise: nil)
    }
}

final class MockHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: MockAPIRouter
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(router: MockAPIRouter) {
        self.router = router
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            if body.count < 1_000_000 { body += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        case .end:
            guard let head else { return }
            self.head = nil
            var request = MockRequest(method: head.method.rawValue, uri: head.uri, headers: head.headers)
            request.body = body
            let response = router.respond(to: request)
            switch response.delivery {
            case .normal:
                write(response, keepAlive: head.isKeepAlive, version: head.version, context: context)
            case .drop:
                context.close(promise: nil)
            case .stall:
                write(response, keepAlive: head.isKeepAlive, version: head.version, context: context, stallHalfway: true)
            case .delayed(let delay):
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: TimeAmount(delay)) {
                    let (handler, context) = loopBound.value
                    handler.write(response, keepAlive: head.isKeepAlive, version: head.version, context: context)
                }
            }
        }
    }

    private func write(_ response: MockResponse, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext, stallHalfway: Bool = false) {
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(response.body.count))])
        headers.add(contentsOf: response.headers)
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if stallHalfway {
            // The client has the head and half the body; the rest never comes.
            let half = response.body.prefix(response.body.count / 2)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: half)))), promise: nil)
            return
        }
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        let done = context.writeAndFlushPromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive { done.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }
}

extension ChannelHandlerContext {
    fileprivate func writeAndFlushPromise() -> EventLoopPromise<Void> { eventLoop.makePromise() }
}
