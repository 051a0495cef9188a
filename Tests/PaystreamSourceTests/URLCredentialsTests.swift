@testable import PaystreamSource
import Testing

/// Credentials in a URL's userinfo (`user:password@`) never reach a printed URL or excerpt.
@Suite struct URLCredentialsTests {
    @Test(arguments: [
        ("https://admin:pw@api.example.com/v1/x?a=1", "https://***@api.example.com/v1/x?a=1"),
        ("https://sk_live_key@api.example.com", "https://***@api.example.com"),
        ("https://a:b@c@api.example.com:8443/p@q", "https://***@api.example.com:8443/p@q"),
        ("https://api.example.com/users/a@b.c?x=@", "https://api.example.com/users/a@b.c?x=@"),
        ("mailto-like text without a scheme", "mailto-like text without a scheme"),
    ])
    func userinfoIsShownAsStars(url: String, shown: String) {
        #expect(URLCredentials.redacting(url) == shown)
    }

    @Test func aRequestAndTheLinksItFollowsHideTheirUserinfo() {
        var request = RESTRequest(url: "https://admin:pw-1234@api.example.com/v1/charges?limit=10")
        #expect(request.redactedURL == "https://***@api.example.com/v1/charges?limit=10")
        request.follow("https://bot:pw-5678@api.example.com/v1/charges?page=2")
        #expect(request.redactedURL == "https://***@api.example.com/v1/charges?page=2")
        #expect(request.url.contains("pw-5678"), "the request itself keeps what the server wrote")
    }

    @Test func anEchoedUserinfoIsHiddenInExcerpts() {
        let redactor = Redactor(secrets: URLCredentials.secrets(in: "https://admin:pw-1234@api.example.com"))
        let body = Array(#"{"error": "bad login admin:pw-1234 (YWRtaW46cHctMTIzNA==), password pw-1234"}"#.utf8)
        let excerpt = redactor.excerpt(body)
        #expect(!excerpt.contains("pw-1234") && !excerpt.contains("YWRtaW46cHctMTIzNA=="), "\(excerpt)")
    }
}
