import Foundation

/// The classic data sets shipped in the repository's `datasets/` folder.
public enum BundledData {
    /// Names accepted by `path(of:)` and `load(_:)`.
    public static let names: [String] = ["iris", "breast_cancer", "digits", "diabetes", "penguins", "seattle", "cars", "airline"]

    /// Target column of each bundled set.
    static let targets: [String: String] = [
        "iris": "species", "breast_cancer": "diagnosis", "digits": "digit",
        "diabetes": "progression", "penguins": "species", "seattle": "weather", "cars": "mpg",
        "airline": "passengers",
    ]

    /// The learning task of each bundled set's target.
    public static func task(of name: String) -> LearningTask? {
        guard targets[name] != nil else { return nil }
        return name == "diabetes" || name == "cars" || name == "airline" ? .regression : .classification
    }

    /// Image shape (height, width, channels) of each row, for sets whose rows are images.
    public static func imageShape(of name: String) -> [Int]? {
        name == "digits" ? [8, 8, 1] : nil
    }

    /// Path of the bundled CSV, from any working directory. Looks in `$DL_DATASETS`, then in
    /// `BIN/../share/dl/datasets` beside the running executable (where scripts/install and
    /// the Debian package put them), then for `datasets/NAME.csv` in the folders above the
    /// executable (a build lives inside the package), then in the repository this source
    /// file was compiled from.
    public static func path(of name: String) throws -> String {
        guard names.contains(name) else { throw unknownName(name) }
        let file = "\(name).csv"
        var places: [String] = []
        if let env = ProcessInfo.processInfo.environment["DL_DATASETS"], !env.isEmpty {
            places.append(env)
        }
        var directory = executableDirectory()
        if let bin = directory, let prefix = parent(of: bin) {
            places.append(prefix + "/share/dl/datasets")
        }
        while let current = directory {
            places.append(current + "/datasets")
            directory = parent(of: current)
        }
        // #filePath is .../Sources/Tabular/BundledData.swift; the repository is two levels up.
        let sourceRoot = parent(of: parent(of: parent(of: #filePath) ?? "") ?? "")
        if let sourceRoot { places.append(sourceRoot + "/datasets") }

        for place in places {
            let candidate = place + "/" + file
            if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
        }
        throw TabularError("cannot find the bundled data set '\(name)' (looked for \(file) in: "
                           + places.joined(separator: ", ") + ")",
                           hint: "set DL_DATASETS to the folder that holds \(file)")
    }

    /// Reads the bundled table and names its target column. Build the training set with
    /// `table.dataset(target:task:)`, or use `dataset(_:)`, which also sets the image shape.
    public static func load(_ name: String, dialect: CSVDialect = .standard) throws -> (table: Table, target: String) {
        let table = try CSV.read(path: path(of: name), dialect: dialect)
        return (table, targets[name]!)
    }

    /// The bundled set as a data set with its known target, task and image shape.
    /// (penguins has text feature columns and missing values, so it throws until they are
    /// dealt with; use `load` for it.)
    public static func dataset(_ name: String) throws -> Dataset {
        let (table, target) = try load(name)
        var data = try table.dataset(target: target, task: task(of: name))
        data.imageShape = imageShape(of: name)
        return data
    }

    static func unknownName(_ name: String) -> TabularError {
        let hint = Suggest.closest(to: name, in: names).map { "did you mean '\($0)'?" }
            ?? "the bundled data sets are: " + names.joined(separator: ", ")
        return TabularError("there is no bundled data set named '\(name)'", hint: hint)
    }

    private static func executableDirectory() -> String? {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return parent(of: link)
        }
        return CommandLine.arguments.first.flatMap { parent(of: URL(fileURLWithPath: $0).standardizedFileURL.path) }
    }

    /// The folder holding `path`, or nil at the root.
    private static func parent(of path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let head = String(path[..<slash])
        return head.isEmpty ? nil : head
    }
}
