import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import InferKit

@Suite("Worker team")
struct WorkerTeamTests {
    /// Every chunk runs exactly once over many back-to-back regions (the spinning path) and
    /// after the workers have gone to sleep (the condition-variable path).
    @Test func everyChunkOnce() {
        for size in [1, 2, 3] {
            let team = WorkerTeam(size: size)
            #expect(team.size == size)
            let capacity = 37
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: capacity)
            defer { hits.deallocate() }
            for region in 0..<3000 {
                let chunks = region % capacity + 1
                hits.initialize(repeating: 0)
                team.forEachDynamic(chunks: chunks) { c in hits[c] += 1 }
                #expect(hits.prefix(chunks).allSatisfy { $0 == 1 })
                if region % 1000 == 999 { usleep(2_000) }   // past the spin time: the workers sleep
            }
        }
    }

    /// Work done by the threads is visible to the caller when forEach returns, and a team that is
    /// released while its workers sleep or spin joins them (the test would hang otherwise).
    @Test func resultsVisibleAndTeamReleased() {
        for pause in [0, 2_000] {
            var sums = [Double](repeating: 0, count: 8)
            do {
                let team = WorkerTeam(size: 2)
                sums.withUnsafeMutableBufferPointer { out in
                    team.forEachDynamic(chunks: 8) { c in
                        var s = 0.0
                        for i in 0..<10_000 { s += Double(i % (c + 1)) }
                        out[c] = s
                    }
                }
                if pause > 0 { usleep(UInt32(pause)) }
            }
            let expected = (0..<8).map { c in (0..<10_000).reduce(0.0) { $0 + Double($1 % (c + 1)) } }
            #expect(sums == expected)
        }
    }
}
