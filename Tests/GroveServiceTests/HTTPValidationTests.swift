import Foundation
import GroveService
import Hummingbird
import HummingbirdTesting
import Testing

/// Every request is checked against schemas/openapi.yaml before anything is queued: a 400 whose
/// one line names the field.
@Suite struct HTTPValidationTests {
    @Test func submissionsThatBreakTheSchemaAre400NamingTheField() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let upload = try await client.upload(TestCSV.separable(), name: "train.csv")
            let path = upload.path
            func body(_ source: String = #""format":"csv","path":"\#(path)""#, spec: String = "", top: String = "") -> String {
                #"{\#(top)"spec":{\#(spec)"source":{\#(source)}}}"#
            }
            let cases: [(body: String, message: String)] = [
                (body(spec: #""limit":-1,"#), "spec.limit: must be ≥ 1"),
                (body(spec: #""limit":0,"#), "spec.limit: must be ≥ 1"),
                (body(spec: #""limit":1000000001,"#), "spec.limit: must be ≤ 1000000000"),
                (body(spec: #""limit":1e30,"#), "spec.limit: must be ≤ 1000000000"),
                (body(spec: #""limit":2.5,"#), "spec.limit: must be an integer, not 2.5"),
                (body(spec: #""limit":"10","#), "spec.limit: expected an integer, got a string"),
                (body(spec: #""domain":"","#), "spec.domain: must not be empty"),
                (body(spec: #""domain":"-x","#), "spec.domain: use letters, digits, '.', '_' or '-', starting with a letter or digit"),
                (body(spec: #""domain":"\#(String(repeating: "d", count: 65))","#), "spec.domain: must have at most 64 characters"),
                (body(spec: #""extra":1,"#), "spec.extra: unknown field; allowed: domain, source, limit"),
                (body(top: #""priority":1,"#), "priority: unknown field; allowed: model, spec"),
                (body(top: #""model":null,"#), "model: expected a string, got null"),
                (body(top: #""model":"","#), "model: must not be empty"),
                (body(top: #""model":"a/b","#), "model: use letters, digits, '.', '_' or '-'"),
                (body(top: #""model":"\#(String(repeating: "m", count: 129))","#), "model: must have at most 128 characters"),
                (body(#""format":"xls","path":"\#(path)""#), "spec.source.format: must be one of idx, csv, jsonl, npy, not 'xls'"),
                (body(#""format":"csv""#), "spec.source.path: is required"),
                (body(#""path":"\#(path)""#), "spec.source.format: is required"),
                (body(#""format":"csv","path":"""#), "spec.source.path: must not be empty"),
                (body(#""format":"csv","path":"/etc/hostname\u0000x""#), "spec.source.path: must not contain NUL"),
                (body(#""format":"csv","path":"\#(String(repeating: "p", count: 4097))""#), "spec.source.path: must have at most 4096 characters"),
                (body(#""format":"csv","path":"\#(path)","url":"x""#), "spec.source.url: unknown field"),
                (body(#""format":"npy","path":"\#(path)""#), "spec.source.labels: is required for npy files"),
                (body(#""format":"csv","path":"\#(path)","test_labels":"\#(path)""#), "spec.source.test_labels: given without test_path"),
                (body(#""format":"csv","path":"\#(path)","classes":"cat""#), "spec.source.classes: expected an array, got a string"),
                (body(#""format":"csv","path":"\#(path)","classes":[]"#), "spec.source.classes: must hold at least 1 item"),
                (body(#""format":"csv","path":"\#(path)","classes":["cat","cat"]"#), "spec.source.classes[1]: class 'cat' is listed twice"),
                (body(#""format":"csv","path":"\#(path)","classes":[1]"#), "spec.source.classes[0]: expected a string, got a number"),
                (body(#""format":"csv","path":"\#(path)","permutation_seed":-1"#), "spec.source.permutation_seed: must be ≥ 0"),
                (body(#""format":"csv","path":"\#(path)","permutation_seed":9007199254740992"#), "spec.source.permutation_seed: must be ≤ 9007199254740991"),
                (body(#""format":"csv","path":"\#(path)","rotation_degrees":361"#), "spec.source.rotation_degrees: must be ≤ 360.0"),
                (body(#""format":"csv","path":"\#(path)","rotation_degrees":true"#), "spec.source.rotation_degrees: expected a number, got a boolean"),
                (#"{"model":"default"}"#, "spec: is required"),
                (#"{"spec":null}"#, "spec: expected an object, got null"),
                ("[]", "the body: expected an object, got an array"),
                ("{not json", "the body is not valid JSON"),
                ("", "needs a JSON body"),
            ]
            for (body, message) in cases {
                let response = try await client.send(.post, "/v1/jobs", body: body)
                #expect(response.status == .badRequest, "\(body)")
                let error = response.errorMessage ?? ""
                #expect(error.contains(message), "\(body.prefix(200)) -> \(error)")
                #expect(!error.contains("\n"))
            }
            #expect(try await client.allJobIDs().isEmpty, "nothing may be queued")
            // Within every bound, the same shapes are accepted.
            let valid = body(#""format":"csv","path":"\#(path)","classes":["cat","dog"],"permutation_seed":9007199254740991,"rotation_degrees":-360"#,
                             spec: #""domain":"pets","limit":1000000000,"#, top: #""model":"m.1_x-y","#)
            let accepted = try await client.send(.post, "/v1/jobs", body: valid)
            #expect(accepted.status == .accepted, "\(accepted.text)")
        }
    }

    @Test func queryAndPathParametersAreChecked() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let cases: [(uri: String, message: String)] = [
                ("/v1/jobs?state=queued,sleeping", "query parameter 'state': unknown job state 'sleeping'"),
                ("/v1/jobs?state=", "query parameter 'state': unknown job state ''"),
                ("/v1/jobs?state=queued,%20running", "query parameter 'state': unknown job state ' running'"),
                ("/v1/jobs?limit=0", "query parameter 'limit': must be ≥ 1"),
                ("/v1/jobs?limit=1001", "query parameter 'limit': must be ≤ 1000"),
                ("/v1/jobs?limit=ten", "query parameter 'limit': 'ten' is not an integer"),
                ("/v1/jobs?limit=99999999999999999999", "query parameter 'limit': must be ≤ 1000"),
                ("/v1/jobs?after=-1", "query parameter 'after': must be ≥ 0"),
                ("/v1/jobs?after=1.5", "query parameter 'after': '1.5' is not an integer"),
                ("/v1/jobs?model=a%20b", "query parameter 'model': model name 'a b' is not valid"),
                ("/v1/jobs/0", "path parameter 'id': must be ≥ 1"),
                ("/v1/jobs/-3", "path parameter 'id': must be ≥ 1"),
                ("/v1/jobs/abc", "path parameter 'id': 'abc' is not an integer"),
                ("/v1/jobs/9223372036854775808", "path parameter 'id': must be ≤ 9223372036854775807"),
                ("/v1/models/a%20b", "is not valid"),
                ("/v1/report?format=pdf", "query parameter 'format': unknown report format 'pdf'"),
                ("/v1/report?format=JSON", "query parameter 'format': unknown report format 'JSON'"),
            ]
            for (uri, message) in cases {
                let response = try await client.send(.get, uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.errorMessage?.contains(message) == true, "\(uri) -> \(response.errorMessage ?? response.text)")
            }
            for name in ["", ".", "..", "a%2Fb", String(repeating: "n", count: 256)] {
                let response = try await client.send(.post, "/v1/files?name=\(name)", body: "a,label\n1,x\n",
                                                     headers: [.contentType: "application/octet-stream"])
                #expect(response.status == .badRequest, "\(name)")
                #expect(response.errorMessage?.hasPrefix("query parameter 'name': ") == true, "\(name): \(response.text)")
            }
            // A known path with a method it does not serve is 405 naming the methods it does.
            let put = try await client.send(.put, "/v1/jobs/1", body: "{}")
            #expect(put.status == .methodNotAllowed)
            #expect(put.errorMessage == "PUT is not allowed on /v1/jobs/1; use GET")
            #expect(put.headers[.allow] == "GET")
            let delete = try await client.send(.delete, "/v1/jobs")
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "POST, GET")
            #expect(try await client.send(.get, "/v1/nothing").status == .notFound)
            let missing = try await client.send(.post, "/v1/files", body: "a\n", headers: [.contentType: "application/octet-stream"])
            #expect(missing.errorMessage == "query parameter 'name' is required (the file's name, e.g. ?name=train.csv)")
        }
    }

    @Test func predictBodiesAreCheckedRowByRow() async throws {
        try await HTTPFixture.withRouter(configure: { $0.maxPredictRows = 3 }) { client, _ in
            let cases: [(body: String, message: String)] = [
                (#"{"x":[]}"#, "x: must hold at least 1 row"),
                (#"{"x":[[]]}"#, "x[0]: must hold at least 1 feature"),
                (#"{"x":[[1,2],[1,2,3]]}"#, "x[1] has more than 2 features, x[0] has 2"),
                (#"{"x":[[1,2],[1]]}"#, "x[1] has 1 features, x[0] has 2"),
                (#"{"x":[[1,2],[1,2],[1,2],[1,2]]}"#, "x: must hold at most 3 rows"),
                (#"{"x":[[1,2]],"y":1}"#, "y: unknown field; allowed: x"),
                (#"{"x":[[1,1e39]]}"#, "x[0][1]: must be between -3.4028234663852886e+38 and 3.4028234663852886e+38"),
                (#"{"x":[[1e400]]}"#, "x[0][0]: must be between"),
                (#"{"x":[[1]],}"#, "invalid request body: expected a field name in quotes"),
                (#"{"x":[["a"]]}"#, "x[0][0]: expected a number"),
                (#"{"y":[[1]]}"#, "y: unknown field"),
                (#"{"x":[1]}"#, "x[0]: expected an array of numbers"),
                (#"{}"#, "x is required"),
            ]
            for (body, message) in cases {
                let response = try await client.send(.post, "/v1/predict", body: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.errorMessage?.contains(message) == true, "\(body) -> \(response.errorMessage ?? response.text)")
            }
            // A well-formed body reaches the model, which has learned nothing yet; numbers too
            // small for a float are rounded (schemathesis sent 2.2e-309 and was refused).
            for body in [#"{"x":[[1,2],[3,4],[5,6]]}"#, #"{"x":[[2.225073858507203e-309,-3.4028234663852886e+38]]}"#] {
                let status = try await client.send(.post, "/v1/predict", body: body).status
                #expect(status == .conflict, "\(body)")
            }
        }
    }
}
