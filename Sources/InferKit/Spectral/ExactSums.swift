/// Exact trigonometric sums, a block of frequencies at a time.
///
/// On a regular grid the phase of point i advances by the same angle 2 pi df tau_i from one
/// frequency to the next, so (cos, sin) follow by a rotation (4 multiplications) instead of a
/// sine and a cosine. Rounding makes such a recurrence drift by about one ulp per step, so every
/// block of at most 64 frequencies starts again from directly computed values (`SinCos`): the
/// drift stays below 64 ulps, i.e. the sums are exact to about 1e-14 relative, 1e-13 for the
/// highest harmonics. Harmonics k theta come from powers of (cos, sin) by complex
/// multiplication. Off a regular grid every frequency is computed directly.
///
/// Points are processed in tiles of 512 (the rotation state stays in the L1 cache) and four at
/// a time in SIMD lanes; each frequency's sums are added up in a fixed order (lanes, then
/// groups of a tile, then tiles), so a block's result does not depend on which thread runs it.
enum ExactSums {
    /// Most frequencies between two re-seeds.
    static let maximumBlock = 64
    /// SIMD groups (of 4 points) per tile.
    static let tileGroups = 128

    /// The per-worker scratch space.
    final class Workspace {
        let cosine: UnsafeMutablePointer<SIMD4<Double>>
        let sine: UnsafeMutablePointer<SIMD4<Double>>
        let accumulators: UnsafeMutablePointer<SIMD4<Double>>
        let harmonicCos: UnsafeMutablePointer<SIMD4<Double>>
        let harmonicSin: UnsafeMutablePointer<SIMD4<Double>>
        /// block x width sums.
        let sums: UnsafeMutablePointer<Double>
        let width: Int

        init(width: Int, terms: Int) {
            self.width = width
            cosine = .allocate(capacity: ExactSums.tileGroups)
            sine = .allocate(capacity: ExactSums.tileGroups)
            accumulators = .allocate(capacity: width)
            harmonicCos = .allocate(capacity: 2 * terms)
            harmonicSin = .allocate(capacity: 2 * terms)
            sums = .allocate(capacity: ExactSums.maximumBlock * width)
        }

        deinit {
            cosine.deallocate()
            sine.deallocate()
            accumulators.deallocate()
            harmonicCos.deallocate()
            harmonicSin.deallocate()
            sums.deallocate()
        }
    }

    /// The sums for `count` frequencies into `workspace.sums` (row j, `layout.width` values).
    /// With `rotation` (cos, sin of 2 pi df tau per group) the frequencies are
    /// frequency(0) + j df and only frequency(0) is computed directly; without it every
    /// frequency(j) is.
    static func accumulate(_ data: PeriodogramData, _ layout: SumLayout, count: Int,
                           frequency: (Int) -> Double,
                           rotation: (cos: UnsafePointer<SIMD4<Double>>, sin: UnsafePointer<SIMD4<Double>>)?,
                           _ ws: Workspace) {
        let width = layout.width
        let sums = ws.sums
        sums.update(repeating: 0, count: count * width)
        let simple = layout.terms == 1 && layout.sets.count == 1 && layout.series.count == 1
        let sharedBatch = layout.terms == 1 && layout.sets.count == 1 && layout.series.count > 1
        var tile = 0
        while tile < data.groups {
            let n = min(tileGroups, data.groups - tile)
            for j in 0..<count {
                if j == 0 || rotation == nil {
                    let f = SIMD4<Double>(repeating: frequency(j))
                    for g in 0..<n {
                        let v = SinCos.cycles(f * data.tau[tile &+ g])
                        ws.cosine[g] = v.cos
                        ws.sine[g] = v.sin
                    }
                }
                let rotate = rotation != nil && j + 1 < count
                let row = sums + j * width
                if simple {
                    simpleTile(data, layout, tile: tile, groups: n, rotation: rotate ? rotation : nil, ws, row)
                } else if sharedBatch {
                    sharedWeightsTile(data, layout, tile: tile, groups: n, rotation: rotate ? rotation : nil, ws, row)
                } else {
                    generalTile(data, layout, tile: tile, groups: n, rotation: rotate ? rotation : nil, ws, row)
                }
            }
            tile += n
        }
    }

    /// One tile at one frequency for K = 1, one weight set and one series, with the six
    /// accumulators in registers. Row layout: C1, C2, S1, S2, YC1, YS1.
    @inline(__always)
    private static func simpleTile(_ data: PeriodogramData, _ layout: SumLayout, tile: Int, groups n: Int,
                                   rotation: (cos: UnsafePointer<SIMD4<Double>>, sin: UnsafePointer<SIMD4<Double>>)?,
                                   _ ws: Workspace, _ row: UnsafeMutablePointer<Double>) {
        let w = data.weights + layout.sets.lowerBound * data.groups + tile
        let wy = data.weightedY + layout.series.lowerBound * data.groups + tile
        let cs = ws.cosine, sn = ws.sine
        var c1 = SIMD4<Double>(), s1 = SIMD4<Double>(), c2 = SIMD4<Double>(), s2 = SIMD4<Double>()
        var yc = SIMD4<Double>(), ys = SIMD4<Double>()
        if let rotation {
            let rc = rotation.cos + tile, rs = rotation.sin + tile
            for g in 0..<n {
                let c = cs[g], s = sn[g], wv = w[g], yv = wy[g]
                c1 += wv * c
                s1 += wv * s
                c2 += wv * (c * c - s * s)
                s2 += wv * ((c + c) * s)
                yc += yv * c
                ys += yv * s
                let a = rc[g], b = rs[g]
                cs[g] = c * a - s * b
                sn[g] = s * a + c * b
            }
        } else {
            for g in 0..<n {
                let c = cs[g], s = sn[g], wv = w[g], yv = wy[g]
                c1 += wv * c
                s1 += wv * s
                c2 += wv * (c * c - s * s)
                s2 += wv * ((c + c) * s)
                yc += yv * c
                ys += yv * s
            }
        }
        row[0] += laneSum(c1)
        row[1] += laneSum(c2)
        row[2] += laneSum(s1)
        row[3] += laneSum(s2)
        row[4] += laneSum(yc)
        row[5] += laneSum(ys)
    }

    /// One tile at one frequency for K = 1 and several series sharing one weight set: the four
    /// weight sums in registers, the two sums of each series in the workspace. Row layout: C1,
    /// C2, S1, S2, then YC1, YS1 per series.
    private static func sharedWeightsTile(_ data: PeriodogramData, _ layout: SumLayout, tile: Int, groups n: Int,
                                          rotation: (cos: UnsafePointer<SIMD4<Double>>, sin: UnsafePointer<SIMD4<Double>>)?,
                                          _ ws: Workspace, _ row: UnsafeMutablePointer<Double>) {
        let w = data.weights + layout.sets.lowerBound * data.groups + tile
        let first = data.weightedY + layout.series.lowerBound * data.groups + tile
        let stride = data.groups, count = layout.series.count
        let cs = ws.cosine, sn = ws.sine, acc = ws.accumulators
        acc.update(repeating: SIMD4<Double>(), count: 2 * count)
        var c1 = SIMD4<Double>(), s1 = SIMD4<Double>(), c2 = SIMD4<Double>(), s2 = SIMD4<Double>()
        for g in 0..<n {
            let c = cs[g], s = sn[g], wv = w[g]
            c1 += wv * c
            s1 += wv * s
            c2 += wv * (c * c - s * s)
            s2 += wv * ((c + c) * s)
            var wy = first + g
            var a = acc
            for _ in 0..<count {
                let yv = wy.pointee
                a[0] += yv * c
                a[1] += yv * s
                a += 2
                wy += stride
            }
            if let rotation {
                let rc = rotation.cos[tile &+ g], rs = rotation.sin[tile &+ g]
                cs[g] = c * rc - s * rs
                sn[g] = s * rc + c * rs
            }
        }
        row[0] += laneSum(c1)
        row[1] += laneSum(c2)
        row[2] += laneSum(s1)
        row[3] += laneSum(s2)
        for q in 0..<count {
            row[4 + 2 * q] += laneSum(acc[2 * q])
            row[5 + 2 * q] += laneSum(acc[2 * q + 1])
        }
    }

    /// One tile at one frequency, any K, weight sets and series, accumulators in the workspace.
    private static func generalTile(_ data: PeriodogramData, _ layout: SumLayout, tile: Int, groups n: Int,
                                    rotation: (cos: UnsafePointer<SIMD4<Double>>, sin: UnsafePointer<SIMD4<Double>>)?,
                                    _ ws: Workspace, _ row: UnsafeMutablePointer<Double>) {
        let k = layout.terms, k2 = 2 * k, width = layout.width
        let acc = ws.accumulators, hc = ws.harmonicCos, hs = ws.harmonicSin
        let cs = ws.cosine, sn = ws.sine
        acc.update(repeating: SIMD4<Double>(), count: width)
        let groupsTotal = data.groups
        for g in 0..<n {
            let c = cs[g], s = sn[g]
            hc[0] = c
            hs[0] = s
            var pc = c, ps = s
            var h = 1
            while h < k2 {
                let nc = pc * c - ps * s
                let ns = ps * c + pc * s
                hc[h] = nc
                hs[h] = ns
                pc = nc
                ps = ns
                h &+= 1
            }
            var out = acc
            for a in layout.sets {
                let wv = data.weights[a &* groupsTotal &+ tile &+ g]
                for q in 0..<k2 { out[q] += wv * hc[q] }
                for q in 0..<k2 { out[k2 &+ q] += wv * hs[q] }
                out += 2 * k2
            }
            for s in layout.series {
                let yv = data.weightedY[s &* groupsTotal &+ tile &+ g]
                for q in 0..<k { out[q] += yv * hc[q] }
                for q in 0..<k { out[k &+ q] += yv * hs[q] }
                out += k2
            }
            if let rotation {
                let a = rotation.cos[tile &+ g], b = rotation.sin[tile &+ g]
                cs[g] = c * a - s * b
                sn[g] = s * a + c * b
            }
        }
        for q in 0..<width { row[q] += laneSum(acc[q]) }
    }

    /// (v0 + v1) + (v2 + v3).
    @inline(__always)
    static func laneSum(_ v: SIMD4<Double>) -> Double { (v[0] + v[1]) + (v[2] + v[3]) }
}
