/// The payment resources the mock API serves, with their Stripe-like id prefixes.
public enum MockResource: String, CaseIterable, Sendable {
    case customers, invoices, charges, subscriptions, refunds

    var idPrefix: String {
        switch self {
        case .customers: "cus_"
        case .invoices: "in_"
        case .charges: "ch_"
        case .subscriptions: "sub_"
        case .refunds: "re_"
        }
    }

    var objectName: String { String(rawValue.dropLast()) }
}
