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
}
