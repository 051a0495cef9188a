import Foundation

/// The one name a file has once symlinks, `.`, `..` and repeated slashes are resolved: what
/// the store's single-writer lock is named after, so that every name of a store leads to
/// the same lock. The file need not exist yet (SQLite creates it): then its folder is
/// resolved, or the target of the dangling symlink that names it.
enum RealPath {
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot resolve \(path): \(reason)" }
    }

    /// As many links as the kernel follows before it gives up (Linux's MAXSYMLINKS).
    static let maximumLinks = 40

    static func of(_ path: String) throws(Failure) -> String {
        var current = path
        for _ in 0...maximumLinks {
            if let resolved = resolve(current) { return resolved }
            guard errno == ENOENT else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
            // The file does not exist: follow it if it is a dangling link, else resolve its folder.
            if let target = linkTarget(current) {
                current = target.hasPrefix("/") ? target : folder(of: current) + "/" + target
                continue
            }
            guard let folder = resolve(folder(of: current)) else {
                throw Failure(path: path, reason: "its folder \(folder(of: current)): \(String(cString: strerror(errno)))")
            }
            return (folder == "/" ? "" : folder) + "/" + name(of: current)
        }
        throw Failure(path: path, reason: "more than \(maximumLinks) symbolic links")
    }

    /// `realpath(3)`: nil (with `errno` set) when `path` or a folder on its way does not exist.
    private static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}
