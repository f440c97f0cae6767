import Testing
@testable import GroveService

/// The watch's window keeps its first rows, then a uniform sample of all rows offered.
struct RowReservoirTests {
    /// `count` rows of width 2 whose features are the row's index and its negation.
    static func rows(_ range: Range<Int>) -> [Float] {
        range.flatMap { [Float($0), -Float($0)] }
    }

    @Test func theFirstRowsFillItInOrder() {
        var window = RowReservoir(capacity: 4, width: 2, seed: 1)
        window.offer(Self.rows(0..<3), 0..<3)
        #expect(!window.isFull && window.count == 3)
        window.offer(Self.rows(0..<10), 3..<5)
        #expect(window.isFull && window.offered == 5)
        // The fifth row replaced one of the first four or none; the others stay in order.
        let kept = stride(from: 0, to: 8, by: 2).map { Int(window.storage[$0]) }
        #expect(kept.filter { $0 != 4 } == (0..<4).filter { kept.contains($0) } && kept.filter { $0 == 4 }.count <= 1, "\(kept)")
        let taken = window.take()
        #expect(taken.count == 8 && window.count == 0 && window.offered == 0 && window.storage.isEmpty)
    }

    @Test func aTestedWindowsBufferIsFilledAgainWithoutAllocating() {
        var window = RowReservoir(capacity: 4, width: 2, seed: 1)
        window.offer(Self.rows(0..<4), 0..<4)
        var taken = window.take()
        let address = taken.withUnsafeBufferPointer { $0.baseAddress }
        taken.removeAll(keepingCapacity: true)
        window.recycle(taken)
        taken = []
        window.offer(Self.rows(10..<14), 0..<4)
        #expect(window.storage == Self.rows(10..<14))
        #expect(window.storage.withUnsafeBufferPointer { $0.baseAddress } == address)
        // A buffer that still holds rows, or is too small, is not taken.
        var other = RowReservoir(capacity: 4, width: 2, seed: 1)
        other.recycle(Self.rows(0..<4))
        other.recycle([])
        other.offer(Self.rows(0..<1), 0..<1)
        #expect(other.storage == Self.rows(0..<1))
    }

    @Test func upToItsLimitEveryTestedBufferIsKeptForLaterWindows() {
        var window = RowReservoir(capacity: 2, width: 2, seed: 1, keptSpares: 2)
        var addresses: [UnsafePointer<Float>?] = []
        var buffers: [[Float]] = []
        for start in [0, 2, 4] {
            window.offer(Self.rows(start..<(start + 2)), 0..<2)
            var taken = window.take()
            addresses.append(taken.withUnsafeBufferPointer { $0.baseAddress })
            taken.removeAll(keepingCapacity: true)
            buffers.append(taken)
        }
        for buffer in buffers { window.recycle(buffer) }
        buffers = []
        // The third is not kept: two are the limit. The two kept serve the next two windows.
        var reused: [UnsafePointer<Float>?] = []
        for start in [10, 12, 14] {
            window.offer(Self.rows(start..<(start + 2)), 0..<2)
            #expect(window.storage == Self.rows(start..<(start + 2)))
            reused.append(window.storage.withUnsafeBufferPointer { $0.baseAddress })
            _ = window.take()
        }
        #expect(Set(reused.prefix(2)) == Set(addresses.prefix(2)), "the first two windows fill the kept buffers")
    }

    @Test func pastCapacityItIsAUniformSampleOfEveryRow() {
        let (capacity, offered) = (256, 20_000)
        var means: [Double] = []
        var lateShares: [Double] = []
        for seed in 0..<20 {
            var window = RowReservoir(capacity: capacity, width: 2, seed: UInt64(seed))
            let all = Self.rows(0..<offered)
            var start = 0
            // In uneven pieces, as requests come.
            for piece in [1, 300, 7, 5000, 1, 1, 9000] + [offered] {
                let end = min(offered, start + piece)
                window.offer(all, start..<end)
                start = end
                if start == offered { break }
            }
            #expect(window.isFull && window.offered == offered && window.storage.count == capacity * 2)
            let indices = stride(from: 0, to: window.storage.count, by: 2).map { Int(window.storage[$0]) }
            #expect(Set(indices).count == capacity, "no row twice")
            #expect(zip(indices, stride(from: 1, to: window.storage.count, by: 2).map { window.storage[$0] }).allSatisfy { Float(-$0.0) == $0.1 },
                    "rows are copied whole")
            means.append(Double(indices.reduce(0, +)) / Double(capacity))
            lateShares.append(Double(indices.filter { $0 >= offered / 2 }.count) / Double(capacity))
        }
        // A uniform sample of 0..<20 000 has mean 9 999.5 (sd of a window's mean ≈ 360) and half
        // its rows in the second half; a window that kept its first rows would have mean 127.5.
        let mean = means.reduce(0, +) / Double(means.count)
        let late = lateShares.reduce(0, +) / Double(lateShares.count)
        #expect(abs(mean - 9_999.5) < 400, "\(mean)")
        #expect(abs(late - 0.5) < 0.05, "\(late)")
    }
}
