/// A grow-only scratch buffer of `Float`s owned by one trainer or predictor.
///
/// Hot loops need stable raw pointers that several workers can write through at once (each to
/// its own buffer) without Swift's exclusivity checks on array elements; this class is that
/// pointer plus its capacity. It is not thread-safe by itself: one buffer, one writer.
final class FloatBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    convenience init(copying values: [Float]) {
        self.init(capacity: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` elements; contents are not preserved when it grows.
    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        return pointer
    }

    /// Gives the memory back, keeping room for one element.
    func release() {
        guard capacity > 1 else { return }
        pointer.deallocate()
        capacity = 1
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    /// The first `count` elements as an array.
    func array(count: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}

/// A grow-only scratch buffer of `Int32`s; see `FloatBuffer`.
final class IndexBuffer {
    private(set) var pointer: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit { pointer.deallocate() }

    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        return pointer
    }
}
