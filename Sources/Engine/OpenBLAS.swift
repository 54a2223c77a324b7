#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, opened on the first product instead of linked. Linked, its start-up code runs
/// before `main` and leaves a worker thread spinning on sched_yield for 2^28 cycles (about
/// 70 ms here), and again after every product it threads: at start-up that thread took a
/// core from `load`'s two parse threads (0.03-0.2 s of a 0.3 s load). Opened here, the
/// variable that sets the spin, OPENBLAS_THREAD_TIMEOUT, is set first (unless the user
/// set it): 2^24 cycles, a few milliseconds, still long enough to stay awake between the
/// products of one batch (2^16 slowed the MLP at batch 128 by half). Scripts that never
/// train do not load it at all.
struct OpenBLAS {
    typealias Sgemm = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float,
                                      UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
                                      Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    let sgemm: Sgemm
    let setThreads: @convention(c) (Int32) -> Void
    /// The thread count OpenBLAS chose when opened (OPENBLAS_NUM_THREADS or the core count).
    let defaultThreads: Int
    let coreName: @convention(c) () -> UnsafeMutablePointer<CChar>?

    // CBLAS's enumerations (cblas.h).
    static let rowMajor: Int32 = 101, noTranspose: Int32 = 111, transpose: Int32 = 112

    /// Loaded once, by whichever thread multiplies first (Swift runs a global's initialiser once).
    static let library = OpenBLAS.open()

    private static func open() -> OpenBLAS {
        setenv("OPENBLAS_THREAD_TIMEOUT", "24", 0)
        // libopenblas.so.0 is the runtime package's name; libopenblas.so comes with -dev.
        guard let handle = dlopen("libopenblas.so.0", RTLD_NOW) ?? dlopen("libopenblas.so", RTLD_NOW) else {
            fatalError("dl needs OpenBLAS (libopenblas.so.0) and could not open it: \(String(cString: dlerror())); install it with `sudo apt-get install libopenblas0` (scripts/setup does)")
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T {
            guard let address = dlsym(handle, name) else { fatalError("OpenBLAS has no \(name)") }
            return unsafeBitCast(address, to: type)
        }
        let threads = symbol("openblas_get_num_threads", as: (@convention(c) () -> Int32).self)
        return OpenBLAS(sgemm: symbol("cblas_sgemm", as: Sgemm.self),
                        setThreads: symbol("openblas_set_num_threads", as: (@convention(c) (Int32) -> Void).self),
                        defaultThreads: max(Int(threads()), 1),
                        coreName: symbol("openblas_get_corename", as: (@convention(c) () -> UnsafeMutablePointer<CChar>?).self))
    }
}

/// The OpenBLAS kernel family chosen for this CPU ("Haswell", "Zen", "SkylakeX", ...);
/// OPENBLAS_CORETYPE overrides the choice.
public var blasCoreName: String {
    guard let name = OpenBLAS.library.coreName() else { return "" }
    return String(cString: name)
}

/// Whether OpenBLAS adds in the order of its Haswell-family sgemm kernels ("Haswell" and
/// "Zen" share them). The direct convolution kernels copy that order (CKernels.h) and the
/// golden transcripts were recorded with it; on another family (Sandybridge, SkylakeX,
/// Cooperlake, ARM) products round their own way, so only closeness holds there.
public var blasAddsLikeHaswell: Bool {
    ["haswell", "zen"].contains(blasCoreName.lowercased())
}
