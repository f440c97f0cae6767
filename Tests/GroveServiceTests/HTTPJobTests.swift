import Foundation
import GroveService
import Hummingbird
import HummingbirdTesting
import Testing

/// Jobs that the daemon's runner (running as a service of the application) learns or fails.
@Suite struct HTTPJobTests {
    /// `GET /v1/evaluation` evaluates every held-out row; a domain whose held-out set fits the
    /// phase's evaluation sample gets the very figures the phase recorded.
    @Test func theEvaluationReadsEveryHeldOutRowAndMatchesThePhaseOnASmallDomain() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let upload = try await client.upload(TestCSV.separable(rows: 200), name: "pets.csv")
            let submitted = try await client.submitCSV(at: upload.path, domain: "pets").decoded(APIJobSubmitted.self)
            let job = try await client.waitForJob(submitted.job.id)
            try #require(job.state == .succeeded, "job ended \(job.state): \(job.error ?? "")")
            let domain = try #require(try await client.send(.get, "/v1/domains").decoded([APIDomain].self).first)
            let evaluation = try await client.send(.get, "/v1/evaluation").decoded(APIEvaluation.self)
            #expect(evaluation.model == "default" && evaluation.version == 1)
            let evaluated = try #require(evaluation.domains.first)
            #expect(evaluation.domains.map(\.name) == ["pets"])
            #expect(evaluated.samples == 30, "15 % of 200 rows held out")
            #expect(evaluated.accuracy == domain.accuracy && evaluated.routingAccuracy == domain.routingAccuracy)
            #expect(evaluation.averageAccuracy == evaluated.accuracy)
            let scoped = try await client.send(.get, "/v1/models/default/evaluation").decoded(APIEvaluation.self)
            #expect(scoped == evaluation)
            #expect(try await client.send(.get, "/v1/models/nosuch/evaluation").status == .notFound)
        }
    }

    @Test func aLearnedJobFeedsDomainsExpertsPredictAndTheReport() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let upload = try await client.upload(TestCSV.separable(), name: "pets.csv")
            let submitted = try await client.submitCSV(at: upload.path, domain: "pets").decoded(APIJobSubmitted.self)
            let job = try await client.waitForJob(submitted.job.id)
            try #require(job.state == .succeeded, "job ended \(job.state): \(job.error ?? "")")
            #expect(job.error == nil)
            #expect(job.attempts == 1)

            let domains = try await client.send(.get, "/v1/domains").decoded([APIDomain].self)
            #expect(domains.map(\.name) == ["pets"])
            let domain = try #require(domains.first)
            #expect(domain.classes == ["cat", "dog"])
            #expect(domain.firstPhase == 0)
            #expect(domain.experts.count == 1)
            let accuracy = try #require(domain.accuracy)
            #expect((0...1).contains(accuracy))
            #expect(domain.routingAccuracy != nil)

            let experts = try await client.send(.get, "/v1/experts").decoded([APIExpert].self)
            #expect(experts.map(\.id) == domain.experts)
            let expert = try #require(experts.first)
            #expect(expert.parent == nil)
            #expect(expert.domain == "pets")
            #expect(expert.createdPhase == 0)
            #expect(expert.frozen)
            #expect(expert.classes == ["cat", "dog"])
            #expect(expert.parameters == 8 * 4 + 8 + 2 * 8 + 2)
            let rawExperts = try await client.send(.get, "/v1/experts").text
            #expect(rawExperts.contains("\"parent\":null"))

            let predict = try await client.send(.post, "/v1/predict", body: #"{"x":[[0,0,0,0],[3,3,3,3]]}"#)
            #expect(predict.status == .ok, "\(predict.text)")
            let predictions = try predict.decoded(APIPredictResponse.self).predictions
            #expect(predictions.count == 2)
            for p in predictions {
                #expect(["cat", "dog"].contains(p.label))
                #expect(p.label == (p.classIndex == 0 ? "cat" : "dog"))
                #expect((0...1).contains(p.probability))
                #expect(!p.experts.isEmpty)
            }
            #expect(predict.text.contains("\"class_index\""))
            let wide = try await client.send(.post, "/v1/predict", body: #"{"x":[[1,2,3]]}"#)
            #expect(wide.status == .badRequest)
            #expect(wide.errorMessage == "samples have 3 features, model 'default' expects 4")
            let ragged = try await client.send(.post, "/v1/predict", body: #"{"x":[[1,2,3,4],[1]]}"#)
            #expect(ragged.status == .badRequest)
            #expect(ragged.errorMessage == "x[1] has 1 features, x[0] has 4")

            let status = try await client.send(.get, "/v1/status").decoded(APIStatus.self)
            #expect(status.version == 1)
            #expect(status.experts == 1)
            #expect(status.domains == 1)
            #expect(status.jobs["succeeded"] == 1)
            #expect(status.running == nil)

            let json = try await client.send(.get, "/v1/report?format=json")
            #expect(json.status == .ok)
            #expect(json.headers[.contentType] == "application/json")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
            let phases = try #require(report["phases"] as? [[String: Any]])
            #expect(phases.count == 1)
            #expect(phases.first?["job"] as? Int == Int(submitted.job.id))
            let formats = ["html": "text/html", "markdown": "text/markdown", "table": "text/plain"]
            for (format, type) in formats {
                let rendered = try await client.send(.get, "/v1/report?format=\(format)")
                #expect(rendered.status == .ok)
                #expect(rendered.headers[.contentType]?.hasPrefix(type) == true, "\(format)")
                #expect(rendered.text.contains("pets"), "\(format)")
            }
        }
    }

    @Test func aMalformedFileFailsItsJobWithTheDefectInOneLine() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let upload = try await client.upload(TestCSV.malformed, name: "broken.csv")
            let submitted = try await client.submitCSV(at: upload.path).decoded(APIJobSubmitted.self)
            let job = try await client.waitForJob(submitted.job.id)
            #expect(job.state == .failed)
            let message = try #require(job.error)
            #expect(message.contains(":3: column 'f1': 'oops' is not a number"), "\(message)")
            #expect(!message.contains("\n"))
            let failed = try await client.send(.get, "/v1/jobs?state=failed").decoded([APIJob].self)
            #expect(failed.map(\.id) == [submitted.job.id])
            #expect(try await client.send(.get, "/v1/jobs?state=queued,running").decoded([APIJob].self).isEmpty)
            let status = try await client.send(.get, "/v1/status").decoded(APIStatus.self)
            #expect(status.version == nil)
            #expect(status.jobs["failed"] == 1)
        }
    }
}
