import Foundation
import GroveData
import GroveModel
import GroveNumerics
@testable import GroveService
import Logging
import Testing

/// `grove versions` and `grove export`: the versions view, and safetensors files whose tensors
/// are the model's weights and whose description reproduces its predictions.
@Suite struct VersionExportTests {
    /// A parsed safetensors file: each tensor's dtype, shape and bytes, and the metadata.
    struct Parsed {
        var tensors: [String: (dtype: String, shape: [Int], bytes: Data)] = [:]
        var metadata: [String: String] = [:]

        init(_ data: Data) throws {
            let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian })
            #expect((8 + length) % 8 == 0, "tensors start aligned")
            let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + length)) as? [String: Any])
            var covered = 0
            for (name, value) in header {
                if name == "__metadata__" { metadata = try #require(value as? [String: String]); continue }
                let entry = try #require(value as? [String: Any])
                let offsets = try #require(entry["data_offsets"] as? [Int])
                covered += offsets[1] - offsets[0]
                tensors[name] = (try #require(entry["dtype"] as? String), try #require(entry["shape"] as? [Int]),
                                 data.subdata(in: 8 + length + offsets[0] ..< 8 + length + offsets[1]))
            }
            #expect(covered == data.count - 8 - length, "the tensors cover the data exactly")
        }

        func floats(_ name: String) throws -> [Float] {
            let t = try #require(tensors[name], "\(name)")
            #expect(t.dtype == "F32" && t.bytes.count == 4 * t.shape.reduce(1, *))
            return t.bytes.withUnsafeBytes { raw in (0 ..< t.bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
        }

        func ints(_ name: String) throws -> [Int32] {
            let t = try #require(tensors[name], "\(name)")
            #expect(t.dtype == "I32")
            return t.bytes.withUnsafeBytes { raw in (0 ..< t.bytes.count / 4).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) } }
        }
    }

    /// `y = x Wᵀ + b` in Double, the plain way.
    static func linear(_ x: [Double], _ w: [Float], _ b: [Float], relu: Bool) -> [Double] {
        (0 ..< b.count).map { o in
            var sum = Double(b[o])
            for i in x.indices { sum += Double(w[o * x.count + i]) * x[i] }
            return relu ? max(sum, 0) : sum
        }
    }

    static func softmax(_ v: [Double]) -> [Double] {
        let m = v.max() ?? 0
        let e = v.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// The label and first expert of `row`, computed from the file alone as its description says.
    static func reference(_ row: [Float], file: Parsed, description d: WeightsExport.Description) throws -> (label: String, expert: Int) {
        var gx: [Double]
        let input = d.gate.input
        if input.kind == "row-standardized" {
            let x = row.map(Double.init)
            let mean = x.reduce(0, +) / Double(x.count)
            let std = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot()
            let clamp = Double(try #require(input.clamp)), gain = Double(try #require(input.gain))
            func clamped(_ v: Double) -> Double { min(max(v, -clamp), clamp) }
            if std > 1e-6 * max(1, abs(mean)) {
                gx = x.map { ($0 - mean) / std }
                gx.append(clamped((Foundation.log(std) - Double(input.logScaleMean ?? 0)) / Double(input.logScaleStd ?? 1)) * gain)
                gx.append(clamped((mean / std - Double(input.offsetMean ?? 0)) / Double(input.offsetStd ?? 1)) * gain)
            } else {
                gx = [Double](repeating: 0, count: x.count) + [-clamp * gain, 0]
            }
        } else {
            gx = row.map { (Double($0) - Double(input.mean ?? 0)) / Double(input.std ?? 1) }
        }
        if d.gate.hidden > 0 { gx = linear(gx, try file.floats("gate.w1"), try file.floats("gate.b1"), relu: true) }
        let logits = linear(gx, try file.floats("gate.w2"), try file.floats("gate.b2"), relu: false)
        let chosen = logits.indices.sorted { logits[$0] > logits[$1] }.prefix(d.topK)
        let weights = softmax(chosen.map { logits[$0] })
        var probabilities = [Double](repeating: 0, count: d.labels.count)
        for (weight, gateRow) in zip(weights, chosen) {
            let expert = d.experts[gateRow]
            let prefix = "experts.\(expert.id)."
            let x = row.map { (Double($0) - Double(expert.normalization.mean)) / Double(expert.normalization.std) }
            let hidden = linear(x, try file.floats(prefix + "w1"), try file.floats(prefix + "b1"), relu: true)
            let p = softmax(linear(hidden, try file.floats(prefix + "w2"), try file.floats(prefix + "b2"), relu: false))
            for (o, cls) in try file.ints(prefix + "classes").enumerated() { probabilities[Int(cls)] += weight * p[o] }
        }
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        return (d.labels[best] ?? String(best), d.gate.experts[try #require(chosen.first)])
    }

    @Test func versionsListEachPhaseAndEveryVersionExportsItsOwnWeights() async throws {
        let temp = TemporaryHome()
        let daemon = try await daemonWithTwoVersions(home: temp.home)
        let views = HomeViews(store: daemon.store, hosts: daemon.hosts)

        let versions = try await views.versions(model: "default")
        #expect(versions.map(\.number) == [1, 2] && versions.map(\.phase) == [0, 1] && versions.map(\.serving) == [false, true])
        #expect(versions.map(\.experts) == [1, 2] && versions.map(\.newExperts) == [1, 1] && versions.map(\.domains) == [1, 2])
        // Accuracies are the evaluation rows': the latest version's on each domain is what `grove domains` shows.
        let domains = try await views.domains(model: "default")
        #expect(versions.map(\.domain) == domains.map(\.name))
        #expect(versions[1].domainAccuracy == domains[1].accuracy)
        let latest = domains.compactMap(\.accuracy)
        #expect(latest.count == 2 && versions[1].meanAccuracy == latest.reduce(0, +) / 2)
        #expect(versions[0].meanAccuracy == versions[0].domainAccuracy && versions[0].domainAccuracy != nil)
        #expect(versions[0].domain != versions[1].domain && versions.map(\.job) == [1, 2])

        let host = try await defaultHost(daemon)
        let rows = csv(classes: [0, 1, 2, 3], region: 1, rows: 50, seed: 9) + csv(classes: [2, 3], region: 2, rows: 50, seed: 10).split(separator: "\n").dropFirst().joined(separator: "\n")
        let samples = try CSVReader.read(bytes: Array(rows.utf8), name: "rows.csv")
        for number in [1, 2] {
            let file = try Parsed(try await views.weights(model: "default", version: number))
            let description = try JSONDecoder().decode(WeightsExport.Description.self, from: Data(try #require(file.metadata[WeightsExport.metadataKey]).utf8))
            let model = try #require(try await host.model(version: number, from: daemon.store)).model
            #expect(description.version == number && description.inputs == 12 && description.experts.count == number)
            #expect(try file.floats("gate.w2") + file.floats("gate.b2") == Array(model.gate.parameters.suffix(from: model.gate.shape.outputWeight)))
            for expert in model.experts {
                let p = "experts.\(expert.id)."
                let exported = try file.floats(p + "w1") + file.floats(p + "b1") + file.floats(p + "w2") + file.floats(p + "b2")
                #expect(exported.map(\.bitPattern) == expert.parameters.map(\.bitPattern), "expert \(expert.id) of version \(number)")
                #expect(try file.ints(p + "classes") == expert.classes)
            }
            // The file alone, computed the plain way, predicts what Grove predicts.
            let predictor = try MoEPredictor(model: model)
            let matrix = Matrix(rows: samples.count, cols: 12, storage: samples.features)
            let classes = try predictor.classify(matrix)
            let firstExperts = samples.features.withUnsafeBufferPointer { x in
                predictor.predict(x: x.baseAddress!, rows: samples.count) { _, chosen in
                    (0 ..< samples.count).map { model.experts[Int(chosen[$0 * chosen.count / samples.count])].id }
                }
            }
            var agree = (labels: 0, experts: 0)
            for r in 0 ..< samples.count {
                let expected = try Self.reference(Array(samples.features[r * 12 ..< (r + 1) * 12]), file: file, description: description)
                if expected.label == description.labels[Int(classes[r])] { agree.labels += 1 }
                if expected.expert == firstExperts[r] { agree.experts += 1 }
            }
            #expect(agree.labels == samples.count && agree.experts == samples.count, "version \(number): \(agree) of \(samples.count) agree")
        }
        await #expect(throws: ServiceError.unknownVersion(number: 3, model: "default")) {
            try await views.weights(model: "default", version: 3)
        }
    }
}
