import Foundation
import GroveService
import Hummingbird
import HummingbirdTesting
import Testing

/// A model first learned from a CSV takes later CSVs' columns by name, through the daemon.
@Suite struct HTTPFeatureColumnsTests {
    /// Two classes in four columns whose means differ (column `j` around `4j`, dogs 3 higher),
    /// written with the columns in `order` (indices into `f0…f3`) and `label` last.
    static func csv(order: [Int], rows: Int = 120) -> String {
        var state: UInt64 = 11
        func noise() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        var lines = [order.map { "f\($0)" }.joined(separator: ",") + ",label"]
        for r in 0 ..< rows {
            let dog = r % 2 == 1
            let values = (0 ..< 4).map { Float(4 * $0) + (dog ? 3 : 0) + noise() }
            lines.append(order.map { String(values[$0]) }.joined(separator: ",") + (dog ? ",dog" : ",cat"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func shuffledColumnsAreTheKnownDomainAndForeignOnesFailTheJob() async throws {
        try await HTTPFixture.withRouter { client, _ in
            func learn(_ text: String, name: String) async throws -> APIJob {
                let upload = try await client.upload(text, name: name)
                let submitted = try await client.submitCSV(at: upload.path).decoded(APIJobSubmitted.self)
                return try await client.waitForJob(submitted.job.id)
            }
            let first = try await learn(Self.csv(order: [0, 1, 2, 3]), name: "day1.csv")
            #expect(first.state == .succeeded, "\(first.error ?? "")")
            let models = try await client.send(.get, "/v1/models").decoded([APIModelSummary].self)
            #expect(models.map(\.features) == [["f0", "f1", "f2", "f3"]])

            // The same samples with the columns reversed: by name, the domain it already knows.
            let reversed = try await learn(Self.csv(order: [3, 2, 1, 0]), name: "day1-reversed.csv")
            #expect(reversed.state == .succeeded, "\(reversed.error ?? "")")
            let domains = try await client.send(.get, "/v1/domains").decoded([APIDomain].self)
            #expect(domains.map(\.name) == [try #require(domains.first).name], "taken by position it would look new: \(domains.map(\.name))")

            // A column the model does not have fails the job; the model stays at its version.
            let versions = try await client.send(.get, "/v1/versions").text
            let foreign = Self.csv(order: [0, 1, 2, 3]).replacingOccurrences(of: "f2,", with: "g2,")
            let failed = try await learn(foreign, name: "other.csv")
            #expect(failed.state == .failed)
            #expect(failed.error?.hasSuffix(".csv:1: column 'g2' is not one of the model's features (named by the first CSV it learned)") == true,
                    "\(failed.error ?? "")")
            #expect(try await client.send(.get, "/v1/versions").text == versions)
        }
    }

    @Test func aModelFirstLearnedFromUnnamedRowsHasNoFeatureNames() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let jsonl = (0 ..< 60).map { #"{"x": [\#($0 % 2 * 3), 1, 2, 3], "y": \#($0 % 2)}"# }.joined(separator: "\n") + "\n"
            let upload = try await client.upload(jsonl, name: "rows.jsonl")
            let body = #"{"spec":{"source":{"format":"jsonl","path":"\#(upload.path)"}}}"#
            let submitted = try await client.send(.post, "/v1/jobs", body: body).decoded(APIJobSubmitted.self)
            #expect(try await client.waitForJob(submitted.job.id).state == .succeeded)
            let models = try await client.send(.get, "/v1/models")
            #expect(try models.decoded([APIModelSummary].self).map(\.features) == [nil])
            #expect(models.text.contains(#""features":null"#))
        }
    }
}
