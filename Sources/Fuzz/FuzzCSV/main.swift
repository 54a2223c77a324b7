#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import FuzzTargets

// The libFuzzer executable for FuzzTargets.csv (scripts/fuzz csv).
exit(dl_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
    FuzzTargets.csv(UnsafeBufferPointer(start: data, count: size))
    return 0
})
