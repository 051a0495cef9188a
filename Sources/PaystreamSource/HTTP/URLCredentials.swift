import Foundation
import PaystreamBasics

/// Credentials written into a URL, as its userinfo: `https://user:password@host/…`. Every URL
/// Paystream prints goes through `redacting`, which shows the whole userinfo as `***` (the
/// user name too: some APIs take the key as the user name, with no password); `secrets` are
/// the forms in which a server could echo them, for `Redactor`.
public enum URLCredentials {
    /// `url` with its userinfo, if any, shown as `***`.
    public static func redacting(_ url: String) -> String {
        guard let userinfo = userinfoRange(in: url) else { return url }
        return url.replacingCharacters(in: userinfo, with: "***")
    }

    /// The userinfo as written and decoded, its password alone, and the HTTP basic
    /// credentials it makes: what an API could echo in an error body.
    static func secrets(in url: String) -> [String] {
        guard let range = userinfoRange(in: url) else { return [] }
        let written = String(url[range])
        let decoded = PercentCoding.decode(written, plusIsSpace: false)
        var forms = [written, decoded, Data(decoded.utf8).base64EncodedString()]
        if let colon = decoded.firstIndex(of: ":") { forms.append(String(decoded[decoded.index(after: colon)...])) }
        return forms
    }

    /// Between `scheme://` and the authority's last `@` (a user name or password may hold an
    /// encoded `@`, never a `/`, `?` or `#`); nil when there is no userinfo.
    private static func userinfoRange(in url: String) -> Range<String.Index>? {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        let authority = separator.upperBound..<(url[separator.upperBound...].firstIndex { "/?#".contains($0) } ?? url.endIndex)
        guard let at = url[authority].lastIndex(of: "@") else { return nil }
        return separator.upperBound..<at
    }
}
