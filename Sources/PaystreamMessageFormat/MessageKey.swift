import PaystreamJSON

/// A record message's key: the primary key's value as UTF-8 text (a string's content, a
/// number or boolean as written), or for a compound key a JSON array of the values exactly
/// as the API wrote them (`["in_1",2]`).
public enum MessageKey {
    /// The key of a compound primary key, from each value's JSON text.
    public static func compound(_ values: [some Collection<UInt8>]) -> [UInt8] {
        var key: [UInt8] = [UInt8(ascii: "[")]
        for (i, value) in values.enumerated() {
            if i > 0 { key.append(UInt8(ascii: ",")) }
            key.append(contentsOf: value)
        }
        key.append(UInt8(ascii: "]"))
        return key
    }

    /// The primary-key values a key holds (`count` of them), as text; nil for an empty key
    /// or a compound key that is not a JSON array of `count` scalars.
    public static func values(of key: [UInt8]?, count: Int) -> [String]? {
        guard let key, !key.isEmpty else { return nil }
        if count == 1 { return [String(decoding: key, as: UTF8.self)] }
        return key.withUnsafeBytes { bytes -> [String]? in
            var reader = JSONReader(bytes)
            var values: [String] = []
            do {
                try reader.beginArray()
                var first = true
                while try reader.nextElement(&first) {
                    guard let text = try reader.skipValue().scalarText(in: bytes) else { return nil }
                    values.append(text)
                }
                try reader.expectEnd()
            } catch {
                return nil
            }
            return values.count == count ? values : nil
        }
    }
}
