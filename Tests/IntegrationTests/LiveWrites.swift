import Foundation
import PaystreamMockAPI
import Synchronization

/// Changes the mock API's data while `body` runs, as live traffic would: each round updates
/// one random record of every resource (and, every `createEvery` rounds, creates one), then
/// pauses. With `roundsPerRequest`, the writes keep pace with the API rather than the clock:
/// after each pause, that many rounds for every request the API answered meanwhile, so the
/// listing moves as much per page on a slow, loaded machine as on a fast one. Returns what
/// `body` returned and how many rounds were written.
func whileWriting<T>(
    to server: MockAPIServer, pause: Duration, createEvery: Int? = nil, roundsPerRequest: Int? = nil, _ body: () async throws -> T
) async throws -> (result: T, rounds: Int) {
    let writing = Atomic<Bool>(true)
    let finished = Atomic<Int>(-1)
    // A thread of its own, not a task: on a loaded machine the cooperative pool can be busy
    // for the whole sync, and writes that start late change nothing while the fetcher pages.
    let firstAnswered = server.requestCount
    let pauseSeconds = Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18
    Thread {
        var rounds = 0
        var answered = firstAnswered
        while writing.load(ordering: .relaxed) {
            var due = 1
            if let roundsPerRequest {
                let now = server.requestCount
                due = (now - answered) * roundsPerRequest
                answered = now
            }
            for _ in 0..<due {
                for resource in MockResource.allCases {
                    server.dataset.update(resource, index: Int.random(in: 0..<server.dataset.count(resource)))
                    if let createEvery, rounds % createEvery == 0 { server.dataset.create(resource) }
                }
                rounds += 1
            }
            Thread.sleep(forTimeInterval: pauseSeconds)
        }
        finished.store(rounds, ordering: .releasing)
    }.start()
    func stopWriting() async -> Int {
        writing.store(false, ordering: .relaxed)
        while finished.load(ordering: .acquiring) < 0 { try? await Task.sleep(for: .milliseconds(1)) }
        return finished.load(ordering: .acquiring)
    }
    do {
        let result = try await body()
        return (result, await stopWriting())
    } catch {
        _ = await stopWriting()
        throw error
    }
}
