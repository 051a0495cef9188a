import Foundation

/// A bounded queue between two threads: `put` blocks while it is full, `take` while it is
/// empty. Closing it lets `take` drain what is queued and then return nil; `put` on a
/// closed queue returns false. It counts how long each side waited for the other, which
/// says which side limits the pipeline.
///
/// `@unchecked Sendable` with a lock: every stored `var` is read and written only while
/// `condition` is locked, and only `Sendable` elements pass between the threads.
final class Handoff<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var isClosed = false
    private let capacity: Int
    private var putWaiting: Duration = .zero
    private var takeWaiting: Duration = .zero

    /// Time `put` waited for room, and `take` for an item, so far.
    var waits: (put: Duration, take: Duration) {
        condition.lock()
        defer { condition.unlock() }
        return (putWaiting, takeWaiting)
    }

    init(capacity: Int) {
        self.capacity = capacity
    }

    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let started = ContinuousClock.now
        while items.count >= capacity, !isClosed { condition.wait() }
        putWaiting += .now - started
        guard !isClosed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        let started = ContinuousClock.now
        while items.isEmpty, !isClosed { condition.wait() }
        takeWaiting += .now - started
        guard !items.isEmpty else { return nil }
        condition.broadcast()
        return items.removeFirst()
    }

    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }
}
