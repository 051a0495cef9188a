import PaystreamConfig
import PaystreamJSON

/// The next page's cursor is in the body at `cursor_path`; sent back as `cursor_param`.
struct CursorPaginator: Paginator {
    let config: PaginatorConfig.Cursor
    let bodyPaths: [JSONPath]

    init(_ config: PaginatorConfig.Cursor) throws {
        self.config = config
        bodyPaths = [try JSONPath(parsing: config.cursorPath)]
    }

    func prepareFirst(_ request: inout RESTRequest) {}

    mutating func advance(_ request: inout RESTRequest, after page: PageInfo) -> Bool {
        guard let cursor = page.bodyValues[0], !cursor.isEmpty else { return false }
        request.setQuery(config.cursorParam, cursor)
        return true
    }
}

/// The next page's URL is in the body at `next_url_path`.
struct JSONLinkPaginator: Paginator {
    let nextURLPath: JSONPath
    var bodyPaths: [JSONPath] { [nextURLPath] }

    func prepareFirst(_ request: inout RESTRequest) {}

    mutating func advance(_ request: inout RESTRequest, after page: PageInfo) -> Bool {
        guard let next = page.bodyValues[0], !next.isEmpty else { return false }
        request.follow(next)
        return true
    }
}

/// The next page's URL is in the RFC 8288 `Link` header with relation `links_next_key`.
struct HeaderLinkPaginator: Paginator {
    let nextKey: String
    var bodyPaths: [JSONPath] { [] }

    func prepareFirst(_ request: inout RESTRequest) {}

    mutating func advance(_ request: inout RESTRequest, after page: PageInfo) -> Bool {
        guard let header = page.header("Link"), let next = Self.link(in: header, relation: nextKey) else { return false }
        request.follow(next)
        return true
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

import Foundation
