import PaystreamBasics
@testable import PaystreamSource

extension RESTRequest {
    /// A query parameter's value, for tests that play the API.
    func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value ?? verbatimQuery.flatMap { v in PercentCoding.pairs(v).first { $0.name == name }?.value }
    }
}
