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

    static func expectRefused(_ path: String, realFile: String) {
        #expect {
            _ = try StoreLock(databasePath: path)
        } throws: { error in
            guard let held = error as? StoreLock.HeldElsewhere else { return false }
            return "\(held)".contains(realFile) && "\(held)".contains("another paystream-sink")
        }
    }

    @Test func aSymlinkToTheStoreMeetsTheSameLock() throws {
        let dir = try Self.directory()
        #expect(FileManager.default.createFile(atPath: dir + "/store.sqlite", contents: nil))
        try FileManager.default.createSymbolicLink(atPath: dir + "/sub/link.sqlite", withDestinationPath: dir + "/store.sqlite")
        let first = try StoreLock(databasePath: dir + "/store.sqlite")
        Self.expectRefused(dir + "/sub/link.sqlite", realFile: dir + "/store.sqlite")
        withExtendedLifetime(first) {}
    }

    @Test func aPathWithDotsMeetsTheSameLock() throws {
        let dir = try Self.directory()
        let first = try StoreLock(databasePath: dir + "/store.sqlite")
        Self.expectRefused(dir + "/sub/../././store.sqlite", realFile: dir + "/store.sqlite")
        withExtendedLifetime(first) {}
    }

    @Test func aSymlinkedDirectoryMeetsTheSameLock() throws {
        let dir = try Self.directory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias", withDestinationPath: dir + "/sub")
        let first = try StoreLock(databasePath: dir + "/sub/store.sqlite")
        Self.expectRefused(dir + "/alias/store.sqlite", realFile: dir + "/sub/store.sqlite")
        withExtendedLifetime(first) {}
    }

    /// A relative link whose target does not exist yet: SQLite would create the target.
    @Test func aDanglingSymlinkMeetsTheLockOfItsTarget() throws {
        let dir = try Self.directory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/sub/link.sqlite", withDestinationPath: "../store.sqlite")
        let first = try StoreLock(databasePath: dir + "/sub/link.sqlite")
        Self.expectRefused(dir + "/store.sqlite", realFile: dir + "/store.sqlite")
        withExtendedLifetime(first) {}
    }

    @Test func theLockIsFreeAgainOnceItsHolderIsGone() throws {
        let dir = try Self.directory()
        do { _ = try StoreLock(databasePath: dir + "/store.sqlite") }
        _ = try StoreLock(databasePath: dir + "/sub/../store.sqlite")
    }
}
