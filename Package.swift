// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "dl",
    products: [
        .executable(name: "dl", targets: ["dl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Tests only: the replay property of `show state` (ReplayPropertyTests).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // PNG and JPEG decoding (Debian: libpng-dev, libjpeg62-turbo-dev): a C shim rather than
        // a module map alone, because libpng's longjmp and libjpeg's exiting error handler must
        // be caught in C (see CImage.h).
        .target(name: "CImage", cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),

        // Shared by Engine and Tabular: the session's seeded random generator.
        .target(name: "DLCore"),
        // The few kernels that need FMA vectors chosen at run time (see CKernels.h).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        // Tensors, layers, losses, optimizers, the trainer. Never prints.
        .target(name: "Engine", dependencies: ["DLCore", "CKernels"],
                // Optimised in debug builds too: the tests train real networks. -O, not
                // -Ounchecked: its preconditions guard real contracts (shapes, buffer sizes),
                // and scripts/bench showed no gain from dropping them (alternating runs:
                // MLP-128 epoch 0.327/0.289 s unchecked vs 0.301/0.313 s; LeNet 0.655/0.646
                // vs 0.541/0.653 s).
                swiftSettings: [.unsafeFlags(["-O"])]),
        // CSV, typed columns, bundled and generated data sets, preprocessing.
        .target(name: "Tabular", dependencies: ["DLCore", "CZlib", "CImage"]),
        // Charts for the terminal (Unicode/ASCII, colour) and as standalone SVG.
        .target(name: "Plot"),
        // The language: lexer, parser, diagnostics, statement table, session.
        .target(name: "Script", dependencies: ["DLCore", "Engine", "Tabular", "Plot"],
                swiftSettings: [.unsafeFlags(["-swift-version", "6"])]),
        // The command-line tool: flags, REPL on libedit, batch runner.
        .executableTarget(name: "dl", dependencies: [
            "Script", "DLCore", "CEditLine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot"]),
        .testTarget(name: "ScriptTests", dependencies: [
            "Script", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["dl"]),

        // What each fuzzer does with one input: the fuzzers call it, and FuzzTests replays
        // the seed corpus and every input a fuzzer ever crashed on through it.
        .target(name: "FuzzTargets", dependencies: ["Script", "Tabular", "Engine"], path: "Sources/Fuzz/FuzzTargets"),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets"], exclude: ["seeds", "crashes"]),
    ]
)

// The libFuzzer executables, one per target: only when scripts/fuzz builds with
// DL_FUZZ=1 and -sanitize=fuzzer, which supplies the libFuzzer driver they link against.
if Context.environment["DL_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzDriver", path: "Sources/Fuzz/FuzzDriver"))
    for name in ["FuzzScript", "FuzzStatements", "FuzzCSV", "FuzzTable", "FuzzIDX", "FuzzModel", "FuzzImage"] {
        package.targets.append(.executableTarget(name: name, dependencies: ["FuzzDriver", "FuzzTargets"],
                                                 path: "Sources/Fuzz/\(name)"))
    }
}
