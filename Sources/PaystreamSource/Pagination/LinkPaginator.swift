import Foundation
import NIOHTTP1

/// The next page's URL is in the body (`next_url_path`) or in the RFC 8288 `Link` header
/// with relation `links_next_key`. Links are followed as the server wrote them.
struct LinkPaginator: Paginator {
    enum Kind {
        case body
        case header(relation: String)
    }

    let kind: Kind

    func request(at position: ListingPosition?, from base: RESTRequest) -> RESTRequest {
        guard case .link(let next)? = position else { return base }
        var request = base
        request.follow(next)
        return request
    }

    func position(after fetched: FetchedPage, at position: ListingPosition?) -> ListingPosition {
        let next: String? = switch kind {
        case .body: fetched.signals.nextURL
        case .header(let relation): fetched.headers.first(name: "Link").flatMap { Self.link(in: $0, relation: relation) }
        }
        guard let next, !next.isEmpty else { return .finished }
        // Resolved now, against the URL that returned it, so the position stands on its own.
        return .link(next: fetched.request.resolvingWithoutSecrets(next))
    }

    /// `<https://…?page=2>; rel="next", <…>; rel="last"` → the URL whose rel list has `relation`.
    static func link(in header: String, relation: String) -> String? {
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = fields.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            for param in fields.dropFirst() {
                let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, kv[0].lowercased() == "rel" else { continue }
                let rels = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ")
                if rels.contains(where: { $0 == relation }) { return String(target.dropFirst().dropLast()) }
            }
        }
        return nil
    }
}
