import Foundation
import GroveLearning
import Testing

@Suite("Learner settings from a partial JSON object")
struct ConfigOverrideTests {
    private func overriding(_ json: String) throws(LifelongConfigError) -> LifelongConfig {
        try LifelongConfig().overriding(with: Data(json.utf8), source: "settings.json")
    }

    @Test func changesOnlyTheNamedKnobs() throws {
        let config = try overriding(#"{"gateLearningRate": 0.0005, "moe": {"topK": 1}, "detector": {"permutations": 50}}"#)
        var expected = LifelongConfig()
        expected.gateLearningRate = 0.0005
        expected.moe.topK = 1
        expected.detector.permutations = 50
        #expect(config == expected)
    }

    @Test func anEmptyObjectKeepsTheDefaults() throws {
        #expect(try overriding("{}") == LifelongConfig())
    }

    @Test func anUnknownKeyIsNamedWithItsPath() {
        #expect(throws: LifelongConfigError.self) { try overriding(#"{"gateStep": 10}"#) }
        do {
            _ = try overriding(#"{"moe": {"top": 1}}"#)
            Issue.record("an unknown nested key was accepted")
        } catch {
            #expect(error.description.hasPrefix("settings.json: unknown field 'moe.top'"))
        }
    }

    @Test func aValueOfTheWrongTypeIsNamed() {
        do {
            _ = try overriding(#"{"gateSteps": "many"}"#)
            Issue.record("a string was accepted for an integer")
        } catch {
            #expect(error.description == "settings.json: field 'gateSteps' has a value of the wrong type")
        }
    }

    @Test func textThatIsNotOneObjectIsRefused() {
        for text in ["[1, 2]", "gateSteps: 5", ""] {
            do {
                _ = try overriding(text)
                Issue.record("'\(text)' was accepted")
            } catch {
                #expect(error.description.hasPrefix("settings.json: "))
                #expect(!error.description.contains("\n"))
            }
        }
    }
}
