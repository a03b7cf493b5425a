import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Deterministic data parallelism: work is cut into `chunks` pieces whose number depends only
/// on the problem, never on the thread count, and each piece writes only its own output.
/// Results are therefore bit-identical for every thread count.
enum Parallel {
    /// Number of online cores (at least 1).
    static var coreCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }

    /// The thread count for a request: 0 means all cores.
    static func threads(requested: Int) -> Int {
        requested <= 0 ? coreCount : requested
    }

    /// The number of workers `forEach` uses for `chunks` pieces on `threads` threads.
    static func workers(chunks: Int, threads: Int) -> Int {
        max(1, min(threads, chunks))
    }

    /// Runs `body(chunk, worker)` for every chunk in 0..<chunks on
    /// `workers(chunks:threads:)` threads. Worker w takes chunks w, w + W, w + 2W, ... (a static
    /// split), so per-worker scratch space indexed by `worker` is never shared.
    static func forEach(chunks: Int, threads: Int, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
        let count = workers(chunks: chunks, threads: threads)
        if count <= 1 {
            for c in 0..<chunks { body(c, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: count) { w in
                var c = w
                while c < chunks {
                    body(c, w)
                    c += count
                }
            }
        }
    }
}

/// Keeps OpenBLAS from using its own threads while an InferKit computation runs: InferKit
/// parallelises at a coarser grain itself (blocks, spectra, chains), and OpenBLAS (the BLAS
/// that Debian's alternatives usually select) would otherwise split each small call across the
/// cores InferKit's workers already occupy, and leave its threads spinning into the next
/// parallel region; that was measured to make the tall-skinny QR 1.8x slower. The setting is
/// process-wide in OpenBLAS 0.3.21, so it is lowered to 1 only while at least one InferKit
/// computation runs and restored afterwards (reference counted). With another BLAS this does
/// nothing.
enum BLASThreads {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var saved: Int32 = 1
    private static let functions: (SetThreads, GetThreads)? = {
        pthread_mutex_init(&lock, nil)
        // The BLAS this library was linked against is already loaded (perhaps RTLD_LOCAL, as
        // ctypes loads us), so look it up by name without loading anything new.
        for name in ["libblas.so.3", "libopenblas.so.0"] {
            guard let handle = dlopen(name, RTLD_LAZY | RTLD_NOLOAD) else { continue }
            if let set = dlsym(handle, "openblas_set_num_threads"),
               let get = dlsym(handle, "openblas_get_num_threads") {
                return (unsafeBitCast(set, to: SetThreads.self), unsafeBitCast(get, to: GetThreads.self))
            }
        }
        return nil
    }()

    /// Runs `body` with OpenBLAS limited to one thread.
    static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        guard let (set, get) = functions else { return try body() }
        pthread_mutex_lock(&lock)
        if depth == 0 { saved = get(); set(1) }
        depth += 1
        pthread_mutex_unlock(&lock)
        defer {
            pthread_mutex_lock(&lock)
            depth -= 1
            if depth == 0 { set(saved) }
            pthread_mutex_unlock(&lock)
        }
        return try body()
    }
}
