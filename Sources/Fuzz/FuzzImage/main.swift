#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import FuzzTargets

// The libFuzzer executable for FuzzTargets.image (scripts/fuzz image).
exit(dl_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
    FuzzTargets.image(UnsafeBufferPointer(start: data, count: size))
    return 0
})
