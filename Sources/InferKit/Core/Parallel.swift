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
