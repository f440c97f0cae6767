import Foundation
import GroveNumerics
import Testing

@Test func floatsAreStoredAsLittleEndianBytesAndComeBackBitForBit() throws {
    let values: [Float] = [1, -0.0, .infinity, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                           Float(bitPattern: 0x7FC0_1234), 3.14159]
    let data = FloatCoding.data(values)
    #expect(data.count == values.count * 4)
    #expect(Array(data.prefix(4)) == [0x00, 0x00, 0x80, 0x3F], "1.0 is 0x3F800000, least significant byte first")
    let back = try #require(FloatCoding.floats(data))
    #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
    // A slice that does not start at index 0 decodes the same.
    #expect(FloatCoding.floats((Data([9]) + data).dropFirst())?.map(\.bitPattern) == values.map(\.bitPattern))
    #expect(FloatCoding.floats(data.dropLast()) == nil, "a byte count that is not a multiple of 4")
    #expect(FloatCoding.floats(Data()) == [])
}
