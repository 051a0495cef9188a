@testable import PaystreamSource
import Testing

/// Next-page links resolve by the URL rules (RFC 3986, as Foundation's URL applies them) and
/// are sent as the server wrote them: a signed link must not be re-encoded.
@Suite struct LinkResolutionTests {
    @Test(arguments: [
        ("https://api.example.com/v1/charges?offset=0", "./refunds?page=2", "https://api.example.com/v1/refunds?page=2"),
        ("https://api.example.com/v1/charges", "../v2/charges?page=2", "https://api.example.com/v2/charges?page=2"),
        ("https://api.example.com/v1/charges", "//cdn.example.com/x?y=1", "https://cdn.example.com/x?y=1"),
        ("https://api.example.com/v1/charges?offset=0", "?page=2", "https://api.example.com/v1/charges?page=2"),
        ("https://api.example.com/v1/charges", "/v1/charges?page=2", "https://api.example.com/v1/charges?page=2"),
        ("https://api.example.com/v1/charges", "https://api.example.com/v1/charges?page=3", "https://api.example.com/v1/charges?page=3"),
    ])
    func linksResolveByTheURLRules(base: String, link: String, expected: String) {
        #expect(RESTRequest(url: base).resolve(link) == expected)
    }

    @Test func aFollowedLinkIsSentByteForByte() {
        var request = RESTRequest(url: "https://api.example.com/v1/files?limit=10")
        request.follow("/v1/files?cursor=a%2Fb+c%7e&sig=Zm9v%3D&x=%41")
        #expect(request.url == "https://api.example.com/v1/files?cursor=a%2Fb+c%7e&sig=Zm9v%3D&x=%41")
    }
}
