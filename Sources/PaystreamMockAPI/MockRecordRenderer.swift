private let idAlphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

/// Renders one record of a resource as Stripe-like JSON: scalars, nested objects, arrays,
/// nulls and decimals, all derived from (seed, resource, index, version).
struct MockRecordRenderer {
    let seed: UInt64

    private static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Linus", "Margaret", "Dennis"]
    private static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Torvalds", "Hamilton", "Ritchie"]
    private static let cities = [("Berlin", "DE"), ("Lyon", "FR"), ("Austin", "US"), ("Osaka", "JP"), ("Porto", "PT"), ("Leeds", "GB"), ("Turin", "IT"), ("Quebec", "CA")]
    private static let currencies = ["usd", "eur", "gbp", "jpy", "cad"]
    private static let brands = ["visa", "mastercard", "amex", "discover"]

    func id(_ resource: MockResource, _ index: Int) -> String {
        MockRecordRenderer.id(resource, index, seed: seed)
    }

    static func id(_ resource: MockResource, _ index: Int, seed: UInt64) -> String {
        // The index in base 36 keeps ids unique; the hash suffix makes them look random.
        var random = MockRandom(seed: seed, resource: resource, index: index)
        var bytes = Array(resource.idPrefix.utf8)
        let base36 = Array(String(index, radix: 36).utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, 6 - base36.count)))
        bytes.append(contentsOf: base36)
        for _ in 0..<8 { bytes.append(idAlphabet[random.below(62)]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func createdAt(_ resource: MockResource, _ index: Int) -> Int64 {
        var random = MockRandom(seed: seed, resource: resource, index: index)
        return MockClock.dataSetStart + Int64(index) * 60_000 + Int64(random.below(59_000))
    }

    /// Renders `record`, its `updated_at` in `format`.
    func render(_ resource: MockResource, _ record: MockDataset.RecordVersion, format: MockCursorFormat, into json: inout MockJSONBuilder) {
        let index = record.index, version = record.version
        var r = MockRandom(seed: seed, resource: resource, index: index, version: version)
        json.beginObject()
        json.string("id", id(resource, index))
        json.string("object", resource.objectName)
        json.timestamp("created_at", createdAt(resource, index))
        json.cursor("updated_at", record, format: format)
        json.bool("livemode", false)
        switch resource {
        case .customers: customer(&json, &r, index)
        case .invoices: invoice(&json, &r, index)
        case .charges: charge(&json, &r, index)
        case .subscriptions: subscription(&json, &r, index)
        case .refunds: refund(&json, &r, index)
        }
        json.beginObject("metadata")
        json.string("source", r.pick(["web", "api", "dashboard", "import"]))
        json.int("revision", Int(version))
        json.endObject()
        json.endObject()
    }

    private func customer(_ json: inout MockJSONBuilder, _ r: inout MockRandom, _ index: Int) {
        let first = r.pick(Self.firstNames), last = r.pick(Self.lastNames)
        json.string("name", "\(first) \(last)")
        json.string("email", "\(first.lowercased()).\(last.lowercased())\(index)@example.com")
        if r.chance(30) { json.null("phone") } else { json.string("phone", "+1555\(1_000_000 + r.below(8_999_999))") }
        json.string("currency", r.pick(Self.currencies))
        json.int("balance", r.below(200_000) - 50_000)
        json.bool("delinquent", r.chance(7))
        let (city, country) = r.pick(Self.cities)
        json.beginObject("address")
        json.string("line1", "\(1 + r.below(999)) Market Street")
        json.string("city", city)
        json.string("postal_code", String(10_000 + r.below(89_999)))
        json.string("country", country)
        json.endObject()
        json.beginArray("preferred_locales")
        json.string(nil, r.pick(["en", "de", "fr", "ja", "pt"]))
        if r.chance(40) { json.string(nil, "en") }
        json.endArray()
    }

    private func invoice(_ json: inout MockJSONBuilder, _ r: inout MockRandom, _ index: Int) {
        json.string("customer", id(.customers, r.below(max(1, index + 1))))
        json.string("status", r.pick(["draft", "open", "paid", "uncollectible", "void"]))
        json.string("currency", r.pick(Self.currencies))
        let lineCount = 1 + r.below(3)
        var total = 0
        json.beginArray("lines")
        for line in 0..<lineCount {
            let amount = 500 + r.below(50_000), quantity = 1 + r.below(4)
            total += amount * quantity
            json.beginObject()
            json.string("description", "Plan item \(line + 1)")
            json.int("amount", amount)
            json.int("quantity", quantity)
            json.endObject()
        }
        json.endArray()
        json.int("amount_due", total)
        json.int("amount_paid", r.chance(70) ? total : 0)
        json.double("tax_rate", Double(r.below(25)) / 100)
        json.int("attempt_count", r.below(4))
    }

    private func charge(_ json: inout MockJSONBuilder, _ r: inout MockRandom, _ index: Int) {
        json.int("amount", 100 + r.below(250_000))
        json.string("currency", r.pick(Self.currencies))
        json.string("customer", id(.customers, r.below(max(1, index + 1))))
        json.string("invoice", id(.invoices, r.below(max(1, index + 1))))
        let paid = r.chance(92)
        json.bool("paid", paid)
        json.bool("captured", paid && r.chance(95))
        json.string("status", paid ? "succeeded" : r.pick(["pending", "failed"]))
        json.beginObject("payment_method_details")
        json.string("type", "card")
        json.beginObject("card")
        json.string("brand", r.pick(Self.brands))
        json.string("last4", String(1000 + r.below(8999)))
        json.int("exp_month", 1 + r.below(12))
        json.int("exp_year", 2026 + r.below(6))
        json.endObject()
        json.endObject()
        json.beginObject("outcome")
        json.string("network_status", paid ? "approved_by_network" : "declined_by_network")
        json.int("risk_score", r.below(100))
        json.endObject()
        if r.chance(50) { json.null("failure_code") } else { json.string("failure_code", "card_declined") }
    }

    private func subscription(_ json: inout MockJSONBuilder, _ r: inout MockRandom, _ index: Int) {
        json.string("customer", id(.customers, r.below(max(1, index + 1))))
        json.string("status", r.pick(["active", "past_due", "canceled", "trialing"]))
        json.beginArray("items")
        for _ in 0..<(1 + r.below(2)) {
            json.beginObject()
            json.beginObject("price")
            json.string("id", "price_\(r.below(1000))")
            json.int("unit_amount", 500 + r.below(10_000))
            json.string("interval", r.pick(["month", "year"]))
            json.endObject()
            json.int("quantity", 1 + r.below(10))
            json.endObject()
        }
        json.endArray()
        let start = createdAt(.subscriptions, index)
        json.timestamp("current_period_start", start)
        json.timestamp("current_period_end", start + 30 * 86_400_000)
        json.bool("cancel_at_period_end", r.chance(10))
    }

    private func refund(_ json: inout MockJSONBuilder, _ r: inout MockRandom, _ index: Int) {
        json.string("charge", id(.charges, r.below(max(1, index + 1))))
        json.int("amount", 100 + r.below(50_000))
        json.string("currency", r.pick(Self.currencies))
        json.string("reason", r.pick(["duplicate", "fraudulent", "requested_by_customer"]))
        json.string("status", r.pick(["succeeded", "pending", "failed"]))
    }
}
