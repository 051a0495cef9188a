/// Changes the data set while the API serves: updates random records and creates new
/// ones at steady rates, as live traffic would during a sync.
public struct MockWriter: Sendable {
    let dataset: MockDataset
    let updatesPerSecond: Double
    let createsPerSecond: Double

    public init(dataset: MockDataset, updatesPerSecond: Double, createsPerSecond: Double) {
        self.dataset = dataset
        self.updatesPerSecond = updatesPerSecond
        self.createsPerSecond = createsPerSecond
    }

    /// Runs until cancelled, in 10 ms ticks.
    public func run() async {
        guard updatesPerSecond > 0 || createsPerSecond > 0 else { return }
        var updateDebt = 0.0, createDebt = 0.0
        while !Task.isCancelled {
            updateDebt += updatesPerSecond / 100
            createDebt += createsPerSecond / 100
            while updateDebt >= 1 {
                let resource = MockResource.allCases.randomElement()!
                dataset.update(resource, index: Int.random(in: 0..<max(1, dataset.count(resource))))
                updateDebt -= 1
            }
            while createDebt >= 1 {
                dataset.create(MockResource.allCases.randomElement()!)
                createDebt -= 1
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
