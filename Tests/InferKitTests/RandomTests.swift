import Testing
@testable import InferKit

@Suite("Random streams")
struct RandomTests {
    /// Random123's published known-answer vectors for Philox4x32-10.
    @Test func philoxKnownAnswers() {
        let zero = philox4x32((0, 0, 0, 0), key: (0, 0))
        #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = philox4x32((.max, .max, .max, .max), key: (.max, .max))
        #expect([ones.0, ones.1, ones.2, ones.3] == [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = philox4x32((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), key: (0xa409_3822, 0x299f_31d0))
        #expect([pi.0, pi.1, pi.2, pi.3] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    /// A stream's outputs are the blocks of its counter; saving and restoring the state
    /// resumes exactly, mid-block included.
    @Test func streamsAndState() {
        var a = RandomStream(seed: 42, stream: 3)
        let first = a.nextUInt64()
        let block = philox4x32((0, 0, 3, 0), key: (42, 0))
        #expect(first == UInt64(block.0) | UInt64(block.1) << 32)
        let saved = a.state
        let rest = (0..<7).map { _ in a.nextUInt64() }
        var b = RandomStream(state: saved)!
        #expect((0..<7).map { _ in b.nextUInt64() } == rest)
        #expect(RandomStream(state: [1, 2, 3]) == nil)
        var other = RandomStream(seed: 42, stream: 4)
        #expect(other.nextUInt64() != first)
    }

    /// Uniforms and normals have the right first two moments; integers stay in range and
    /// cover it evenly.
    @Test func distributions() {
        var r = RandomStream(seed: 7)
        let n = 200_000
        var su = 0.0, suu = 0.0, sz = 0.0, szz = 0.0, sz4 = 0.0
        for _ in 0..<n {
            let u = r.uniform()
            #expect(u >= 0 && u < 1)
            su += u; suu += u * u
            let z = r.normal()
            sz += z; szz += z * z; sz4 += z * z * z * z
        }
        let N = Double(n)
        #expect(abs(su / N - 0.5) < 5 * (1.0 / 12 / N).squareRoot())
        #expect(abs(suu / N - 1.0 / 3) < 0.005)
        #expect(abs(sz / N) < 5 / N.squareRoot())
        #expect(abs(szz / N - 1) < 5 * (2 / N).squareRoot())
        #expect(abs(sz4 / N - 3) < 5 * (96 / N).squareRoot())
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[r.integer(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        #expect(r.integer(below: 1) == 0 && r.integer(below: 0) == 0)
    }
}
