import Foundation

/// Fast parsing of the timestamps GRDB writes (`YYYY-MM-DD HH:MM:SS.SSS`, UTC).
///
/// GRDB's general date decoding goes through `Calendar`, which costs tens of microseconds per
/// value on Linux; reports that fetch a thousand experts spend most of their time there.
/// Days from the civil date follow Howard Hinnant's `days_from_civil` algorithm
/// (https://howardhinnant.github.io/date_algorithms.html).
enum StoreTimestamp {
    /// The date written as `text`, or `nil` when it is not exactly in GRDB's format.
    static func parse(_ text: String) -> Date? {
        var utf8 = text.utf8.makeIterator()
        func number(_ digits: Int, then separator: UInt8?) -> Int? {
            var value = 0
            for _ in 0..<digits {
                guard let byte = utf8.next(), (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            if let separator {
                guard utf8.next() == separator else { return nil }
            }
            return value
        }
        guard let year = number(4, then: 45), let month = number(2, then: 45), let day = number(2, then: 32),
              let hour = number(2, then: 58), let minute = number(2, then: 58), let second = number(2, then: nil),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var milliseconds = 0
        if let dot = utf8.next() {
            guard dot == 46, let fraction = number(3, then: nil), utf8.next() == nil else { return nil }
            milliseconds = fraction
        }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + Double(milliseconds) / 1000
        return Date(timeIntervalSince1970: seconds)
    }
}
