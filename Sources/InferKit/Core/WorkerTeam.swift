#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Threads that stay awake between many short parallel regions.
///
/// `Parallel.forEach` hands each region to Dispatch, whose worker threads sleep in the kernel
/// between regions; waking them costs tens of microseconds on a virtual machine (measured:
/// an ensemble half-step of ~100 µs ran slower on 2 threads than on 1). A team's threads spin
/// on an atomic generation counter instead, for up to `spinSeconds` after their last region,
/// and only then sleep on a condition variable; a sampler's regions follow each other within
/// microseconds, so its workers are always spinning when the next region starts.
///
/// Workers take the chunks of a region as they come free (`forEachDynamic`), so a chunk's
/// result must not depend on which worker ran it. The calling thread is worker 0. A team is
/// used by one thread at a time; its threads are joined when it is released.
final class WorkerTeam: @unchecked Sendable {
    /// Number of workers, the calling thread included.
    private(set) var size = 1
    /// How long an idle worker spins before it sleeps (seconds).
    static let spinSeconds = 2e-4

    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var threads: [pthread_t] = []
    /// The current region's work for worker w (set while `remaining` > 0).
    private var share: ((Int) -> Void)?
    /// The next chunk of a dynamic region.
    private let next = Atomic<Int>(0)

    /// A team of `size` workers (the caller and size − 1 threads); size ≤ 1 starts no thread.
    /// When a thread cannot be started the team is smaller (never an error: it only runs slower).
    init(size requested: Int) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        var started: [pthread_t] = []
        if requested > 1 {
            for w in 1..<requested {
                let context = Unmanaged.passRetained(WorkerContext(team: self, index: w))
                var thread = pthread_t()
                let status = pthread_create(&thread, nil, { raw in
                    let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                    context.team.work(index: context.index)
                    return nil
                }, context.toOpaque())
                if status != 0 {
                    context.release()
                    break
                }
                started.append(thread)
            }
        }
        threads = started
        size = started.count + 1
        // The threads read `size` only inside regions, which start after init returns.
    }

    deinit {
        stopping.store(true, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body(chunk)` for every chunk in 0..<chunks, each worker taking the next chunk not
    /// yet taken until none is left: a worker that is delayed (another process on its core)
    /// does fewer chunks instead of holding up the region. Which worker runs a chunk varies
    /// from run to run, so `body` must give the same result wherever it runs.
    func forEachDynamic(chunks: Int, _ body: (_ chunk: Int) -> Void) {
        if size <= 1 || chunks <= 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        next.store(0, ordering: .relaxed)
        region { _ in
            while true {
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if c >= chunks { break }
                body(c)
            }
        }
    }

    /// Runs `share(worker)` on every worker (the caller is worker 0) and returns when all
    /// have finished.
    private func region(_ share: (_ worker: Int) -> Void) {
        withoutActuallyEscaping(share) { share in
            self.share = share
            remaining.store(size - 1, ordering: .relaxed)
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
            }
            share(0)
            // Spin for the others; on a machine with more runnable threads than cores a worker
            // may not be running at all, so after a while give the core away between checks.
            var spins = 0
            while remaining.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 4096 { sched_yield() }
            }
            self.share = nil
        }
    }

    /// A worker thread's loop: wait for the next generation (spinning, then sleeping), run
    /// its share, report it done.
    private func work(index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var deadline = 0.0
            while generation.load(ordering: .acquiring) == seen {
                if stopping.load(ordering: .relaxed) { return }
                spins += 1
                if spins & 255 != 0 { continue }
                let now = Self.seconds()
                if deadline == 0 { deadline = now + Self.spinSeconds; continue }
                if now < deadline { continue }
                // Sleep until the generation moves (or the team stops).
                pthread_mutex_lock(mutex)
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == seen
                        && !stopping.load(ordering: .sequentiallyConsistent) {
                    pthread_cond_wait(condition, mutex)
                }
                sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                pthread_mutex_unlock(mutex)
                spins = 0
                deadline = 0
            }
            if stopping.load(ordering: .relaxed) { return }
            seen = generation.load(ordering: .acquiring)
            share?(index)
            remaining.wrappingSubtract(1, ordering: .releasing)
        }
    }

    private static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}

/// What a team's thread is started with.
private final class WorkerContext {
    /// Unowned-unsafe: the team's deinit joins its threads before its storage goes away, and a
    /// checked unowned reference would trap once the team's deinit has begun.
    unowned(unsafe) let team: WorkerTeam
    let index: Int
    init(team: WorkerTeam, index: Int) {
        self.team = team
        self.index = index
    }
}
