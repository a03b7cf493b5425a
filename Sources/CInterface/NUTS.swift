import CInferKitABI
import InferKit

// The ik_nuts_* family: argument checks and conversions only; the sampler is
// InferKit/Inference/Sampling/NUTSSampler.swift.

/// A NUTS sampler owned by a C handle (ik_nuts_t*), with the caller's callbacks and the last
/// run's result.
final class NUTSBox {
    let sampler: NUTSSampler
    var progress: ik_sampling_progress_fn?
    var progressData: CallbackContext
    var draws: ik_draws_fn?
    var drawsData: CallbackContext
    var result: NUTSResult?

    init(_ sampler: NUTSSampler, _ c: ik_nuts_options_t?) {
        self.sampler = sampler
        progress = c?.progress
        progressData = CallbackContext(c?.progress_data)
        draws = c?.draws
        drawsData = CallbackContext(c?.draws_data)
    }
}

private func nutsBox(_ h: OpaquePointer?) throws -> NUTSBox {
    try HandleTable.shared.object(h, as: NUTSBox.self, name: "sampler", cType: "ik_nuts_t")
}

/// The C options (NULL: defaults) as `NUTSOptions`, each field checked under its C name.
private func nutsOptions(_ p: UnsafePointer<ik_nuts_options_t>?) throws -> NUTSOptions {
    var o = NUTSOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_nuts_options_t>.size
    func bad(_ message: String) -> ArgumentError { ArgumentError(status: .invalidArgument, message: "options->" + message) }
    guard c.struct_size == size else {
        throw bad("struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_nuts_options_default()")
    }
    guard c.n_threads >= 0 else { throw bad("n_threads is \(c.n_threads): it must be >= 0 (0 for all cores)") }
    guard (1...30).contains(c.max_tree_depth) else { throw bad("max_tree_depth is \(c.max_tree_depth): it must lie in 1..30") }
    guard c.target_accept > 0 && c.target_accept < 1 else { throw bad("target_accept is \(c.target_accept): it must lie in (0, 1)") }
    guard let metric = MetricKind(rawValue: c.metric) else {
        throw bad("metric is \(c.metric): use IK_METRIC_UNIT (0), IK_METRIC_DIAGONAL (1) or IK_METRIC_DENSE (2)")
    }
    guard c.thin >= 1 else { throw bad("thin is \(c.thin): it must be >= 1") }
    guard c.initial_step_size == 0 || (c.initial_step_size > 0 && c.initial_step_size.isFinite) else {
        throw bad("initial_step_size is \(c.initial_step_size): it must be finite and > 0, or 0 for the heuristic")
    }
    guard c.max_energy_error > 0 else { throw bad("max_energy_error is \(c.max_energy_error): it must be > 0") }
    guard let regularization = MetricRegularization(rawValue: c.metric_regularization) else {
        throw bad("metric_regularization is \(c.metric_regularization): use IK_METRIC_REGULARIZATION_STAN (0) or IK_METRIC_REGULARIZATION_SCALE_FREE (1)")
    }
    o.metricRegularization = regularization
    o.threads = Int(c.n_threads)
    o.maxTreeDepth = Int(c.max_tree_depth)
    o.targetAcceptance = c.target_accept
    o.metric = metric
    o.thinning = Int(c.thin)
    o.initialStepSize = c.initial_step_size
    o.maxEnergyError = c.max_energy_error
    return o
}

@_cdecl("ik_nuts_options_default")
public func ik_nuts_options_default(_ options: UnsafeMutablePointer<ik_nuts_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = NUTSOptions()
        o.pointee = ik_nuts_options_t(
            struct_size: MemoryLayout<ik_nuts_options_t>.size, n_threads: Int32(d.threads),
            max_tree_depth: Int32(d.maxTreeDepth), target_accept: d.targetAcceptance, metric: d.metric.rawValue,
            thin: Int32(d.thinning), initial_step_size: d.initialStepSize, max_energy_error: d.maxEnergyError,
            progress: nil, progress_data: nil, draws: nil, draws_data: nil,
            metric_regularization: d.metricRegularization.rawValue)
    }
}

@_cdecl("ik_nuts_create")
public func ik_nuts_create(_ logprob: OpaquePointer?, _ nChains: Int, _ seed: UInt64,
                           _ options: UnsafePointer<ik_nuts_options_t>?,
                           _ sampler: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(sampler, "sampler")
        out.pointee = nil
        let density = try logProbHandle(logprob).density
        let chains = try length(nChains, "n_chains")
        guard chains > 0 else { throw ArgumentError(status: .invalidArgument, message: "n_chains is 0: NUTS needs at least one chain") }
        let o = try nutsOptions(options)
        let s = try NUTSSampler(density: density, chains: chains, seed: seed, options: o)
        HandleTable.shared.publish(NUTSBox(s, options?.pointee), into: out)
    }
}

@_cdecl("ik_nuts_set_callbacks")
public func ik_nuts_set_callbacks(_ sampler: OpaquePointer?, _ progress: ik_sampling_progress_fn?,
                                  _ progressData: UnsafeMutableRawPointer?, _ draws: ik_draws_fn?,
                                  _ drawsData: UnsafeMutableRawPointer?) -> Int32 {
    guarded {
        let box = try nutsBox(sampler)
        box.progress = progress
        box.progressData = CallbackContext(progressData)
        box.draws = draws
        box.drawsData = CallbackContext(drawsData)
    }
}

@_cdecl("ik_nuts_run")
public func ik_nuts_run(_ sampler: OpaquePointer?, _ initial: UnsafePointer<Double>?, _ nChains: Int, _ nDim: Int,
                        _ nWarmup: Int, _ nSamples: Int) -> Int32 {
    guarded {
        let box = try nutsBox(sampler)
        let s = box.sampler
        let chains = try length(nChains, "n_chains"), dim = try length(nDim, "n_dim")
        guard chains == s.chainCount else {
            throw ArgumentError(status: .dimension, message: "n_chains is \(chains) but the sampler has \(s.chainCount) chains")
        }
        guard dim == s.dimension else {
            throw ArgumentError(status: .dimension, message: "n_dim is \(dim) but the log-probability has \(s.dimension) parameters")
        }
        let warmup = try length(nWarmup, "n_warmup"), samples = try length(nSamples, "n_samples")
        guard samples > 0 else {
            throw ArgumentError(status: .dimension, message: "n_samples is 0: a run needs at least one sampling iteration")
        }
        let start = initial.map { Array(UnsafeBufferPointer(start: $0, count: chains * dim)) }
        var progress: SamplingProgressHandler? = nil
        if let fn = box.progress {
            let data = box.progressData
            progress = { p in fn(p.phase.rawValue, Int64(p.completed), Int64(p.total), data.pointer) == 0 }
        }
        var draws: ((Int, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> Void)? = nil
        if let fn = box.draws {
            let data = box.drawsData
            draws = { k, positions, logp in
                let status = fn(Int64(k), positions.baseAddress, chains, dim, logp.baseAddress, data.pointer)
                if status != 0 { throw InferKitError.callbackFailed("the draws callback returned \(status) at draw \(k)") }
            }
        }
        box.result = nil
        box.result = try s.run(initial: start, warmup: warmup, samples: samples, progress: progress, draws: draws)
    }
}

/// The last run's result, or IK_ERR_INVALID_ARGUMENT when there is none.
private func lastResult(_ h: OpaquePointer?) throws -> NUTSResult {
    guard let r = try nutsBox(h).result else {
        throw ArgumentError(status: .invalidArgument, message: "the sampler holds no draws: call ik_nuts_run first (or its last run failed)")
    }
    return r
}

@_cdecl("ik_nuts_info")
public func ik_nuts_info(_ sampler: OpaquePointer?, _ info: UnsafeMutablePointer<ik_nuts_info_t>?) -> Int32 {
    guarded {
        let box = try nutsBox(sampler)
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_nuts_info_t>.size
        guard info.pointee.struct_size == size else {
            throw ArgumentError(status: .invalidArgument,
                                message: "info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_nuts_info_t)")
        }
        let s = box.sampler, r = box.result
        info.pointee = ik_nuts_info_t(
            struct_size: size, n_chains: s.chainCount, n_dim: s.dimension, n_draws: r?.draws.drawCount ?? 0,
            stopped_early: r?.draws.stoppedEarly == true ? 1 : 0, exact_gradient: s.density.hasExactGradient ? 1 : 0,
            adaptation_finished: s.adaptationFinished ? 1 : 0, metric: s.state.inverseMetrics[0].kind.rawValue,
            n_divergent: Int64(r?.divergenceCount.reduce(0, +) ?? 0),
            n_gradient_evals: Int64(r?.gradientEvaluations.reduce(0, +) ?? 0))
    }
}

/// Writes a per-draw quantity (draw-major in the result, `width` values per draw and chain)
/// chain-major into out: n_chains x n_draws x width.
private func chainMajor<T>(_ r: NUTSResult, _ out: UnsafeMutablePointer<T>?, _ len: Int, width: Int, _ what: String,
                           _ value: (Int) -> T) throws {
    let out = try requireNonNull(out, "out")
    let chains = r.chainCount, draws = r.draws.drawCount
    try requireLength(len, chains * draws * width, "out", what)
    for d in 0..<draws {
        for c in 0..<chains {
            for k in 0..<width { out[(c * draws + d) * width + k] = value((d * chains + c) * width + k) }
        }
    }
}

@_cdecl("ik_nuts_draws")
public func ik_nuts_draws(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        let values = r.draws.values
        try chainMajor(r, out, len, width: r.draws.dimension, "n_chains x n_draws x n_dim draws") { values[$0] }
    }
}

@_cdecl("ik_nuts_log_prob")
public func ik_nuts_log_prob(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try chainMajor(r, out, len, width: 1, "n_chains x n_draws log-probabilities") { r.draws.logProbability[$0] }
    }
}

@_cdecl("ik_nuts_divergent")
public func ik_nuts_divergent(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try chainMajor(r, out, len, width: 1, "n_chains x n_draws flags") { r.divergent[$0] ? 1 : 0 }
    }
}

@_cdecl("ik_nuts_tree_depth")
public func ik_nuts_tree_depth(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try chainMajor(r, out, len, width: 1, "n_chains x n_draws tree depths") { Int32(r.treeDepth[$0]) }
    }
}

@_cdecl("ik_nuts_leapfrog_steps")
public func ik_nuts_leapfrog_steps(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Int32>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try chainMajor(r, out, len, width: 1, "n_chains x n_draws step counts") { Int32(r.leapfrogSteps[$0]) }
    }
}

@_cdecl("ik_nuts_accept_stat")
public func ik_nuts_accept_stat(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try chainMajor(r, out, len, width: 1, "n_chains x n_draws statistics") { r.acceptanceStatistic[$0] }
    }
}

@_cdecl("ik_nuts_energy")
public func ik_nuts_energy(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try chainMajor(r, out, len, width: 1, "n_chains x n_draws energies") { r.energy[$0] }
    }
}

/// Writes one value per chain.
private func perChain<T>(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<T>?, _ len: Int, _ what: String,
                         _ value: (NUTSBox, Int) throws -> T) throws {
    let box = try nutsBox(sampler)
    let out = try requireNonNull(out, "out")
    try requireLength(len, box.sampler.chainCount, "out", what)
    for c in 0..<box.sampler.chainCount { out[c] = try value(box, c) }
}

@_cdecl("ik_nuts_divergences")
public func ik_nuts_divergences(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try perChain(sampler, out, len, "one count per chain") { _, c in Int64(r.divergenceCount[c]) }
    }
}

@_cdecl("ik_nuts_gradient_evals")
public func ik_nuts_gradient_evals(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Int64>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try perChain(sampler, out, len, "one count per chain") { _, c in Int64(r.gradientEvaluations[c]) }
    }
}

@_cdecl("ik_nuts_mean_accept_stat")
public func ik_nuts_mean_accept_stat(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let r = try lastResult(sampler)
        try perChain(sampler, out, len, "one value per chain") { _, c in r.meanAcceptance[c] }
    }
}

@_cdecl("ik_nuts_step_size")
public func ik_nuts_step_size(_ sampler: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let steps = try nutsBox(sampler).sampler.state.stepSizes
        try perChain(sampler, out, len, "one value per chain") { _, c in steps[c] }
    }
}

@_cdecl("ik_nuts_inverse_metric")
public func ik_nuts_inverse_metric(_ sampler: OpaquePointer?, _ dense: Int32, _ out: UnsafeMutablePointer<Double>?,
                                   _ len: Int) -> Int32 {
    guarded {
        let s = try nutsBox(sampler).sampler
        let full = try flag(dense, "dense")
        let n = s.dimension, metrics = s.state.inverseMetrics
        let width = full ? n * n : n
        try write(out, len, s.chainCount * width, full ? "n_chains x n_dim x n_dim values" : "n_chains x n_dim values") { i in
            let m = metrics[i / width], k = i % width
            if !full { return m.diagonal[k] }
            let (r, c) = (k / n, k % n)
            return m.kind == .dense ? m.values[k] : (r == c ? m.values[r] : 0)
        }
    }
}

@_cdecl("ik_nuts_state_size")
public func ik_nuts_state_size(_ sampler: OpaquePointer?, _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let s = try nutsBox(sampler).sampler
        try requireNonNull(size, "size").pointee = s.state.words.count * 8
    }
}

@_cdecl("ik_nuts_state_save")
public func ik_nuts_state_save(_ sampler: OpaquePointer?, _ out: UnsafeMutableRawPointer?, _ len: Int) -> Int32 {
    guarded {
        let words = try nutsBox(sampler).sampler.state.words
        let out = try requireNonNull(out, "out")
        guard len >= words.count * 8 else {
            throw ArgumentError(status: .dimension, message: "out has room for \(len) bytes but the state needs \(words.count * 8)")
        }
        words.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }
}

@_cdecl("ik_nuts_state_restore")
public func ik_nuts_state_restore(_ sampler: OpaquePointer?, _ state: UnsafeRawPointer?, _ len: Int) -> Int32 {
    guarded {
        let box = try nutsBox(sampler)
        let bytes = try requireNonNull(state, "state")
        guard len % 8 == 0, len >= 8 else {
            throw ArgumentError(status: .invalidArgument, message: "len is \(len): a saved state is a whole number of 8-byte words")
        }
        var words = [UInt64](repeating: 0, count: len / 8)
        words.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: len)) }
        try box.sampler.restore(try NUTSState(words: words))
        box.result = nil
    }
}

@_cdecl("ik_nuts_free")
public func ik_nuts_free(_ sampler: OpaquePointer?) {
    HandleTable.shared.release(sampler.map { UnsafeRawPointer($0) }, as: NUTSBox.self)
}
