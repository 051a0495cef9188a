/// Where the operations listener binds: `HOST:PORT`, `[IPv6]:PORT`, or `:PORT` for every
/// interface. Port 0 picks a free port (logged at start).
public struct HTTPAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.contains(" ") else { return nil }
        // A bare IPv6 address needs brackets: "::1:8080" is ambiguous.
        if host.contains(":") && !text.hasPrefix("[") { return nil }
        self.init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
