import CInferKitABI
import InferKit

// The ik_ensemble_* family: argument checks and conversions only; the sampler is
// InferKit/Inference/Sampling/EnsembleSampler.swift.

/// An ensemble sampler owned by a C handle (ik_ensemble_t*).
final class EnsembleBox {
    let sampler: EnsembleSampler
    init(_ sampler: EnsembleSampler) { self.sampler = sampler }
}

private func ensembleBox(_ h: OpaquePointer?) throws -> EnsembleBox {
    try HandleTable.shared.object(h, as: EnsembleBox.self, name: "ensemble", cType: "ik_ensemble_t")
}

/// The caller's ik_sampling_progress_fn as a SamplingProgressHandler (go on while it returns 0).
func samplingProgress(_ fn: ik_sampling_progress_fn?, _ data: UnsafeMutableRawPointer?) -> SamplingProgressHandler? {
    guard let fn else { return nil }
    let context = CallbackContext(data)
    return { p in fn(p.phase.rawValue, Int64(p.completed), Int64(p.total), context.pointer) == 0 }
}

/// The caller's ik_draws_fn as an MCMCDrawHandler; a non-zero return becomes callbackFailed.
func drawStreaming(_ fn: ik_draws_fn?, _ data: UnsafeMutableRawPointer?, dimension: Int) -> MCMCDrawHandler? {
    guard let fn else { return nil }
    let context = CallbackContext(data)
    return { draw, positions, logProbabilities in
        let status = fn(Int64(draw), positions.baseAddress, logProbabilities.count, dimension,
                        logProbabilities.baseAddress, context.pointer)
        if status != 0 {
            throw InferKitError.callbackFailed("the draws callback returned \(status) at draw \(draw)")
        }
    }
}

/// The checked C options (NULL: defaults) as EnsembleOptions for a density of `dimension`.
private func ensembleOptions(_ p: UnsafePointer<ik_ensemble_options_t>?, dimension: Int) throws -> EnsembleOptions {
    var o = EnsembleOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_ensemble_options_t>.size
    guard c.struct_size == size else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_ensemble_options_default()")
    }
    guard c.n_threads >= 0 else {
        throw ArgumentError(status: .invalidArgument, message: "options->n_threads is \(c.n_threads): it must be >= 0 (0 for all cores)")
    }
    guard c.thin >= 1, c.thin <= Int64(Int32.max) else {
        throw ArgumentError(status: .invalidArgument, message: "options->thin is \(c.thin): it must be >= 1")
    }
    guard c.walk_s >= 0, c.walk_s <= Int64(Int32.max) else {
        throw ArgumentError(status: .invalidArgument, message: "options->walk_s is \(c.walk_s): it must be >= 2 (or 0 for the whole complementary half)")
    }
    for (name, w) in [("stretch_weight", c.stretch_weight), ("de_weight", c.de_weight), ("walk_weight", c.walk_weight)]
    where !(w.isFinite && w >= 0) {
        throw ArgumentError(status: .invalidArgument, message: "options->\(name) is \(w): weights must be finite and >= 0")
    }
    guard c.stretch_weight + c.de_weight + c.walk_weight > 0 else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->stretch_weight, de_weight and walk_weight are all 0: give at least one move a weight > 0")
    }
    guard c.de_gamma0 == 0 || (c.de_gamma0.isFinite && c.de_gamma0 > 0) else {
        throw ArgumentError(status: .invalidArgument, message: "options->de_gamma0 is \(c.de_gamma0): it must be > 0 (or 0 for 2.38 / sqrt(2 n_dim))")
    }
    var moves: [(move: EnsembleMove, weight: Double)] = []
    if c.stretch_weight > 0 { moves.append((.stretch(a: c.stretch_a), c.stretch_weight)) }
    if c.de_weight > 0 {
        moves.append((.differentialEvolution(sigma: c.de_sigma, gamma0: c.de_gamma0 == 0 ? nil : c.de_gamma0), c.de_weight))
    }
    if c.walk_weight > 0 { moves.append((.walk(subsetSize: c.walk_s == 0 ? nil : Int(c.walk_s)), c.walk_weight)) }
    o.moves = moves
    o.threads = Int(c.n_threads)
    o.thin = Int(c.thin)
    o.progress = samplingProgress(c.progress, c.progress_data)
    o.draws = drawStreaming(c.draws, c.draws_data, dimension: dimension)
    return o
}

@_cdecl("ik_ensemble_options_default")
public func ik_ensemble_options_default(_ options: UnsafeMutablePointer<ik_ensemble_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        o.pointee = ik_ensemble_options_t(
            struct_size: MemoryLayout<ik_ensemble_options_t>.size, n_threads: 1, stretch_weight: 1, stretch_a: 2,
            de_weight: 0, de_sigma: 1e-5, de_gamma0: 0, walk_weight: 0, walk_s: 0, thin: 1,
            progress: nil, progress_data: nil, draws: nil, draws_data: nil)
    }
}

@_cdecl("ik_ensemble_create")
public func ik_ensemble_create(_ logprob: OpaquePointer?, _ nWalkers: Int, _ seed: UInt64,
                               _ options: UnsafePointer<ik_ensemble_options_t>?,
                               _ ensemble: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(ensemble, "ensemble")
        out.pointee = nil
        let density = try logProbHandle(logprob).density
        let walkers = try length(nWalkers, "n_walkers")
        let o = try ensembleOptions(options, dimension: density.dimension)
        let sampler = try EnsembleSampler(density: density, walkerCount: walkers, seed: seed, options: o)
        HandleTable.shared.publish(EnsembleBox(sampler), into: out)
    }
}

@_cdecl("ik_ensemble_run")
public func ik_ensemble_run(_ ensemble: OpaquePointer?, _ initial: UnsafePointer<Double>?, _ nWalkers: Int,
                            _ nDim: Int, _ nSteps: Int) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        let walkers = try length(nWalkers, "n_walkers"), dim = try length(nDim, "n_dim")
        let d = s.density.dimension
        guard walkers == s.walkerCount else {
            throw ArgumentError(status: .dimension, message: "n_walkers is \(walkers) but the sampler has \(s.walkerCount) walkers")
        }
        guard dim == d else {
            throw ArgumentError(status: .dimension, message: "n_dim is \(dim) but the log-probability has \(d) parameters")
        }
        let steps = try length(nSteps, "n_steps")
        let start = initial.map { Array(UnsafeBufferPointer(start: $0, count: walkers * d)) }
        try s.run(initial: start, steps: steps)
    }
}

@_cdecl("ik_ensemble_set_progress")
public func ik_ensemble_set_progress(_ ensemble: OpaquePointer?, _ fn: ik_sampling_progress_fn?,
                                     _ userData: UnsafeMutableRawPointer?) -> Int32 {
    guarded { try ensembleBox(ensemble).sampler.progress = samplingProgress(fn, userData) }
}

@_cdecl("ik_ensemble_set_thin")
public func ik_ensemble_set_thin(_ ensemble: OpaquePointer?, _ thin: Int64) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        guard thin >= 1, thin <= Int64(Int32.max) else {
            throw ArgumentError(status: .invalidArgument, message: "thin is \(thin): it must be >= 1")
        }
        s.thin = Int(thin)
    }
}

@_cdecl("ik_ensemble_info")
public func ik_ensemble_info(_ ensemble: OpaquePointer?, _ info: UnsafeMutablePointer<ik_ensemble_info_t>?) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_ensemble_info_t>.size
        guard info.pointee.struct_size == size else {
            throw ArgumentError(status: .invalidArgument,
                                message: "info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_ensemble_info_t)")
        }
        info.pointee = ik_ensemble_info_t(
            struct_size: size, n_walkers: s.walkerCount, n_dim: s.density.dimension, n_steps: s.iteration,
            total_steps: Int64(s.stepCount), stopped: s.draws.stoppedEarly ? 1 : 0, has_state: s.hasState ? 1 : 0)
    }
}

@_cdecl("ik_ensemble_n_steps")
public func ik_ensemble_n_steps(_ ensemble: OpaquePointer?, _ nSteps: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        try requireNonNull(nSteps, "n_steps").pointee = s.iteration
    }
}

/// Copies stored steps discard + thin - 1, discard + 2 thin - 1, ... of a draw-major array with
/// `width` values per step into out (emcee's get_value slicing, by ChainThinning).
private func copySteps(_ source: [Double], steps: Int, width: Int, discard: Int, thin: Int,
                       _ out: UnsafeMutablePointer<Double>?, _ len: Int, what: String) throws {
    let count = try ChainThinning.keptSteps(steps: steps, discard: discard, thin: thin)
    let needed = count * width
    try requireLength(len, needed, "out", "\(what) (\(count) steps x \(width))")
    guard needed > 0 else { return }
    let o = try requireNonNull(out, "out")
    try source.withUnsafeBufferPointer { src in
        let stored = ChainView(steps: steps, walkers: width, parameters: 1, base: src.baseAddress!)
        try ChainThinning.copyKept(chain: stored, discard: discard, thin: thin, into: o)
    }
}

@_cdecl("ik_ensemble_chain")
public func ik_ensemble_chain(_ ensemble: OpaquePointer?, _ discard: Int, _ thin: Int,
                              _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        try copySteps(s.draws.values, steps: s.iteration, width: s.walkerCount * s.density.dimension,
                      discard: try length(discard, "discard"), thin: try length(thin, "thin"), out, try length(len, "len"),
                      what: "the chain")
    }
}

@_cdecl("ik_ensemble_log_prob")
public func ik_ensemble_log_prob(_ ensemble: OpaquePointer?, _ discard: Int, _ thin: Int,
                                 _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        try copySteps(s.draws.logProbability, steps: s.iteration, width: s.walkerCount,
                      discard: try length(discard, "discard"), thin: try length(thin, "thin"), out, try length(len, "len"),
                      what: "the log-probabilities")
    }
}

@_cdecl("ik_ensemble_current")
public func ik_ensemble_current(_ ensemble: OpaquePointer?, _ positions: UnsafeMutablePointer<Double>?, _ len: Int,
                                _ logProb: UnsafeMutablePointer<Double>?, _ logProbLen: Int) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        guard s.hasState else {
            throw ArgumentError(status: .invalidArgument, message: "the sampler has no state yet: run it (or restore a state) first")
        }
        let p = s.currentPositions, lp = s.currentLogProbabilities
        try write(positions, try length(len, "len"), p.count, "positions (n_walkers x n_dim)") { p[$0] }
        try writeOptional(logProb, "log_prob", try length(logProbLen, "log_prob_len"), lp.count, "log_prob (n_walkers)") { lp[$0] }
    }
}

@_cdecl("ik_ensemble_acceptance_fraction")
public func ik_ensemble_acceptance_fraction(_ ensemble: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let a = try ensembleBox(ensemble).sampler.acceptanceFraction
        try write(out, try length(len, "len"), a.count, "acceptance fraction (n_walkers)") { a[$0] }
    }
}

@_cdecl("ik_ensemble_reset")
public func ik_ensemble_reset(_ ensemble: OpaquePointer?) -> Int32 {
    guarded { try ensembleBox(ensemble).sampler.reset() }
}

@_cdecl("ik_ensemble_state_size")
public func ik_ensemble_state_size(_ ensemble: OpaquePointer?, _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        try requireNonNull(size, "size").pointee = s.stateSize
    }
}

@_cdecl("ik_ensemble_save_state")
public func ik_ensemble_save_state(_ ensemble: OpaquePointer?, _ buf: UnsafeMutablePointer<UInt64>?, _ len: Int) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        let b = try requireNonNull(buf, "buf")
        try requireLength(try length(len, "len"), s.stateSize, "buf", "the ensemble state")
        let state = s.saveState()
        for i in 0..<state.count { b[i] = state[i] }
    }
}

@_cdecl("ik_ensemble_restore_state")
public func ik_ensemble_restore_state(_ ensemble: OpaquePointer?, _ buf: UnsafePointer<UInt64>?, _ len: Int) -> Int32 {
    guarded {
        let s = try ensembleBox(ensemble).sampler
        let b = try requireNonNull(buf, "buf")
        let n = try length(len, "len")
        guard n == s.stateSize else {
            throw ArgumentError(status: .dimension,
                                message: "len is \(n) but the state of \(s.walkerCount) walkers of \(s.density.dimension) parameters has \(s.stateSize) words")
        }
        try s.restoreState(Array(UnsafeBufferPointer(start: b, count: n)))
    }
}

@_cdecl("ik_ensemble_free")
public func ik_ensemble_free(_ ensemble: OpaquePointer?) {
    HandleTable.shared.release(ensemble.map { UnsafeRawPointer($0) }, as: EnsembleBox.self)
}
