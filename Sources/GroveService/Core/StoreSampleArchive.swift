import Foundation
import GroveLearning
import GroveStore

/// A learner's ``SampleArchive`` on the service's store: a phase reads its domains' stored
/// rows and signatures from the store's blobs while it learns, on its own thread.
struct StoreSampleArchive: SampleArchive {
    let store: any Store

    func data(sha256: String) throws -> Data {
        try store.blobBlocking(sha256: sha256)
    }
}
