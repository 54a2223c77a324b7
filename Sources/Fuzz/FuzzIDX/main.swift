#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import FuzzTargets

// The libFuzzer executable for FuzzTargets.idx (scripts/fuzz idx).
exit(dl_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
    FuzzTargets.idx(UnsafeBufferPointer(start: data, count: size))
    return 0
})
