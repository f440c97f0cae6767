import Foundation
import GroveService
import Hummingbird
import HummingbirdTesting
import Testing

/// Several models on one daemon: the model list, model-scoped routes and their `default` shorthands.
@Suite struct HTTPModelTests {
    /// Every model-scoped read route, with `{model}` still to fill in.
    static let scopedReads: [(method: HTTPRequest.Method, path: String, body: String?)] = [
        (.get, "/v1/models/{model}", nil),
        (.get, "/v1/models/{model}/domains", nil),
        (.get, "/v1/models/{model}/experts", nil),
        (.get, "/v1/models/{model}/report?format=json", nil),
        (.post, "/v1/models/{model}/predict", #"{"x":[[1,2,3,4]]}"#),
    ]

    @Test func anUnknownModelIs404NamingTheKnownOnes() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let upload = try await client.upload(TestCSV.separable(), name: "wide.csv")
            #expect(try await client.submitCSV(at: upload.path, model: "wide").status == .accepted)
            for route in Self.scopedReads {
                let response = try await client.send(route.method, route.path.replacingOccurrences(of: "{model}", with: "nope"), body: route.body)
                #expect(response.status == .notFound, "\(route.path)")
                #expect(response.errorMessage == "unknown model 'nope'; known models: default, wide", "\(route.path)")
            }
            // A model that a queued job names exists before its first phase.
            let queued = try await client.send(.get, "/v1/models/wide")
            #expect(queued.status == .ok, "\(queued.text)")
            #expect(try queued.decoded(APIStatus.self).model == "wide")
        }
    }

    @Test func aMalformedModelNameIs400() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let message = "use 1 to 128 letters, digits, '.', '_' or '-'"
            for name in ["bad!name", String(repeating: "m", count: 129)] {
                for route in Self.scopedReads {
                    let response = try await client.send(route.method, route.path.replacingOccurrences(of: "{model}", with: name), body: route.body)
                    #expect(response.status == .badRequest, "\(route.path)")
                    #expect(response.errorMessage == "model name '\(name)' is not valid: \(message)", "\(route.path)")
                }
            }
            let jobs = try await client.send(.get, "/v1/jobs?model=bad!name")
            #expect(jobs.status == .badRequest)
            #expect(jobs.errorMessage == "query parameter 'model': model name 'bad!name' is not valid: \(message)")
        }
    }

    @Test func aRollbackOverHTTPAnswersTheNewVersionAndRefusesWhatCannotBe() async throws {
        try await HTTPFixture.withRouter { client, _ in
            for (name, offset) in [("a.csv", Float(0)), ("b.csv", Float(40))] {
                let upload = try await client.upload(TestCSV.separable(offset: offset), name: name)
                let submitted = try await client.submitCSV(at: upload.path).decoded(APIJobSubmitted.self)
                try #require(try await client.waitForJob(submitted.job.id).state == .succeeded)
            }
            let json: HTTPFields = [.contentType: "application/json"]
            let rolled = try await client.send(.post, "/v1/versions/1/rollback", headers: json)
            #expect(rolled.status == .created, "\(rolled.text)")
            let version = try rolled.decoded(APIVersion.self)
            #expect(version.number == 3 && version.rolledBackTo == 1 && version.serving && version.job == nil && version.newExperts == 0)
            #expect(rolled.text.contains(#""job":null"#) && rolled.text.contains(#""rolled_back_to":1"#))
            let listed = try await client.send(.get, "/v1/models/default/versions").decoded([APIVersion].self)
            #expect(listed.map(\.rolledBackTo) == [nil, nil, 1] && listed.last == version)

            let refusals: [(String, HTTPFields, HTTPResponse.Status, String)] = [
                ("/v1/versions/3/rollback", json, .conflict, "model 'default' cannot roll back: version 3 is the newest; roll back to an earlier one"),
                ("/v1/models/default/versions/9/rollback", json, .notFound, "model 'default' has no version 9; grove versions lists them"),
                ("/v1/versions/0/rollback", json, .badRequest, "path parameter 'number': must be ≥ 1"),
                ("/v1/versions/1/rollback", [.contentType: "text/plain"], .unsupportedMediaType,
                 "POST /v1/versions/{number}/rollback needs Content-Type application/json, not Content-Type 'text/plain'"),
            ]
            for (path, headers, status, message) in refusals {
                let response = try await client.send(.post, path, headers: headers)
                #expect(response.status == status && response.errorMessage == message, "\(path): \(response.text)")
            }
            #expect(try await client.send(.get, "/v1/versions").decoded([APIVersion].self).count == 3, "refusals commit nothing")
        }
    }

    @Test func theUnscopedRoutesAnswerAsModelDefault() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let upload = try await client.upload(TestCSV.separable(), name: "pets.csv")
            let submitted = try await client.submitCSV(at: upload.path, domain: "pets").decoded(APIJobSubmitted.self)
            try #require(try await client.waitForJob(submitted.job.id).state == .succeeded)
            let pairs: [(method: HTTPRequest.Method, shorthand: String, scoped: String, body: String?)] = [
                (.get, "/v1/status", "/v1/models/default", nil),
                (.get, "/v1/domains", "/v1/models/default/domains", nil),
                (.get, "/v1/experts", "/v1/models/default/experts", nil),
                (.post, "/v1/predict", "/v1/models/default/predict", #"{"x":[[0,0,0,0],[3,3,3,3]]}"#),
                (.post, "/v1/predict", "/v1/models/default/predict", #"{"x":[[1,2,3]]}"#),
            ]
            for pair in pairs {
                let shorthand = try await client.send(pair.method, pair.shorthand, body: pair.body)
                let scoped = try await client.send(pair.method, pair.scoped, body: pair.body)
                #expect(shorthand.status == scoped.status, "\(pair.shorthand)")
                #expect(shorthand.headers[.contentType] == scoped.headers[.contentType], "\(pair.shorthand)")
                #expect(shorthand.text == scoped.text, "\(pair.shorthand)")
            }
            // The report carries the time it was made; everything else must match.
            var reports: [NSDictionary] = []
            for path in ["/v1/report?format=json", "/v1/models/default/report?format=json"] {
                let response = try await client.send(.get, path)
                #expect(response.status == .ok && response.headers[.contentType] == "application/json", "\(path)")
                var object = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                object["generated_at"] = nil
                reports.append(object as NSDictionary)
            }
            #expect(reports.count == 2 && reports[0] == reports[1])
            #expect((reports.first?["phases"] as? [Any])?.count == 1)
            let status = try await client.send(.get, "/v1/models/default").decoded(APIStatus.self)
            #expect(status.model == "default" && status.version == 1 && status.domains == 1)
        }
    }

    @Test func twoModelsLearnApartAndAWrongDimensionSaysHowToStartAnother() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let narrow = try await client.upload(TestCSV.separable(features: 4), name: "narrow.csv")
            let wide = try await client.upload(TestCSV.separable(features: 6, offset: 5), name: "wide.csv")
            let first = try await client.submitCSV(at: narrow.path, domain: "small").decoded(APIJobSubmitted.self)
            let second = try await client.submitCSV(at: wide.path, domain: "big", model: "wide").decoded(APIJobSubmitted.self)
            #expect(second.job.model == "wide" && second.created)
            for id in [first.job.id, second.job.id] {
                let job = try await client.waitForJob(id)
                #expect(job.state == .succeeded, "job \(id): \(job.error ?? "")")
            }

            let models = try await client.send(.get, "/v1/models")
            #expect(models.status == .ok)
            #expect(models.text.contains("\"input_dimension\":4"))
            let summaries = try models.decoded([APIModelSummary].self)
            #expect(summaries == [
                APIModelSummary(name: "default", inputDimension: 4, domains: 1, experts: 1, version: 1, classes: 2,
                                features: (0 ..< 4).map { "f\($0)" }),
                APIModelSummary(name: "wide", inputDimension: 6, domains: 1, experts: 1, version: 1, classes: 2,
                                features: (0 ..< 6).map { "f\($0)" }),
            ])
            #expect(try await client.send(.get, "/v1/models/wide/domains").decoded([APIDomain].self).map(\.name) == ["big"])
            #expect(try await client.send(.get, "/v1/domains").decoded([APIDomain].self).map(\.name) == ["small"])
            let predicted = try await client.send(.post, "/v1/models/wide/predict", body: #"{"x":[[5,5,5,5,5,5]]}"#)
            #expect(predicted.status == .ok, "\(predicted.text)")
            let jobs = try await client.send(.get, "/v1/jobs?model=wide").decoded([APIJob].self)
            #expect(jobs.map(\.id) == [second.job.id])

            let mismatched = try await client.submitCSV(at: narrow.path, domain: "small", model: "wide").decoded(APIJobSubmitted.self)
            let failed = try await client.waitForJob(mismatched.job.id)
            #expect(failed.state == .failed)
            #expect(failed.error == "\(narrow.sha256).csv has 4 features, model 'wide' expects 6; submit with --model NAME to start a separate model")
            let status = try await client.send(.get, "/v1/models/wide").decoded(APIStatus.self)
            #expect(status.version == 1 && status.jobs["failed"] == 1 && status.jobs["succeeded"] == 1, "\(status)")
        }
    }
}
