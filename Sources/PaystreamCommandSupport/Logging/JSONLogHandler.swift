import Foundation
import Logging
import PaystreamJSON
import Synchronization

/// One JSON object per line on standard error: `ts`, `level`, `logger`, `message`, then the
/// metadata as fields of their own (a field named like one of those four is written as
/// `metadata.<name>`). For log collectors (Loki, Elasticsearch, CloudWatch).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: JSONLogOutput

    public init(label: String, level: Logger.Level, output: JSONLogOutput = .standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        output.write(Self.line(
            time: Date(), level: event.level, label: label, message: event.message.description, metadata: fields
        ))
    }

    static let reserved: Set<String> = ["ts", "level", "logger", "message"]

    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + message.utf8.count)
        out.append(UInt8(ascii: "{"))
        append("ts", .string(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))), to: &out, first: true)
        append("level", .string(level.rawValue), to: &out)
        append("logger", .string(label), to: &out)
        append("message", .string(message), to: &out)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            append(reserved.contains(key) ? "metadata.\(key)" : key, value, to: &out)
        }
        out.append(contentsOf: Array("}\n".utf8))
        return out
    }

    private static func append(_ key: String, _ value: Logger.MetadataValue, to out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        JSONWriter.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        appendValue(value, to: &out)
    }

    private static func appendValue(_ value: Logger.MetadataValue, to out: inout [UInt8]) {
        switch value {
        case .string(let s): JSONWriter.appendString(s, to: &out)
        case .stringConvertible(let c): JSONWriter.appendString(c.description, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendValue(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let map):
            out.append(UInt8(ascii: "{"))
            for (i, (key, item)) in map.sorted(by: { $0.key < $1.key }).enumerated() {
                append(key, item, to: &out, first: i == 0)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// Where JSON lines go; one write per line under a lock, so lines from different threads
/// never interleave.
public final class JSONLogOutput: Sendable {
    private let handle: Mutex<FileHandle>

    public init(_ handle: FileHandle) {
        self.handle = Mutex(handle)
    }

    public static let standardError = JSONLogOutput(.standardError)

    func write(_ line: [UInt8]) {
        handle.withLock { $0.write(Data(line)) }
    }
}
