import Foundation
import GroveData
import GroveNumerics
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import GroveService

/// `POST /v1/predict` reads JSON, NPY and raw float32 rows and answers JSON or NPY; the same
/// rows give the same answers every way, and the same as the model in process.
struct HTTPPredictEncodingTests {
    /// Rows of a 4-feature model, with values that take every path of the JSON number reader:
    /// integers, short decimals, long ones, exponents, a subnormal and zero's sign.
    static let rows: [[Float]] = [
        [0, 0, 0, 0], [3, 3, 3, 3], [0.1, 2.5, -0.25, 3.75], [1e-7, 2.9999998, 1234.5677, -0.0],
        [0.33333334, 2.7182817, Float(bitPattern: 0x0001_16C2), 3], [-1.5, 4.2e1, 0.0039215689, 2],
    ]

    /// A 2-D NPY array of `rows` in `descr` (`<f4`, `<f8`, `>f8` or `<i2`), as numpy writes it.
    static func npy(_ rows: [[Float]], descr: String) -> ByteBuffer {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(rows.count), \(rows.first?.count ?? 0)), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var out = ByteBuffer(bytes: [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        out.writeString(header)
        for value in rows.joined() {
            switch descr {
            case "<f4": out.writeInteger(value.bitPattern, endianness: .little)
            case "<f8": out.writeInteger(Double(value).bitPattern, endianness: .little)
            case ">f8": out.writeInteger(Double(value).bitPattern, endianness: .big)
            default: out.writeInteger(Int16(value), endianness: .little)
            }
        }
        return out
    }

    /// `rows` as raw little-endian float32.
    static func raw(_ rows: [[Float]]) -> ByteBuffer {
        var out = ByteBuffer()
        for value in rows.joined() { out.writeInteger(value.bitPattern, endianness: .little) }
        return out
    }

    /// `rows` as a JSON body, each value written by `spell`.
    static func json(_ rows: [[Float]], spell: (Float) -> String) -> ByteBuffer {
        ByteBuffer(string: #"{ "x" : ["# + rows.map { "[" + $0.map(spell).joined(separator: ", ") + "]" }.joined(separator: ",\n") + "]}")
    }

    /// A fixture whose model `default` has learned the separable pets.
    static func withTrainedModel(_ body: @Sendable (any TestClientProtocol, HTTPFixture) async throws -> Void) async throws {
        try await HTTPFixture.withRouter { client, fixture in
            let upload = try await client.upload(TestCSV.separable(), name: "pets.csv")
            let submitted = try await client.submitCSV(at: upload.path, domain: "pets").decoded(APIJobSubmitted.self)
            try #require(try await client.waitForJob(submitted.job.id).state == .succeeded)
            try await body(client, fixture)
        }
    }

    func post(_ client: any TestClientProtocol, _ body: ByteBuffer, type: String, query: String = "",
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = type
        return try await client.execute(uri: "/v1/predict" + query, method: .post, headers: headers, body: body) { $0 }
    }

    @Test func theSameRowsGiveTheSameAnswersInEveryEncoding() async throws {
        try await Self.withTrainedModel { client, fixture in
            let host = try await fixture.daemon.hosts.host(named: "default")
            // The watch reads the domains' signatures in the background; answers carry novelty after.
            let deadline = ContinuousClock.now + .seconds(30)
            while try host.predict(Matrix(rows: 1, cols: 4, storage: [0, 0, 0, 0]))[0].novelty == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            // Six rows take the dense path, one row the sparse one.
            for rows in [Self.rows, [Self.rows[3]]] {
                let x = Matrix(rows: rows.count, cols: 4, storage: Array(rows.joined()))
                let inProcess = try host.predict(x)
                #expect(inProcess.allSatisfy { $0.novelty != nil })
                let bodies: [(String, ByteBuffer, String, HTTPFields)] = [
                    ("JSON, shortest float", Self.json(rows) { $0.description }, "application/json", [:]),
                    ("JSON, 17 digits", Self.json(rows) { String(format: "%.17g", Double($0)) }, "application/json", [:]),
                    ("JSON, exponents", Self.json(rows) { String(format: "%.9E", Double($0)) }, "application/json; charset=utf-8", [:]),
                    ("NPY float32", Self.npy(rows, descr: "<f4"), "application/x-npy", [:]),
                    ("NPY float64", Self.npy(rows, descr: "<f8"), "application/x-npy", [:]),
                    ("NPY big-endian float64", Self.npy(rows, descr: ">f8"), "application/x-npy", [:]),
                    ("raw float32, query", Self.raw(rows), "application/octet-stream?rows=\(rows.count)", [:]),
                    ("raw float32, header", Self.raw(rows), "application/octet-stream", [PredictInput.rowsHeader!: String(rows.count)]),
                ]
                var texts: Set<String> = []
                for (name, body, type, headers) in bodies {
                    let parts = type.split(separator: "?")
                    let response = try await post(client, body, type: String(parts[0]), query: parts.count > 1 ? "?" + parts[1] : "", headers: headers)
                    #expect(response.status == .ok, "\(name): \(response.text)")
                    let answer = try response.decoded(APIPredictResponse.self)
                    #expect(answer.predictions == inProcess, "\(name)")
                    #expect(answer.version == 1, "\(name)")
                    texts.insert(response.text)
                }
                #expect(texts.count == 1, "every encoding answers the same bytes")
                // The hand-written JSON decodes to what Foundation's encoder writes for the same answer.
                let encoded = try HomeViews.json(APIPredictResponse(predictions: inProcess, version: 1))
                let decodedBack = try JSONDecoder().decode(APIPredictResponse.self, from: encoded)
                #expect(try JSONDecoder().decode(APIPredictResponse.self, from: Data(texts.first.map { Array($0.utf8) } ?? [])) == decodedBack)

                // NPY answers: every class's probability, the chosen class's bit for bit.
                let npy = try await post(client, Self.raw(rows), type: "application/octet-stream", query: "?rows=\(rows.count)",
                                         headers: [.accept: "application/x-npy"])
                #expect(npy.status == .ok && npy.headers[.contentType] == "application/x-npy")
                #expect(npy.headers[PredictInput.versionHeader!] == "1")
                let probabilities = try NPYReader.readFeatures(bytes: Array(npy.body.readableBytesView), name: "answer")
                #expect(probabilities.count == rows.count && probabilities.dimension == 2)
                for (row, prediction) in inProcess.enumerated() {
                    let p = Array(probabilities.features[(row * 2)..<(row * 2 + 2)])
                    #expect(p.firstIndex(of: p.max() ?? 0) == prediction.classIndex)
                    #expect(Double(p[prediction.classIndex]) == prediction.probability)
                    #expect(abs(p.reduce(0, +) - 1) < 1e-5)
                }
            }
        }
    }

    @Test func binaryBodiesAreChecked() async throws {
        try await Self.withTrainedModel { client, _ in
            let nan = Self.raw([[1, .nan, 0, 0]])
            let cases: [(String, ByteBuffer, String, String, HTTPResponse.Status, String)] = [
                ("no row count", Self.raw([[1, 2, 3, 4]]), "application/octet-stream", "", .badRequest,
                 "an application/octet-stream body needs its row count in the query parameter 'rows' or the header Grove-Rows"),
                ("short body", Self.raw([[1, 2, 3, 4]]), "application/octet-stream", "?rows=2", .badRequest,
                 "request body has 16 bytes; 2 rows of 4 float32 features are 32"),
                ("bad count", Self.raw([[1, 2, 3, 4]]), "application/octet-stream", "?rows=x", .badRequest,
                 "query parameter 'rows': 'x' is not an integer"),
                ("NaN", nan, "application/octet-stream", "?rows=1", .badRequest, "row 0, feature 1: nan is not a finite number"),
                ("narrow NPY", Self.npy([[1, 2, 3]], descr: "<f4"), "application/x-npy", "", .badRequest,
                 "samples have 3 features, model 'default' expects 4"),
                ("integer NPY too narrow", Self.npy([[1, 2]], descr: "<i2"), "application/x-npy", "", .badRequest,
                 "samples have 2 features, model 'default' expects 4"),
                ("not NPY", ByteBuffer(string: "{'descr': '<f4'} not an array"), "application/x-npy", "", .badRequest, "request body"),
                ("text", ByteBuffer(string: "1,2,3,4"), "text/plain", "", .unsupportedMediaType,
                 "POST /v1/predict needs Content-Type application/json, application/x-npy or application/octet-stream, not Content-Type 'text/plain'"),
            ]
            for (name, body, type, query, status, message) in cases {
                let response = try await post(client, body, type: type, query: query)
                #expect(response.status == status, "\(name): \(response.text)")
                #expect(response.errorMessage?.contains(message) == true, "\(name): \(response.errorMessage ?? response.text)")
            }
            // An integer NPY of the right width is read as its values.
            let values: [[Float]] = [[0, 0, 0, 0], [3, 3, 3, 3], [-7, 1, 300, 2]]
            let integers = try await post(client, Self.npy(values, descr: "<i2"), type: "application/x-npy")
            let floats = try await post(client, Self.json(values) { $0.description }, type: "application/json")
            #expect(integers.status == .ok && integers.text == floats.text, "\(integers.text)")
        }
    }
}

/// The JSON body reader on its own: numbers as `strtof` reads them, and every fault named.
struct PredictJSONReaderTests {
    func read(_ text: String, maxRows: Int = 100) throws(APIError) -> Matrix {
        var bytes = Array(text.utf8)
        let count = bytes.count
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(APIError) in
            try PredictJSONReader.rows(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count), maxRows: maxRows)
        }
    }

    @Test func numbersAreTheNearestFloat() throws {
        var rng = SeededRNG(seed: 11)
        var spellings: [String] = ["0", "-0", "0.0", "1", "-1", "255", "16777217", "0.1", "1e0", "1E+2", "2.5e-3", "0e99",
                                   "123456789012345678901234567890", "0.000000000000000000000000000000000000000000001",
                                   "3.4028234663852886e+38", "-3.4028235e38", "1.17549435e-38", "7e-46", "9999999",
                                   "0.30000001192092896", "100000000000000000000000000000000000000"]
        for _ in 0..<2000 {
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let value = Float(bitPattern: bits)
            guard value.isFinite else { continue }
            spellings += [value.description, String(format: "%.17g", Double(value)), String(format: "%.6e", Double(value)),
                          String(Int(rng.next() % 100_000)), String(format: "%.4f", Double(Int(rng.next() % 1_000_000)) / 1000)]
        }
        for spelling in spellings {
            let expected = strtof(spelling, nil)
            let read = try read(#"{"x":[["# + spelling + "]]}")
            #expect(read.storage[0].bitPattern == expected.bitPattern, "\(spelling): \(read.storage[0]) vs \(expected)")
        }
    }

    @Test func layoutAndEscapesAreJSONs() throws {
        let body = "\u{FEFF}{\n \"\\u0078\" :\t[ [1 ,2] ,\r\n[3,4]]\n}\n"
        let x = try read(body)
        #expect(x.rows == 2 && x.cols == 2 && x.storage == [1, 2, 3, 4])
    }

    @Test func faultsAreNamed() {
        let cases: [(String, String)] = [
            (#"{"x":[[01]]}"#, "expected ',' or ']' in x[0] at byte 8, found '1'"),
            (#"{"x":[[1.]]}"#, "expected a digit after '.' at byte 9"),
            (#"{"x":[[.5]]}"#, "x[0][0]: expected a number"),
            (#"{"x":[[+1]]}"#, "x[0][0]: expected a number"),
            (#"{"x":[[1e]]}"#, "expected a digit in the exponent"),
            (#"{"x":[[-]]}"#, "x[0][0]: expected a number"),
            (#"{"x":[[NaN]]}"#, "x[0][0]: expected a number"),
            (#"{"x":[[1e39]]}"#, "x[0][0]: must be between -3.4028234663852886e+38 and 3.4028234663852886e+38"),
            (#"{"x":[[-1e400]]}"#, "x[0][0]: must be between"),
            (#"{"x":[[1]]} x"#, "expected the end of the body at byte 12, found 'x'"),
            (#"{"x":[[1]],}"#, "expected a field name in quotes"),
            (#"{"x":[[1]],"x":[[2]]}"#, "x: appears twice"),
            (#"{"x":[[1],[2,3]]}"#, "x[1] has more than 1 features, x[0] has 1"),
            (#"{"x":[[1]]"#, "expected ',' or '}' in the object at byte 10, found the end of the body"),
            (#"{"x":[[1]"#, "expected ',' or ']' in x at byte 9"),
            (#"{"x":{"a":1}}"#, "x: expected an array of rows"),
            (#"{"x":[[true]]}"#, "x[0][0]: expected a number"),
            (#"{"x\u":1}"#, "invalid escape"),
            ("[1]", "expected a JSON object at byte 0, found '['"),
            ("", "expected a JSON object at byte 0, found the end of the body"),
            (#"{"x":[[1],[2],[3]]}"#, "x: must hold at most 2 rows"),
        ]
        for (body, message) in cases {
            do {
                _ = try read(body, maxRows: 2)
                Issue.record("\(body) was read")
            } catch {
                #expect(error.status == .badRequest, "\(body)")
                #expect(error.message.contains(message), "\(body): \(error.message)")
            }
        }
    }
}

/// Labels in hand-written answers are the JSON strings Foundation's encoder writes.
struct JSONLiteralTests {
    @Test func labelsAreEscapedAsJSONEncoderEscapesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for label in ["cat", "say \"hi\"", #"back\slash"#, "tab\there", "line\nbreak", "bell\u{07}", "nul\u{0}", "é 日本 🐈", "a/b", "\u{1F}\r\u{08}\u{0C}"] {
            let written = String(decoding: JSONLiteral.string(label), as: UTF8.self)
            #expect(try JSONDecoder().decode(String.self, from: Data(written.utf8)) == label, "\(label)")
            #expect(written == String(decoding: try encoder.encode(label), as: UTF8.self), "\(label): \(written)")
        }
    }
}
