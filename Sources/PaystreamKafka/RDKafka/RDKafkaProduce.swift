import CRDKafka

enum RDKafkaProduce {
    /// One `rd_kafka_produceva` call (the variadic `rd_kafka_producev` is not callable from
    /// Swift). librdkafka copies key, value and headers (`RD_KAFKA_MSG_F_COPY`), so the
    /// buffers only need to live for the call: they are built in temporary (stack)
    /// allocations, keeping the hot path free of heap allocations. Returns the error, or
    /// nil once queued.
    static func produce(
        _ rk: OpaquePointer, _ rkt: OpaquePointer, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader], partition: Int32? = nil, opaque: UnsafeMutableRawPointer
    ) -> OpaquePointer? {
        let fixed = partition == nil ? 5 : 6
        let fieldCount = fixed + headers.count
        let headerBytes = headers.reduce(0) { $0 + $1.name.utf8.count + 1 + ($1.value?.count ?? 0) }
        return withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: fieldCount) { fields in
            withUnsafeTemporaryAllocation(byteCount: max(1, headerBytes), alignment: 1) { buffer in
                func field(_ i: Int, _ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                    var vu = rd_kafka_vu_t()
                    vu.vtype = type
                    set(&vu)
                    fields.initializeElement(at: i, to: vu)
                }
                field(0, RD_KAFKA_VTYPE_RKT) { $0.u.rkt = rkt }
                field(1, RD_KAFKA_VTYPE_KEY) {
                    $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                    $0.u.mem.size = key.count
                }
                field(2, RD_KAFKA_VTYPE_VALUE) {
                    $0.u.mem.ptr = value.flatMap { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
                    $0.u.mem.size = value?.count ?? 0
                }
                field(3, RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                field(4, RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                if let partition { field(5, RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition } }
                // Header names (NUL-terminated) and values, packed into `buffer`.
                var at = 0
                for (i, header) in headers.enumerated() {
                    let name = buffer.baseAddress! + at
                    for b in header.name.utf8 {
                        buffer[at] = b
                        at += 1
                    }
                    buffer[at] = 0
                    at += 1
                    let valueStart = buffer.baseAddress! + at
                    if let v = header.value, !v.isEmpty {
                        v.withUnsafeBytes { buffer.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: v.count) }
                        at += v.count
                    }
                    field(fixed + i, RD_KAFKA_VTYPE_HEADER) {
                        $0.u.header.name = UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)
                        $0.u.header.val = header.value == nil ? nil : UnsafeRawPointer(valueStart)
                        $0.u.header.size = header.value?.count ?? -1
                    }
                }
                defer { fields.baseAddress!.deinitialize(count: fieldCount) }
                return rd_kafka_produceva(rk, fields.baseAddress, fieldCount)
            }
        }
    }
}
