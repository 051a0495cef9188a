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
    let writes = Task {
        var rounds = 0
        var answered = server.requestCount
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
            try? await Task.sleep(for: pause)
        }
        return rounds
    }
    do {
        let result = try await body()
        writing.store(false, ordering: .relaxed)
        return (result, await writes.value)
    } catch {
        writing.store(false, ordering: .relaxed)
        _ = await writes.value
        throw error
    }
}
