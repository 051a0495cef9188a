import CRDKafka

enum RDKafkaProduce {
    /// One `rd_kafka_produceva` call (the variadic `rd_kafka_producev` is not callable from
    /// Swift). librdkafka copies key, value and headers (`RD_KAFKA_MSG_F_COPY`), so the
    /// buffers only need to live for the call. Returns the error, or nil once queued.
    static func produce(
        _ rk: OpaquePointer, _ rkt: OpaquePointer, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader], opaque: UnsafeMutableRawPointer
    ) -> OpaquePointer? {
        var fields = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 4)
        fields[0].vtype = RD_KAFKA_VTYPE_RKT
        fields[0].u.rkt = rkt
        fields[1].vtype = RD_KAFKA_VTYPE_KEY
        fields[1].u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
        fields[1].u.mem.size = key.count
        fields[2].vtype = RD_KAFKA_VTYPE_VALUE
        fields[2].u.mem.ptr = value.flatMap { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
        fields[2].u.mem.size = value?.count ?? 0
        fields[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS
        fields[3].u.i = RD_KAFKA_MSG_F_COPY
        var opaqueField = rd_kafka_vu_t()
        opaqueField.vtype = RD_KAFKA_VTYPE_OPAQUE
        opaqueField.u.ptr = opaque
        fields.append(opaqueField)

        guard !headers.isEmpty else { return rd_kafka_produceva(rk, fields, fields.count) }
        // Header names must be C strings and values must stay put during the call: keep
        // them in arrays that outlive the produce call below.
        let names = headers.map { Array($0.name.utf8CString) }
        let values = headers.map { $0.value }
        return withHeaderPointers(names: names, values: values) { pointers in
            for (name, value) in pointers {
                var h = rd_kafka_vu_t()
                h.vtype = RD_KAFKA_VTYPE_HEADER
                h.u.header.name = name
                h.u.header.val = value.flatMap { UnsafeRawPointer($0.baseAddress) }
                h.u.header.size = value.map { $0.count } ?? -1
                fields.append(h)
            }
            return rd_kafka_produceva(rk, fields, fields.count)
        }
    }

    private static func withHeaderPointers<R>(
        names: [[CChar]], values: [[UInt8]?],
        _ body: ([(UnsafePointer<CChar>, UnsafeRawBufferPointer?)]) -> R
    ) -> R {
        var collected: [(UnsafePointer<CChar>, UnsafeRawBufferPointer?)] = []
        func recurse(_ i: Int) -> R {
            if i == names.count { return body(collected) }
            return names[i].withUnsafeBufferPointer { name in
                if let value = values[i] {
                    return value.withUnsafeBytes { bytes in
                        collected.append((name.baseAddress!, bytes))
                        return recurse(i + 1)
                    }
                }
                collected.append((name.baseAddress!, nil))
                return recurse(i + 1)
            }
        }
        return recurse(0)
    }
}
