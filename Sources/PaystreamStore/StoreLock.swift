import Foundation

/// The one-writer rule for a store: an exclusive lock on `<database>.lock`, held for as long
/// as this value lives (and released by the kernel when the process dies, even by SIGKILL).
/// A separate file, because SQLite's own locks on the database are per transaction and
/// readers must still be able to open the database while a sink writes it.
///
/// The lock is named after the database's real path (`RealPath`): a symlink, `..` or
/// another spelling of the same file leads to the same lock, so two sinks cannot write one
/// file through two names.
public final class StoreLock: Sendable {
    public let path: String
    /// The database's real path: what the store should be opened as.
    public let databasePath: String
    private let descriptor: Int32

    public struct HeldElsewhere: Error, CustomStringConvertible, Sendable {
        public var databasePath: String
        /// The name this sink was given, when it is another name of that file.
        public var givenPath: String?
        public var lockPath: String

        public var description: String {
            let alias = givenPath.map { " (named here \($0))" } ?? ""
            return "another paystream-sink is already writing to \(databasePath)\(alias) (it holds \(lockPath)); "
                + "a store has exactly one writer: stop that sink first, or give this one its own --db"
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var lockPath: String
        public var reason: String
        public var description: String { "cannot lock \(lockPath): \(reason)" }
    }

    /// Takes the lock for `databasePath` or fails at once, never waiting for it.
    public init(databasePath given: String) throws {
        let real: String
        do { real = try RealPath.of(given) } catch { throw Failure(lockPath: given + ".lock", reason: error.description) }
        databasePath = real
        path = real + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(lockPath: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            close(fd)
            if error == EWOULDBLOCK { throw HeldElsewhere(databasePath: real, givenPath: real == given ? nil : given, lockPath: path) }
            throw Failure(lockPath: path, reason: String(cString: strerror(error)))
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }
}
