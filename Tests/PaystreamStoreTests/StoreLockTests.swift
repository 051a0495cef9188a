import Foundation
@testable import PaystreamStore
import Testing

/// One writer per store file, whatever name the file is given: a symlink, `..` or `.` in
/// the path, or a link to a file not created yet all lead to the same lock.
@Suite struct StoreLockTests {
    /// A fresh directory with `sub/` in it.
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paystream-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        return dir
    }

    /// Locks `first`, then expects a lock on `second` to be refused, naming `realFile`.
    static func expectSameLock(_ first: String, _ second: String, realFile: String) throws {
        let held = try StoreLock(databasePath: first)
        #expect {
            _ = try StoreLock(databasePath: second)
        } throws: { error in
            guard let refused = error as? StoreLock.HeldElsewhere else { return false }
            return "\(refused)".contains(realFile) && "\(refused)".contains("another paystream-sink")
        }
        withExtendedLifetime(held) {}
    }

    @Test func aSymlinkToTheStoreMeetsTheSameLock() throws {
        let dir = try Self.directory()
        #expect(FileManager.default.createFile(atPath: dir + "/store.sqlite", contents: nil))
        try FileManager.default.createSymbolicLink(atPath: dir + "/sub/link.sqlite", withDestinationPath: dir + "/store.sqlite")
        try Self.expectSameLock(dir + "/store.sqlite", dir + "/sub/link.sqlite", realFile: dir + "/store.sqlite")
    }

    @Test func aPathWithDotsMeetsTheSameLock() throws {
        let dir = try Self.directory()
        try Self.expectSameLock(dir + "/store.sqlite", dir + "/sub/../././store.sqlite", realFile: dir + "/store.sqlite")
    }

    @Test func aSymlinkedDirectoryMeetsTheSameLock() throws {
        let dir = try Self.directory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias", withDestinationPath: dir + "/sub")
        try Self.expectSameLock(dir + "/sub/store.sqlite", dir + "/alias/store.sqlite", realFile: dir + "/sub/store.sqlite")
    }

    /// A relative link whose target does not exist yet: SQLite would create the target.
    @Test func aDanglingSymlinkMeetsTheLockOfItsTarget() throws {
        let dir = try Self.directory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/sub/link.sqlite", withDestinationPath: "../store.sqlite")
        try Self.expectSameLock(dir + "/sub/link.sqlite", dir + "/store.sqlite", realFile: dir + "/store.sqlite")
    }

    @Test func theLockIsFreeAgainOnceItsHolderIsGone() throws {
        let dir = try Self.directory()
        do { _ = try StoreLock(databasePath: dir + "/store.sqlite") }
        _ = try StoreLock(databasePath: dir + "/sub/../store.sqlite")
    }
}
