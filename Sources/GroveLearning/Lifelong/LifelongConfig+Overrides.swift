import Foundation
import GroveNumerics

/// Why a settings file could not be applied.
public struct LifelongConfigError: GroveError, Equatable {
    /// The one-line explanation.
    public let description: String

    /// An error explained by `description`.
    public init(description: String) {
        self.description = description
    }
}

extension LifelongConfig {
    /// These settings with the keys of the JSON object `json` replaced: any subset of the
    /// settings, nested objects (`moe`, `detector`) merged key by key, so that
    /// `{"gateLearningRate": 5e-4}` changes one knob and keeps every other default.
    /// - Throws: ``LifelongConfigError`` naming an unknown key, a value of the wrong type or out
    ///   of its range (``firstInvalidSetting``), or text that is not a JSON object.
    public func overriding(with json: Data, source: String) throws(LifelongConfigError) -> LifelongConfig {
        let overrides: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
                throw LifelongConfigError(description: "\(source): settings must be one JSON object")
            }
            overrides = object
        } catch let error as LifelongConfigError {
            throw error
        } catch {
            throw LifelongConfigError(description: "\(source): not JSON (\(error.localizedDescription))")
        }
        do {
            let defaults = try JSONEncoder().encode(self)
            guard let base = try JSONSerialization.jsonObject(with: defaults) as? [String: Any] else {
                throw LifelongConfigError(description: "\(source): the settings could not be encoded")
            }
            let merged = try Self.merge(overrides, into: base, path: "", source: source)
            let config = try JSONDecoder().decode(LifelongConfig.self, from: JSONSerialization.data(withJSONObject: merged))
            if let problem = config.firstInvalidSetting { throw LifelongConfigError(description: "\(source): \(problem)") }
            return config
        } catch let error as LifelongConfigError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw LifelongConfigError(description: "\(source): field '\(key)' has a value of the wrong type")
        } catch {
            throw LifelongConfigError(description: "\(source): \(error.localizedDescription)")
        }
    }

    private static func merge(_ overrides: [String: Any], into base: [String: Any], path: String, source: String) throws -> [String: Any] {
        var out = base
        for (key, value) in overrides {
            let field = path.isEmpty ? key : "\(path).\(key)"
            guard let current = base[key] else {
                throw LifelongConfigError(description: "\(source): unknown field '\(field)'; the fields are \(base.keys.sorted().joined(separator: ", "))")
            }
            if let nested = value as? [String: Any], let nestedBase = current as? [String: Any] {
                out[key] = try merge(nested, into: nestedBase, path: field, source: source)
            } else {
                out[key] = value
            }
        }
        return out
    }
}
