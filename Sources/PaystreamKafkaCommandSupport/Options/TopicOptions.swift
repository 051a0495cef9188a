import ArgumentParser

/// `--topic-prefix`: where the fetcher publishes and the sink and status read.
public struct TopicOptions: ParsableArguments {
    @Option(name: .customLong("topic-prefix"), help: "Topics are <prefix>.<resource>.") public var prefix = "paystream"

    public init() {}
}
