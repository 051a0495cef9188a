import PaystreamBasics
import PaystreamConfig
import PaystreamKafka
import PaystreamSource

/// What a fetcher with this configuration would do, for `--check`: the API, the topics,
/// and per resource its endpoint, paginator, incremental window, slicing and retries.
/// Built from the configuration alone: nothing is contacted. Values that came from
/// `${NAME}`, and credentials written into a URL (`user:password@`), are shown as `***`.
public struct FetcherPlan {
    let configuration: FetcherConfiguration
    let configPath: String
    /// librdkafka properties as they may be shown (credentials already hidden).
    let kafkaProperties: [String: String]

    public init(configuration: FetcherConfiguration, configPath: String, kafkaProperties: [String: String]) {
        self.configuration = configuration
        self.configPath = configPath
        self.kafkaProperties = kafkaProperties
    }

    public var text: String {
        let pipeline = configuration.pipeline
        let resources = configuration.resources
        var lines = [
            "paystream-fetcher plan for \(configPath): \(resources.count) of \(pipeline.resources.count) resource(s)",
            "  api          \(URLCredentials.redacting(pipeline.client.baseURL)) (auth: \(describe(pipeline.client.auth)))",
            "  kafka        \(brokers)" + (kafkaProperties.isEmpty ? "" : "; " + kafkaProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")),
            "  topics       \(configuration.topicPrefix).<resource>, \(configuration.topicPartitions) partitions, cleanup.policy=compact; cursors in \(configuration.stateTopic)",
            "  schedule     " + (configuration.runsOnce ? "one sync, then exit" : "a sync every \(seconds(configuration.interval)) s"),
            "  work         \(work)",
        ]
        for resource in resources {
            let endpoint = resource.endpoint
            lines.append("")
            lines.append("resource \(resource.name)")
            lines.append("  endpoint     \(endpoint.method.rawValue) \(endpoint.path)" + (endpoint.dataSelector.map { " (data_selector: \($0))" } ?? "") + params(endpoint))
            lines.append("  topic        \(configuration.topic(for: resource.name)), key: \(resource.primaryKey.joined(separator: " + "))")
            lines.append("  paginator    \(describe(pipeline.paginator(for: resource)))")
            lines.append("  incremental  \(endpoint.incremental.map(describe) ?? "none: every run reads the whole listing")")
            lines.append("  slices       " + (resource.slices > 1
                ? "\(resource.slices) equal sub-windows of each window, each a work unit (x-paystream-slices)"
                : "none: one unit reads the whole window"))
            lines.append("  retries      \(describe(endpoint.errorHandler))")
        }
        return lines.joined(separator: "\n")
    }

    private var work: String {
        let sharing: String
        if let group = configuration.group {
            sharing = "shared with every fetcher of group \(group) (work topics \(configuration.topicPrefix)._paystream_work.<resource>)"
        } else {
            sharing = "every unit run by this fetcher"
        }
        return sharing + (configuration.usesTransactions ? "; records and checkpoints in Kafka transactions" : "")
    }

    private var brokers: String {
        configuration.kafka.bootstrapServers.isEmpty ? "(no --brokers given)" : configuration.kafka.bootstrapServers.joined(separator: ",") + " (not contacted)"
    }

    private func hidden(_ value: String) -> String {
        configuration.pipeline.substitutedValues.contains(Secret(value)) ? "***" : value
    }

    private func params(_ endpoint: EndpointConfig) -> String {
        guard !endpoint.params.isEmpty else { return "" }
        return ", params " + endpoint.params.sorted { $0.key < $1.key }.map { "\($0.key)=\(hidden($0.value))" }.joined(separator: "&")
    }

    private func describe(_ auth: AuthConfig?) -> String {
        switch auth {
        case nil: "none"
        case .apiKey(let name, _, let location)?: "api_key in \(location.rawValue) '\(name)'"
        case .bearer?: "bearer token"
        case .httpBasic?: "http_basic"
        case .oauth2ClientCredentials(let tokenURL, _, _, _, _)?: "oauth2_client_credentials from \(URLCredentials.redacting(hidden(tokenURL)))"
        }
    }

    private func describe(_ paginator: PaginatorConfig) -> String {
        switch paginator {
        case .offset(let p):
            "offset, limit \(p.limit) (\(p.offsetParam)/\(p.limitParam)" + (p.totalPath.map { ", total at \($0)" } ?? "") + (p.hasMorePath.map { ", has_more at \($0)" } ?? "") + ")"
        case .pageNumber(let p): "page_number from \(p.page ?? p.basePage) (\(p.pageParam)" + (p.totalPath.map { ", total at \($0)" } ?? "") + ")"
        case .cursor(let p): "cursor from \(p.cursorPath), sent as \(p.cursorParam)"
        case .jsonLink(let path): "json_link at \(path)"
        case .headerLink(let key): "header_link rel=\(key)"
        case .singlePage: "single_page"
        }
    }

    private func describe(_ incremental: IncrementalConfig) -> String {
        var parts = ["cursor \(incremental.cursorPath)"]
        parts.append("start_param " + (incremental.startParam ?? "(none)"))
        if let end = incremental.endParam { parts.append("end_param \(end)") }
        parts.append("initial_value " + (incremental.initialValue.map(hidden) ?? "(none: first run reads everything)"))
        if let end = incremental.endValue { parts.append("end_value \(hidden(end))") }
        if incremental.lag > 0 { parts.append("lag \(seconds(incremental.lag)) s") }
        return parts.joined(separator: ", ") + "; the saved cursor moves only after every record is acknowledged"
    }

    /// `5`, `0.5`: seconds without a needless fraction.
    private func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private func seconds(_ duration: Duration) -> String {
        seconds(duration.seconds)
    }

    private func describe(_ handler: ErrorHandlerConfig) -> String {
        let codes = handler.retryOnStatusCodes.sorted().map(String.init).joined(separator: ", ")
        return "up to \(handler.maximumRetries) on \(codes) and connection errors, backoff \(seconds(handler.backoffFactor)) s × 2^n "
            + "(max \(seconds(handler.maximumBackoff)) s), timeout \(seconds(handler.requestTimeout)) s"
    }
}
