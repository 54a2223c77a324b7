import DLCore

extension PythonExport {
    /// `features …` as a step of the scripts: each cross a pandas expression on the raw columns,
    /// appended as dl appends it.
    static func featureStepLines(_ name: String, _ crosses: [FeatureCross]) -> [String] {
        var lines = ["def \(name)(train, test):",
                     "    \"\"\"features \(quotedLiteralBody(crosses.map { $0.name }.joined(separator: ", "))): new columns computed from the raw ones.\"\"\"",
                     "    def apply(frame):",
                     "        frame = frame.copy()"]
        for cross in crosses { lines.append("        frame[\(quotedLiteral(cross.name))] = \(cross.pandas)") }
        lines += ["        return frame", "    return apply(train), apply(test)"]
        return lines
    }
}
