import CInferKitABI
import InferKit

// The ik_metropolis_* family: argument checks and conversions only; the sampler is
// InferKit/Inference/Sampling/Metropolis.swift.

/// A Metropolis run owned by a C handle (ik_metropolis_t*).
final class MetropolisBox {
    let result: MetropolisResult
    /// The draws in ArviZ's chain-major layout, computed once.
    let chainMajor: [Double]
    init(_ result: MetropolisResult) {
        self.result = result
        chainMajor = result.draws.chainMajorValues
    }
}

private func metropolisBox(_ h: OpaquePointer?) throws -> MetropolisBox {
    try HandleTable.shared.object(h, as: MetropolisBox.self, name: "result", cType: "ik_metropolis_t")
}

/// The checked C options (NULL: defaults) for a density of `d` parameters.
private func metropolisOptions(_ p: UnsafePointer<ik_metropolis_options_t>?, dimension d: Int) throws -> MetropolisOptions {
    var o = MetropolisOptions()
    guard let p else { return o }
    let c = p.pointee
    let size = MemoryLayout<ik_metropolis_options_t>.size
    guard c.struct_size == size else {
        throw ArgumentError(status: .invalidArgument,
                            message: "options->struct_size is \(c.struct_size) but this library expects \(size): fill the options with ik_metropolis_options_default()")
    }
    guard c.n_warmup >= 0, c.n_warmup <= Int64(Int32.max) * 64 else {
        throw ArgumentError(status: .invalidArgument, message: "options->n_warmup is \(c.n_warmup): it must be >= 0")
    }
    guard c.thin >= 1, c.thin <= Int64(Int32.max) else {
        throw ArgumentError(status: .invalidArgument, message: "options->thin is \(c.thin): it must be >= 1")
    }
    guard c.n_threads >= 0 else {
        throw ArgumentError(status: .invalidArgument, message: "options->n_threads is \(c.n_threads): it must be >= 0 (0 for all cores)")
    }
    guard c.target_acceptance > 0, c.target_acceptance < 1 else {
        throw ArgumentError(status: .invalidArgument, message: "options->target_acceptance is \(c.target_acceptance): it must be in (0, 1)")
    }
    guard c.regularization.isFinite, c.regularization >= 0 else {
        throw ArgumentError(status: .invalidArgument, message: "options->regularization is \(c.regularization): it must be finite and >= 0")
    }
    o.warmup = Int(c.n_warmup)
    o.thin = Int(c.thin)
    o.adaptCovariance = try flag(c.adapt_covariance, "options->adapt_covariance")
    o.adaptScale = try flag(c.adapt_scale, "options->adapt_scale")
    o.targetAcceptance = c.target_acceptance
    o.regularization = c.regularization
    if let cov = c.proposal_cov {
        let values = UnsafeBufferPointer(start: cov, count: d * d)
        for (i, v) in values.enumerated() where !v.isFinite {
            throw ArgumentError(status: .nonFinite, message: "options->proposal_cov[\(i / d),\(i % d)] is \(v)")
        }
        o.proposalCovariance = Array(values)
    } else {
        guard c.proposal_scale.isFinite, c.proposal_scale > 0 else {
            throw ArgumentError(status: .invalidArgument, message: "options->proposal_scale is \(c.proposal_scale): it must be finite and > 0")
        }
        o.proposalScale = c.proposal_scale
    }
    o.threads = Int(c.n_threads)
    o.progress = samplingProgress(c.progress, c.progress_data)
    o.draws = drawStreaming(c.draws, c.draws_data, dimension: d)
    return o
}

@_cdecl("ik_metropolis_options_default")
public func ik_metropolis_options_default(_ options: UnsafeMutablePointer<ik_metropolis_options_t>?) -> Int32 {
    guarded {
        let o = try requireNonNull(options, "options")
        let d = MetropolisOptions()
        o.pointee = ik_metropolis_options_t(
            struct_size: MemoryLayout<ik_metropolis_options_t>.size, n_warmup: Int64(d.warmup), thin: Int64(d.thin),
            adapt_covariance: d.adaptCovariance ? 1 : 0, adapt_scale: d.adaptScale ? 1 : 0,
            target_acceptance: d.targetAcceptance, regularization: d.regularization, proposal_cov: nil,
            proposal_scale: d.proposalScale, n_threads: Int32(d.threads), progress: nil, progress_data: nil,
            draws: nil, draws_data: nil)
    }
}

@_cdecl("ik_metropolis_sample")
public func ik_metropolis_sample(_ logprob: OpaquePointer?, _ initial: UnsafePointer<Double>?, _ nChains: Int,
                                 _ nDim: Int, _ nDraws: Int, _ seed: UInt64,
                                 _ options: UnsafePointer<ik_metropolis_options_t>?,
                                 _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let density = try logProbHandle(logprob).density
        let d = density.dimension
        let dim = try length(nDim, "n_dim")
        guard dim == d else {
            throw ArgumentError(status: .dimension, message: "n_dim is \(dim) but the log-probability has \(d) parameters")
        }
        let chains = try length(nChains, "n_chains")
        guard chains > 0 else { throw ArgumentError(status: .dimension, message: "n_chains is 0: run at least one chain") }
        let start = try requireNonNull(initial, "initial")
        let count = try product(chains, d, "initial")
        let draws = try length(nDraws, "n_draws")
        let o = try metropolisOptions(options, dimension: d)
        _ = try product(try product(draws, chains, "the draws"), d, "the draws")
        let r = try Metropolis.sample(density, initial: Array(UnsafeBufferPointer(start: start, count: count)),
                                      draws: draws, seed: seed, options: o)
        HandleTable.shared.publish(MetropolisBox(r), into: out)
    }
}

@_cdecl("ik_metropolis_info")
public func ik_metropolis_info(_ result: OpaquePointer?, _ info: UnsafeMutablePointer<ik_metropolis_info_t>?) -> Int32 {
    guarded {
        let r = try metropolisBox(result).result
        let info = try requireNonNull(info, "info")
        let size = MemoryLayout<ik_metropolis_info_t>.size
        guard info.pointee.struct_size == size else {
            throw ArgumentError(status: .invalidArgument,
                                message: "info->struct_size is \(info.pointee.struct_size) but this library expects \(size): set it to sizeof(ik_metropolis_info_t)")
        }
        info.pointee = ik_metropolis_info_t(struct_size: size, n_chains: r.draws.chainCount, n_dim: r.draws.dimension,
                                            n_draws: r.draws.drawCount, stopped: r.draws.stoppedEarly ? 1 : 0)
    }
}

@_cdecl("ik_metropolis_draws")
public func ik_metropolis_draws(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let v = try metropolisBox(result).chainMajor
        try write(out, try length(len, "len"), v.count, "draws (n_chains x n_draws x n_dim)") { v[$0] }
    }
}

@_cdecl("ik_metropolis_log_prob")
public func ik_metropolis_log_prob(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let draws = try metropolisBox(result).result.draws
        let n = draws.drawCount, c = draws.chainCount
        let lp = draws.logProbability
        try write(out, try length(len, "len"), n * c, "log_prob (n_chains x n_draws)") { i in lp[(i % n) * c + i / n] }
    }
}

@_cdecl("ik_metropolis_acceptance_fraction")
public func ik_metropolis_acceptance_fraction(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let a = try metropolisBox(result).result.acceptanceFraction
        try write(out, try length(len, "len"), a.count, "acceptance fraction (n_chains)") { a[$0] }
    }
}

@_cdecl("ik_metropolis_proposal_cov")
public func ik_metropolis_proposal_cov(_ result: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ len: Int) -> Int32 {
    guarded {
        let c = try metropolisBox(result).result.proposalCovariance
        try write(out, try length(len, "len"), c.count, "proposal covariance (n_chains x n_dim x n_dim)") { c[$0] }
    }
}

@_cdecl("ik_metropolis_state_size")
public func ik_metropolis_state_size(_ result: OpaquePointer?, _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let r = try metropolisBox(result).result
        try requireNonNull(size, "size").pointee = r.state.count
    }
}

@_cdecl("ik_metropolis_save_state")
public func ik_metropolis_save_state(_ result: OpaquePointer?, _ buf: UnsafeMutablePointer<UInt64>?, _ len: Int) -> Int32 {
    guarded {
        let state = try metropolisBox(result).result.state
        let b = try requireNonNull(buf, "buf")
        try requireLength(try length(len, "len"), state.count, "buf", "the Metropolis state")
        for i in 0..<state.count { b[i] = state[i] }
    }
}

@_cdecl("ik_metropolis_resume")
public func ik_metropolis_resume(_ logprob: OpaquePointer?, _ state: UnsafePointer<UInt64>?, _ len: Int, _ nDraws: Int,
                                 _ options: UnsafePointer<ik_metropolis_options_t>?,
                                 _ result: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try requireNonNull(result, "result")
        out.pointee = nil
        let density = try logProbHandle(logprob).density
        let words = try requireNonNull(state, "state")
        let n = try length(len, "len")
        let draws = try length(nDraws, "n_draws")
        let o = try metropolisOptions(options, dimension: density.dimension)
        let r = try Metropolis.resume(density, state: Array(UnsafeBufferPointer(start: words, count: n)), draws: draws, options: o)
        HandleTable.shared.publish(MetropolisBox(r), into: out)
    }
}

@_cdecl("ik_metropolis_free")
public func ik_metropolis_free(_ result: OpaquePointer?) {
    HandleTable.shared.release(result.map { UnsafeRawPointer($0) }, as: MetropolisBox.self)
}
