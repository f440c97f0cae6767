/// A job manifest: a named stream of domains submitted as one job.
///
/// Manifests live in `jobs/*.yaml` or `jobs/*.json` and follow `schemas/job.schema.json`
/// (JSON Schema draft 2020-12). Parse one with ``load(path:maxBytes:)`` or ``parse(_:file:baseDirectory:)``,
/// which reject unknown fields, missing fields and bad values with a one-line
/// ``ManifestError`` naming the file and the field path. Turn a domain into data with
/// ``Domain/materialize(registry:expectedDimension:limits:)``.
///
/// ```yaml
/// name: split-fashion-mnist
/// model: default
/// domains:
///   - name: tshirt-trouser
///     source:
///       format: idx
///       path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
///       labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
///       classes: [0, 1]
/// ```
///
/// ## Topics
/// - ``Domain``
/// - ``Source``
/// - ``BuiltinStream``
public struct JobManifest: Sendable, Equatable, Encodable {
    /// The stream's name (`[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 characters).
    public var name: String
    /// The model the stream trains; `"default"` when the manifest omits it.
    public var model: String
    /// A human-readable summary, if any.
    public var description: String?
    /// The domains, in the order they are learned; at least one, names unique.
    public var domains: [Domain]

    /// Creates a manifest; ``validated(file:)`` checks it like a parsed one.
    public init(name: String, model: String = "default", description: String? = nil, domains: [Domain]) {
        self.name = name
        self.model = model
        self.description = description
        self.domains = domains
    }

    /// One domain of a stream: a name and where its samples come from.
    public struct Domain: Sendable, Equatable, Encodable {
        /// The domain's name, unique in the manifest (same pattern as the manifest name).
        public var name: String
        /// Where the domain's samples come from.
        public var source: Source

        /// Creates a domain.
        public init(name: String, source: Source) {
            self.name = name
            self.source = source
        }
    }

    /// A domain's data: files, classes to keep and a fixed transformation.
    ///
    /// Relative paths are resolved against the manifest's directory when parsed.
    public struct Source: Sendable, Equatable, Codable {
        /// The file format; inferred from ``path`` when the manifest omits it.
        public var format: DatasetFormat
        /// The training features file.
        public var path: String
        /// The labels file for ``path`` (required for IDX and NPY).
        public var labels: String?
        /// An optional held-out features file; without it the daemon splits ``path`` (15%, seeded).
        public var testPath: String?
        /// The labels file for ``testPath`` (required with it for IDX and NPY).
        public var testLabels: String?
        /// Label names to keep (integers as decimal strings), or `nil` for all.
        public var classes: [String]?
        /// Seed of a fixed pixel permutation (``PixelPermutation/make(seed:count:)``), or `nil` for none.
        public var permutationSeed: UInt64?
        /// A rotation of square images in degrees (counter-clockwise), or `nil` for none.
        public var rotationDegrees: Double?

        /// Creates a source; `format` defaults to the one inferred from `path`.
        public init(
            format: DatasetFormat, path: String, labels: String? = nil, testPath: String? = nil,
            testLabels: String? = nil, classes: [String]? = nil, permutationSeed: UInt64? = nil,
            rotationDegrees: Double? = nil
        ) {
            self.format = format
            self.path = path
            self.labels = labels
            self.testPath = testPath
            self.testLabels = testLabels
            self.classes = classes
            self.permutationSeed = permutationSeed
            self.rotationDegrees = rotationDegrees
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case format, path, labels, classes
            case testPath = "test_path"
            case testLabels = "test_labels"
            case permutationSeed = "permutation_seed"
            case rotationDegrees = "rotation_degrees"
        }

        /// Decodes a source written by `encode(to:)` (dataset specs); manifests from users go
        /// through ``JobManifest/parse(_:file:baseDirectory:)``, which validates every field.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                format: try c.decode(DatasetFormat.self, forKey: .format),
                path: try c.decode(String.self, forKey: .path),
                labels: try c.decodeIfPresent(String.self, forKey: .labels),
                testPath: try c.decodeIfPresent(String.self, forKey: .testPath),
                testLabels: try c.decodeIfPresent(String.self, forKey: .testLabels),
                classes: try c.decodeIfPresent([String].self, forKey: .classes),
                permutationSeed: try c.decodeIfPresent(UInt64.self, forKey: .permutationSeed),
                rotationDegrees: try c.decodeIfPresent(Double.self, forKey: .rotationDegrees))
        }
    }
}
