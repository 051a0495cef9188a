import Foundation
import Logging
import PaystreamJSON
import Synchronization

/// One JSON object per line on standard error: `ts`, `level`, `logger`, `message`, then the
/// metadata as fields of their own (a field named like one of those four is written as
/// `metadata.<name>`; numbers and booleans as JSON values, see `JSONLogValue`). For log
/// collectors (Loki, Elasticsearch, CloudWatch).
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
        JSONLogValue.appendField("ts", text: time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), to: &out, first: true)
        JSONLogValue.appendField("level", text: level.rawValue, to: &out)
        JSONLogValue.appendField("logger", text: label, to: &out)
        JSONLogValue.appendField("message", text: message, to: &out)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            JSONLogValue.appendField(reserved.contains(key) ? "metadata.\(key)" : key, value, to: &out)
        }
        out.append(contentsOf: Array("}\n".utf8))
        return out
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
