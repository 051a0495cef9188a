import Foundation
import PaystreamCommandSupport
import PaystreamKafkaCommandSupport
import Testing

@Suite struct KafkaPropertySourcesTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-\(UUID().uuidString).properties").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsAFileSubstitutesTheEnvironmentAndLetsArgumentsWin() throws {
        let path = try file("""
            # a comment
            ! another comment
            security.protocol = SASL_SSL
            sasl.username: svc-paystream
            sasl.password=${KAFKA_PASSWORD}
            client.id=from-file

            """)
        let sources = try KafkaPropertySources(
            file: path, arguments: ["client.id=from-argument", "sasl.mechanisms=${MECHANISM}"],
            environment: ["KAFKA_PASSWORD": "s3cr3t=x", "MECHANISM": "PLAIN"]
        )
        #expect(sources.properties == [
            "security.protocol": "SASL_SSL", "sasl.username": "svc-paystream", "sasl.password": "s3cr3t=x",
            "client.id": "from-argument", "sasl.mechanisms": "PLAIN",
        ])
        // What a plan may print: file and environment values hidden, plain arguments shown.
        #expect(sources.displayValue(of: "sasl.password") == "***")
        #expect(sources.displayValue(of: "security.protocol") == "***")
        #expect(sources.displayValue(of: "sasl.mechanisms") == "***")
        #expect(sources.displayValue(of: "client.id") == "from-argument")
    }

    @Test func credentialNamesAreHiddenEvenWhenTypedOnTheCommandLine() throws {
        let sources = try KafkaPropertySources(file: nil, arguments: ["sasl.password=typed", "ssl.key.password=typed2"], environment: [:])
        #expect(sources.displayValue(of: "sasl.password") == "***")
        #expect(sources.displayValue(of: "ssl.key.password") == "***")
    }

    @Test func anUnsetVariableIsNamedAndNoValueIsEchoed() throws {
        let path = try file("sasl.password=${KAFKA_PASSWORD}\n")
        let error = try #require(throws: UsageError.self) {
            try KafkaPropertySources(file: path, arguments: [], environment: [:])
        }
        #expect(error.description.contains("KAFKA_PASSWORD"))
        #expect(error.description.contains("sasl.password"))
    }

    @Test func aMalformedLineNamesTheLineButNotItsText() throws {
        let path = try file("ok=1\nhunter2-is-the-password\n")
        let error = try #require(throws: UsageError.self) {
            try KafkaPropertySources(file: path, arguments: [], environment: [:])
        }
        #expect(error.description.contains("line 2"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func aMissingFileIsAUsageError() throws {
        #expect(throws: UsageError.self) {
            try KafkaPropertySources(file: "/nonexistent/kafka.properties", arguments: [], environment: [:])
        }
    }
}
