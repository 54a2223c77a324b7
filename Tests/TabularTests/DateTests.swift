import XCTest
@testable import Tabular

/// ISO dates: which cells are dates, the parts `encode date` makes of them (as pandas' `dt`
/// gives them), and the load-time errors for a date that is not one and for mixed formats.
final class DateTests: XCTestCase {
    func testISODatesAndDateTimesParse() throws {
        let date = try XCTUnwrap(ISODate.parse("2012-01-31"))
        XCTAssertEqual([date.year, date.month, date.day, date.hour], [2012, 1, 31, 0])
        XCTAssertFalse(date.hasTime)
        let time = try XCTUnwrap(ISODate.parse("2012-01-31 14:05"))
        XCTAssertEqual([time.hour, time.minute], [14, 5])
        XCTAssertTrue(time.hasTime)
        let zulu = try XCTUnwrap(ISODate.parse("2012-01-31T14:00:30.25Z"))
        XCTAssertEqual(zulu.second, 30.25)
        // The offset is checked, not applied: the parts are the ones written, as pandas gives them.
        XCTAssertEqual(ISODate.parse("2012-01-31T23:00:00+02:00")?.hour, 23)
        XCTAssertEqual(ISODate.parse("2012-01-31T23:00:00-0130")?.day, 31)
        XCTAssertEqual(ISODate.parse("2012-02-29")?.dayOfYear, 60, "2012 is a leap year")
        for bad in ["2012-02-30", "2011-02-29", "1900-02-29", "2012-13-01", "2012-00-10", "2012-1-5", "2012-01-31T", "2012-01-31 24:00",
                    "2012-01-31 14:60", "2012-01-31T14:00:00+25:00", "2012-01-31T14:00Z0", "20120131", "0000-01-01", "2012/01/31", " 2012-01-31"] {
            XCTAssertNil(ISODate.parse(bad), bad)
        }
        XCTAssertNotNil(ISODate.parse("2000-02-29"), "2000 is a leap year (divisible by 400)")
    }

    func testWeekdayAndDayOfYearMatchPandas() throws {
        // pandas: pd.Timestamp(d).dayofweek, .dayofyear, and (d - 1970-01-01).days
        let expected: [(String, Int, Int, Int)] = [
            ("1970-01-01", 3, 1, 0), ("2012-01-01", 6, 1, 15340), ("2015-12-31", 3, 365, 16800),
            ("2016-12-31", 5, 366, 17166), ("1601-01-01", 0, 1, -134774), ("1969-12-31", 2, 365, -1),
            ("2400-02-29", 1, 60, 157_113), ("0001-01-01", 0, 1, -719_162),
        ]
        for (text, weekday, dayOfYear, days) in expected {
            let date = try XCTUnwrap(ISODate.parse(text))
            XCTAssertEqual(date.weekday, weekday, text)
            XCTAssertEqual(date.dayOfYear, dayOfYear, text)
            XCTAssertEqual(date.days, days, text)
        }
        XCTAssertEqual(ISODate.parse("1970-01-02 01:00:01.5")?.secondsSinceEpoch, 86_400 + 3601.5)
    }

    func testCellsOfOtherDateFormatsAreToldFromText() {
        XCTAssertEqual(DateCell("31/01/2012"), .otherFormat)
        XCTAssertEqual(DateCell("1/31/12"), .otherFormat)
        XCTAssertEqual(DateCell("31.01.2012 14:00"), .otherFormat)
        XCTAssertEqual(DateCell("2012/01/31"), .otherFormat)
        XCTAssertEqual(DateCell("2012-1-5"), .otherFormat)
        XCTAssertEqual(DateCell("2012-02-30"), .impossible)
        XCTAssertEqual(DateCell("2012-01-31 25:00"), .impossible)
        for text in ["1.5", "12", "abc", "3.40.15", "1/2", "2012-01", "N/A"] { XCTAssertEqual(DateCell(text), .notADate, text) }
    }

    private func table(_ cells: [String?], name: String = "d") -> Table {
        Table(columns: [Column(name: name, data: .text(cells)), Column(name: "y", data: .numeric(NumericColumn(cells.map { _ in 1 })))],
              rowCount: cells.count, source: "t.csv")
    }

    func testADateColumnKnowsItsRange() throws {
        let column = Column(name: "d", data: .text(["2013-05-01", nil, "2012-01-31 14:00", "2014-12-31"]))
        let dates = try XCTUnwrap(column.dates)
        XCTAssertEqual(dates.count, 3)
        XCTAssertEqual(dates.firstText, "2012-01-31 14:00")
        XCTAssertEqual(dates.lastText, "2014-12-31")
        XCTAssertTrue(dates.hasTime)
        XCTAssertEqual(column.textTreatment, .date)
        XCTAssertNil(Column(name: "d", data: .text(["2013-05-01", "soon"])).dates)
        XCTAssertNil(Column(name: "d", data: .text([nil, nil])).dates)
        XCTAssertNil(Column(name: "d", data: .numeric([2012])).dates)
    }

    func testAMalformedDateInADateColumnIsNamedByItsLine() {
        let cells: [String?] = ["2012-01-01", "2012-01-02", "2012-02-30", "2012-01-04", "tomorrow"]
        XCTAssertThrowsError(try table(cells).checkDateColumns(except: "y")) { error in
            XCTAssertEqual((error as? TabularError)?.message,
                           "column 'd' holds dates, but line 4 of 't.csv' has '2012-02-30', which is not a real date or time")
        }
        XCTAssertThrowsError(try table(["2012-01-01", "soon", "2012-01-03"]).checkDateColumns(except: "y")) { error in
            XCTAssertEqual((error as? TabularError)?.message, "column 'd' holds dates, but line 3 of 't.csv' has 'soon', which is not a date")
        }
        // Mostly text: a text column with a date in it is text, not an error.
        XCTAssertEqual(try table(["a", "b", "2012-01-01"]).checkDateColumns(except: "y"), [])
        // The target is not checked (its cells are classes).
        XCTAssertEqual(try table(["2012-01-01", "x", "2012-01-01"], name: "y").checkDateColumns(except: "y"), [])
    }

    func testMixedDateFormatsAreAnErrorNamingOneLineOfEach() {
        XCTAssertThrowsError(try table(["2012-01-31", "2012-02-01", "01/02/2012"]).checkDateColumns(except: "y")) { error in
            XCTAssertEqual((error as? TabularError)?.message,
                           "column 'd' mixes date formats: line 2 of 't.csv' has '2012-01-31' (YYYY-MM-DD) but line 4 has '01/02/2012'")
        }
        // Dates written only another way stay text, with a note that says why.
        let notes = try? table(["31/01/2012", "01/02/2012"]).checkDateColumns(except: "y")
        XCTAssertEqual(notes, ["column 'd' holds dates written like '31/01/2012' (line 2); dl reads dates written YYYY-MM-DD (ISO 8601), so it stays text"])
    }

    func testEncodingMakesThePartsAtTheColumnsPlace() throws {
        var table = Table(columns: [Column(name: "a", data: .numeric([1, 2, 3])),
                                    Column(name: "when", data: .text(["2012-01-31", nil, "2016-12-31 23:30"])),
                                    Column(name: "y", data: .numeric([0, 1, 0]))], rowCount: 3, source: "t.csv")
        let encoding = try DateEncoding.fit(table, column: "when", cyclic: true)
        XCTAssertEqual(encoding.newColumnNames, ["when_year", "when_month", "when_day", "when_weekday", "when_dayofyear", "when_hour",
                                                 "when_month_sin", "when_month_cos", "when_weekday_sin", "when_weekday_cos"])
        try encoding.apply(to: &table)
        XCTAssertEqual(table.columnNames, ["a"] + encoding.newColumnNames + ["y"])
        func values(_ name: String) -> [Double] {
            guard case .numeric(let v)? = table.column(named: name)?.data else { return [] }
            return Array(v)
        }
        XCTAssertEqual(values("when_year")[0], 2012)
        XCTAssertTrue(values("when_year")[1].isNaN, "a missing date gives missing parts")
        XCTAssertEqual(values("when_weekday")[2], 5, "2016-12-31 was a Saturday")
        XCTAssertEqual(values("when_dayofyear")[2], 366)
        XCTAssertEqual(values("when_hour")[2], 23)
        XCTAssertEqual(values("when_month_sin")[0], 0, accuracy: 1e-12)
        XCTAssertEqual(values("when_month_cos")[2], cos(2 * .pi * 11 / 12), accuracy: 1e-6)
        XCTAssertEqual(try DateEncoding.fit(Table(columns: [Column(name: "d", data: .text(["2012-01-01"]))], rowCount: 1, source: "t"),
                                            column: "d", cyclic: false).parts, [.year, .month, .day, .weekday, .dayofyear])
    }

    func testEncodingRefusesWhatIsNotADateColumnAndNewRowsThatAreNotDates() throws {
        let text = Table(columns: [Column(name: "d", data: .text(["2012-01-01", "later"]))], rowCount: 2, source: "t.csv")
        XCTAssertThrowsError(try DateEncoding.fit(text, column: "d", cyclic: false)) { error in
            XCTAssertEqual((error as? TabularError)?.message, "column 'd' is not a date column: line 3 has 'later'")
        }
        let numbers = Table(columns: [Column(name: "d", data: .numeric([2012]))], rowCount: 1, source: "t.csv")
        XCTAssertThrowsError(try DateEncoding.fit(numbers, column: "d", cyclic: false))
        let encoding = DateEncoding(column: "d", parts: [.year])
        var row = Table(columns: [Column(name: "d", data: .text(["2016-13-01"]))], rowCount: 1, source: "predict")
        XCTAssertThrowsError(try encoding.apply(to: &row)) { error in
            XCTAssertEqual((error as? TabularError)?.message, "'2016-13-01' in 'd' is not a date")
        }
        var rows = Table(columns: [Column(name: "d", data: .text(["2016-01-01", "31/01/2016"]))], rowCount: 2, source: "new.csv")
        XCTAssertThrowsError(try encoding.apply(to: &rows)) { error in
            XCTAssertEqual((error as? TabularError)?.message, "line 3 of 'new.csv': '31/01/2016' in 'd' is not a date")
        }
        XCTAssertEqual(rows.columnNames, ["d"], "nothing changed")
    }
}
