import Foundation
import GroveLearning

/// `--settings FILE` of `grove demo` and `grove bench --stream`: a JSON object of the learner
/// settings to change, the others keeping their values in `base`.
/// - Throws: ``LifelongConfigError`` naming the file and what is wrong with it.
func learnerSettings(from path: String, over base: LifelongConfig) throws -> LifelongConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw LifelongConfigError(description: "\(path): cannot be read")
    }
    return try base.overriding(with: data, source: path)
}
