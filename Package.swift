// swift-tools-version:6.1
import PackageDescription

// librdkafka >= 2.8 is built by `ops/setup` into this git-ignored prefix (Debian bookworm's
// 2.0.2 cannot talk to the Tansu broker). The rpath makes binaries load that build rather
// than a system librdkafka.so.1 with the same SONAME; a test asserts the linked version.
// An image build sets PAYSTREAM_RDKAFKA_RPATH='$ORIGIN/../lib' so installed binaries look
// beside themselves instead of in the build folder.
let rdkafkaLibDir = Context.environment["PAYSTREAM_RDKAFKA_RPATH"] ?? (Context.packageDirectory + "/.cache/librdkafka/lib")

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let unixSignals: Target.Dependency = .product(name: "UnixSignals", package: "swift-service-lifecycle")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")

let package = Package(
    name: "paystream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paystream-fetcher", targets: ["PaystreamFetcherCommand"]),
        .executable(name: "paystream-sink", targets: ["PaystreamSinkCommand"]),
        .executable(name: "paystream-mock-api", targets: ["PaystreamMockAPICommand"]),
        .executable(name: "paystream-status", targets: ["PaystreamStatusCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Tests only: runs the executables the integration tests start.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        // C libraries, linked from the system (SQLite) or the ops/setup prefix (librdkafka).
        .systemLibrary(name: "CRDKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The crash report's signal handler, in C: a handler may only make async-signal-safe
        // calls, which Swift code cannot promise.
        .target(name: "CFatalSignals"),

        // Libraries, one concern each.
        .target(
            name: "PaystreamKafka",
            dependencies: ["CRDKafka", "CFatalSignals", "PaystreamBasics", "PaystreamMessageFormat", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", rdkafkaLibDir])]
        ),
        .target(name: "PaystreamJSON", swiftSettings: swiftSettings),
        // Small value helpers several modules need (time units, civil dates, percent-coding).
        .target(name: "PaystreamBasics", swiftSettings: swiftSettings),
        // The message format: topic names, topic-partitions, header names and key encoding,
        // shared by the Kafka layer, fetcher, store, sink and tests.
        .target(name: "PaystreamMessageFormat", swiftSettings: swiftSettings),
        .target(
            name: "PaystreamConfig",
            dependencies: ["PaystreamJSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamSource",
            dependencies: [
                "PaystreamBasics", "PaystreamConfig", "PaystreamJSON", "PaystreamMessageFormat",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                metrics,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamFetcher",
            dependencies: [
                "PaystreamBasics", "PaystreamSource", "PaystreamKafka", "PaystreamConfig", "PaystreamMessageFormat",
                serviceLifecycle, metrics,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamStore",
            dependencies: ["CSQLite", "PaystreamBasics", "PaystreamJSON", "PaystreamMessageFormat", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamSink",
            dependencies: [
                "PaystreamBasics", "PaystreamStore", "PaystreamKafka", "PaystreamConfig", "PaystreamMessageFormat",
                serviceLifecycle, metrics,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamMockAPI",
            dependencies: [
                "PaystreamBasics", "PaystreamJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Operations: the HTTP listener for /metrics, /livez and /readyz (on NIO, which the
        // mock API and the HTTP client already bring), the Prometheus export, readiness.
        .target(
            name: "PaystreamOperations",
            dependencies: [
                "PaystreamKafka", logging, serviceLifecycle, metrics,
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamStatus",
            dependencies: ["PaystreamConfig", "PaystreamKafka", "PaystreamStore", "PaystreamMessageFormat", "PaystreamFetcher", "PaystreamJSON"],
            swiftSettings: swiftSettings
        ),
        // What every command needs: logging, the service runtime, exit codes, the version.
        // No Kafka, so that the mock API does not link librdkafka.
        .target(
            name: "PaystreamCommandSupport",
            dependencies: ["CFatalSignals", "PaystreamBasics", "PaystreamJSON", logging, serviceLifecycle, unixSignals, argumentParser],
            swiftSettings: swiftSettings
        ),
        // What the commands that use Kafka share: the Kafka options (brokers, librdkafka
        // properties with ${NAME} substitution and redaction), the operations listener.
        .target(
            name: "PaystreamKafkaCommandSupport",
            dependencies: [
                "PaystreamCommandSupport", "PaystreamConfig", "PaystreamKafka", "PaystreamOperations",
                logging, serviceLifecycle, argumentParser,
            ],
            swiftSettings: swiftSettings
        ),

        // Executables: thin compositions of the libraries.
        .executableTarget(
            name: "PaystreamFetcherCommand",
            dependencies: ["PaystreamFetcher", "PaystreamKafkaCommandSupport", "PaystreamCommandSupport", "PaystreamOperations", argumentParser],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PaystreamSinkCommand",
            dependencies: ["PaystreamSink", "PaystreamKafkaCommandSupport", "PaystreamCommandSupport", "PaystreamOperations", argumentParser],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PaystreamMockAPICommand",
            dependencies: ["PaystreamMockAPI", "PaystreamCommandSupport", argumentParser, serviceLifecycle],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PaystreamStatusCommand",
            dependencies: ["PaystreamStatus", "PaystreamKafkaCommandSupport", "PaystreamCommandSupport", argumentParser],
            swiftSettings: swiftSettings
        ),

        // Tests: unit tests per library, integration tests that run the real executables
        // against a real broker (Tansu) and the mock API.
        .testTarget(name: "PaystreamJSONTests", dependencies: ["PaystreamJSON", "PaystreamBasics"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamMessageFormatTests", dependencies: ["PaystreamMessageFormat"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamConfigTests", dependencies: ["PaystreamConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamBasicsTests", dependencies: ["PaystreamBasics"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaystreamSourceTests",
            dependencies: ["PaystreamSource", "PaystreamConfig", "PaystreamBasics", .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PaystreamFetcherTests", dependencies: ["PaystreamFetcher", "PaystreamSource", "PaystreamConfig", "PaystreamMessageFormat"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamSinkTests", dependencies: ["PaystreamSink", "PaystreamConfig", "PaystreamStore", "PaystreamKafka", "PaystreamMessageFormat", logging], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamStoreTests", dependencies: ["PaystreamStore", "PaystreamMessageFormat", logging], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamKafkaTests", dependencies: ["PaystreamKafka", "PaystreamMessageFormat", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaystreamOperationsTests",
            dependencies: [
                "PaystreamOperations", "PaystreamCommandSupport", "PaystreamKafkaCommandSupport", "PaystreamStatus", "PaystreamFetcher", "PaystreamSink",
                "PaystreamStore", "PaystreamConfig", logging, metrics, .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["PaystreamKafka", "PaystreamStore", "PaystreamMessageFormat", "PaystreamMockAPI", "PaystreamSource", "PaystreamConfig", "TestSupport", logging],
            swiftSettings: swiftSettings
        ),
        // The sink with test hooks (crash points, no topic ids), run by the integration tests.
        .executableTarget(
            name: "SinkTestHarness",
            dependencies: ["PaystreamSink", "PaystreamKafkaCommandSupport", "PaystreamCommandSupport", "PaystreamConfig", argumentParser, logging],
            path: "Tests/SinkTestHarness",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "PaystreamCommandSupport", "PaystreamKafka", "PaystreamMessageFormat", "PaystreamMockAPI",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
    ]
)
