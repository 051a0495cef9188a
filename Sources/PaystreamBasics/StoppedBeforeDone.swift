/// A run with an end of its own (`--once`, `--until-caught-up`) was stopped on request
/// (SIGTERM, SIGINT) before it got there. Nothing is lost (what was not made durable is sent
/// or read again next time), but the work is not done: the commands exit with a status of
/// their own for it, so that `fetcher --once && …` does not go on as if it were.
public struct StoppedBeforeDone: Error, CustomStringConvertible {
    /// What was left undone, e.g. "the sync of customers, invoices".
    public var unfinished: String

    public init(unfinished: String) {
        self.unfinished = unfinished
    }

    public var description: String { "stopped on request before \(unfinished) finished; run it again to finish" }
}
