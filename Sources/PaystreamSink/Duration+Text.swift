import Foundation
import PaystreamBasics

extension Duration {
    /// Seconds with millisecond precision, for logs.
    var secondsText: String { String(format: "%.3f", seconds) }
}
