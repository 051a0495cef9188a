/// The methods an endpoint may use, as dlt's `method` allows them (`GET`, `POST`). The
/// REST client sends them; NIO's `HTTPMethod` of the same name is its wire type.
public enum HTTPMethod: String, Sendable, Equatable {
    case get = "GET"
    case post = "POST"
}
