// swift-tools-version:6.1
import PackageDescription

// librdkafka >= 2.8 is built by `ops/setup` into this git-ignored prefix (Debian bookworm's
// 2.0.2 cannot talk to the Tansu broker). The rpath makes binaries load that build rather
// than a system librdkafka.so.1 with the same SONAME; a test asserts the linked version.
let rdkafkaLibDir = Context.packageDirectory + "/.cache/librdkafka/lib"

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let unixSignals: Target.Dependency = .product(name: "UnixSignals", package: "swift-service-lifecycle")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "paystream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paystream-fetcher", targets: ["PaystreamFetcherCommand"]),
        .executable(name: "paystream-sink", targets: ["PaystreamSinkCommand"]),
        .executable(name: "paystream-mock-api", targets: ["PaystreamMockAPICommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, linked from the system (SQLite) or the ops/setup prefix (librdkafka).
        .systemLibrary(name: "CRDKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Libraries, one concern each.
        .target(
            name: "PaystreamKafka",
            dependencies: ["CRDKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", rdkafkaLibDir])]
        ),
        .target(name: "PaystreamJSON", swiftSettings: swiftSettings),
        // Topic names, header names and key encoding, shared by fetcher, sink and tests.
        .target(name: "PaystreamMessageFormat", dependencies: ["PaystreamJSON"], swiftSettings: swiftSettings),
        .target(
            name: "PaystreamConfig",
            dependencies: ["PaystreamJSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamSource",
            dependencies: [
                "PaystreamConfig", "PaystreamJSON", "PaystreamMessageFormat",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamFetcher",
            dependencies: [
                "PaystreamSource", "PaystreamKafka", "PaystreamConfig", "PaystreamMessageFormat",
                serviceLifecycle,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamStore",
            dependencies: ["CSQLite", "PaystreamJSON", "PaystreamMessageFormat", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamSink",
            dependencies: [
                "PaystreamStore", "PaystreamKafka", "PaystreamConfig", "PaystreamMessageFormat",
                serviceLifecycle,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaystreamMockAPI",
            dependencies: [
                "PaystreamJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "PaystreamCommandSupport",
            dependencies: ["PaystreamConfig", "PaystreamKafka", logging, serviceLifecycle, unixSignals],
            swiftSettings: swiftSettings
        ),

        // Executables: thin compositions of the libraries.
        .executableTarget(
            name: "PaystreamFetcherCommand",
            dependencies: ["PaystreamFetcher", "PaystreamCommandSupport", argumentParser],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PaystreamSinkCommand",
            dependencies: ["PaystreamSink", "PaystreamCommandSupport", argumentParser],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PaystreamMockAPICommand",
            dependencies: ["PaystreamMockAPI", "PaystreamCommandSupport", argumentParser, serviceLifecycle],
            swiftSettings: swiftSettings
        ),

        // Tests: unit tests per library, integration tests that run the real executables
        // against a real broker (Tansu) and the mock API.
        .testTarget(name: "PaystreamJSONTests", dependencies: ["PaystreamJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamMessageFormatTests", dependencies: ["PaystreamMessageFormat"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamConfigTests", dependencies: ["PaystreamConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamSourceTests", dependencies: ["PaystreamSource", "PaystreamConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamFetcherTests", dependencies: ["PaystreamFetcher", "PaystreamSource", "PaystreamConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamStoreTests", dependencies: ["PaystreamStore", logging], swiftSettings: swiftSettings),
        .testTarget(name: "PaystreamKafkaTests", dependencies: ["PaystreamKafka", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PaystreamKafka", "PaystreamStore", "PaystreamMockAPI", "PaystreamSource", "PaystreamConfig", "PaystreamMessageFormat",
                "TestSupport", logging,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: ["PaystreamKafka", "PaystreamMockAPI"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
    ]
)
