#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import FuzzTargets

// The libFuzzer executable for FuzzTargets.model (scripts/fuzz model).
exit(dl_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
    FuzzTargets.model(UnsafeBufferPointer(start: data, count: size))
    return 0
})
