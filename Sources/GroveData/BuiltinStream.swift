/// The built-in streams, embedded so that `grove demo` runs them from anywhere.
///
/// ``yaml`` is the text of `jobs/<name>.yaml`, byte for byte (a test checks it), so the binary
/// never reads `jobs/` at run time.
///
/// ```swift
/// let manifest = try BuiltinStream.splitFashionMNIST.manifest()
/// var registry = LabelRegistry()
/// let first = try manifest.domains[0].materialize(registry: &registry)
/// ```
public enum BuiltinStream: String, Sendable, CaseIterable {
    /// Five domains of two Fashion-MNIST classes each, class-incremental.
    case splitFashionMNIST = "split-fashion-mnist"
    /// Five domains of all ten classes; domain i > 0 permutes the pixels with seed i.
    case permutedFashionMNIST = "permuted-fashion-mnist"

    /// The directory the built-in manifests read their data from (Debian `dataset-fashion-mnist`).
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// The stream's name, as `grove demo --stream NAME` takes it.
    public var name: String { rawValue }

    /// The manifest file name in `jobs/`.
    public var fileName: String { "\(rawValue).yaml" }

    /// The stream named `name`, or `nil`.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// The parsed, validated manifest.
    /// - Throws: ``ManifestError`` (never for the embedded text, which the tests parse).
    public func manifest() throws -> JobManifest {
        try JobManifest.parse(yaml, file: fileName)
    }

    /// The manifest's YAML text, identical to `jobs/<name>.yaml`.
    public var yaml: String {
        switch self {
        case .splitFashionMNIST: Self.splitYAML
        case .permutedFashionMNIST: Self.permutedYAML
        }
    }

    private static let splitYAML = #"""
        # The split Fashion-MNIST stream: five domains of two classes each,
        # learned one after another. Class-incremental: evaluation covers every class seen so far and
        # no domain id is given at test time. Validated against schemas/job.schema.json.
        name: split-fashion-mnist
        model: default
        description: Fashion-MNIST split into five domains of two classes each (class-incremental).
        domains:
          - name: tshirt-trouser
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              classes: [0, 1]
          - name: pullover-dress
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              classes: [2, 3]
          - name: coat-sandal
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              classes: [4, 5]
          - name: shirt-sneaker
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              classes: [6, 7]
          - name: bag-boot
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              classes: [8, 9]

        """#

    private static let permutedYAML = #"""
        # The permuted Fashion-MNIST stream: five domains with the same ten
        # labels. Domain 0 is the identity; domain i > 0 reorders all 784 pixels with the fixed
        # permutation PixelPermutation.make(seed: i, count: 784) (seeded Fisher-Yates).
        # Domain-incremental. Validated against schemas/job.schema.json.
        name: permuted-fashion-mnist
        model: default
        description: Fashion-MNIST in five domains, each a fixed pixel permutation of the images (domain-incremental).
        domains:
          - name: permuted-0
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
          - name: permuted-1
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              permutation_seed: 1
          - name: permuted-2
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              permutation_seed: 2
          - name: permuted-3
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              permutation_seed: 3
          - name: permuted-4
            source:
              format: idx
              path: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
              labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
              test_path: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
              test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
              permutation_seed: 4

        """#
}
