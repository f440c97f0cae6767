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

    @Test func theDefaultsAreValidAndAValueOutOfRangeIsNamed() {
        #expect(LifelongConfig().firstInvalidSetting == nil)
        let cases = [
            (#"{"expertHidden": 0}"#, "settings.json: field 'expertHidden' must be at least 1 (got 0)"),
            (#"{"testFraction": 2}"#, "settings.json: field 'testFraction' must lie in (0, 1) (got 2.0)"),
            (#"{"gateLearningRate": -0.001}"#, "settings.json: field 'gateLearningRate' must be a positive number (got -0.001)"),
            (#"{"moe": {"topK": 0}}"#, "settings.json: field 'moe.topK' must be at least 1 (got 0)"),
            (#"{"detector": {"significance": 1}}"#, "settings.json: field 'detector.significance' must lie in (0, 1) (got 1.0)"),
        ]
        for (json, message) in cases {
            do {
                _ = try overriding(json)
                Issue.record("\(json) was accepted")
            } catch {
                #expect(error.description == message)
            }
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
