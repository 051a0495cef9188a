import Foundation
import Prometheus
import Synchronization

/// The process's own metrics under the names every Prometheus client library exports
/// (`process_cpu_seconds_total`, `process_resident_memory_bytes`, …), read from Linux's
/// `/proc` each time `/metrics` is asked for. swift-prometheus (2.4) has no such collector.
/// Elsewhere than Linux they are not exported.
final class ProcessMetrics: Sendable {
    private let cpu: Counter
    private let resident: Gauge
    private let virtual: Gauge
    private let openFiles: Gauge
    private let maximumFiles: Gauge
    /// CPU seconds already added to the counter (a counter only moves up by increments).
    private let cpuCounted = Mutex<Double>(0)

    init?(registry: PrometheusCollectorRegistry) {
        #if os(Linux)
        guard let start = ProcStat.read()?.startTime else { return nil }
        func gauge(_ name: String) -> Gauge { registry.makeGauge(name: name, labels: [], help: MetricHelp.text(for: name)) }
        gauge("process_start_time_seconds").set(start)
        cpu = registry.makeCounter(name: "process_cpu_seconds_total", labels: [], help: MetricHelp.text(for: "process_cpu_seconds_total"))
        resident = gauge("process_resident_memory_bytes")
        virtual = gauge("process_virtual_memory_bytes")
        openFiles = gauge("process_open_fds")
        maximumFiles = gauge("process_max_fds")
        #else
        return nil
        #endif
    }

    /// Reads the current values (a few small files, well under a millisecond).
    func update() {
        #if os(Linux)
        if let stat = ProcStat.read() {
            resident.set(stat.residentBytes)
            virtual.set(stat.virtualBytes)
            let added = cpuCounted.withLock { counted -> Double in
                let added = max(0, stat.cpuSeconds - counted)
                counted += added
                return added
            }
            if added > 0 { cpu.increment(by: added) }
        }
        if let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") { openFiles.set(Double(open.count)) }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maximumFiles.set(Double(limit.rlim_cur)) }
        #endif
    }
}

#if os(Linux)
/// What `/proc/self/stat` says about the process (proc(5)), in seconds and bytes.
struct ProcStat {
    var cpuSeconds: Double
    var startTime: Double
    var virtualBytes: Double
    var residentBytes: Double

    static func read() -> ProcStat? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let boot = bootTime() else { return nil }
        return parse(text, bootTime: boot, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), pageSize: Double(sysconf(Int32(_SC_PAGESIZE))))
    }

    /// The fields after the command name, which is in parentheses and may itself hold
    /// spaces and parentheses: counted from the last `)`.
    static func parse(_ text: String, bootTime: Double, ticksPerSecond: Double, pageSize: Double) -> ProcStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // Field 3 (state) is the first after the name: field n is at index n - 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ n: Int) -> Double? { fields.count > n - 3 ? Double(fields[n - 3]) : nil }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23), let resident = field(24) else { return nil }
        return ProcStat(
            cpuSeconds: (user + system) / ticksPerSecond, startTime: bootTime + start / ticksPerSecond,
            virtualBytes: virtual, residentBytes: resident * pageSize
        )
    }

    /// When the system booted (`btime` in `/proc/stat`), in Unix seconds.
    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }
}
#endif
