#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import FuzzTargets

// The libFuzzer executable for FuzzTargets.statements (scripts/fuzz statements).
exit(dl_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
    FuzzTargets.statements(UnsafeBufferPointer(start: data, count: size))
    return 0
})
