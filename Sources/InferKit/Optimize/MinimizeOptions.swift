/// What the progress callback of `minimize` sees after each iteration.
public struct MinimizeProgress: Sendable {
    /// Iterations completed (1 after the first).
    public let iteration: Int
    /// The current point.
    public let x: [Double]
    /// The objective at `x`.
    public let value: Double
    /// The infinity norm of the (projected) gradient at `x`; nil for Nelder-Mead.
    public let gradientNorm: Double?
    /// Objective evaluations so far.
    public let functionEvaluations: Int
}

/// Settings of `minimize`. Every field has a default; `nil` means "the method's default", as
/// listed with the field.
///
/// Stopping rules, tested after every iteration (a success when one of the tolerance tests
/// holds, checked in this order):
/// - gradient: ‖g‖∞ <= `gtol`, with g the projected gradient x - P(x - ∇f) when there are bounds
///   (scipy's `gtol`/`pgtol`); also tested at x0, which may then be returned after 0 iterations;
/// - function: (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= `ftol` (scipy's L-BFGS-B
///   `factr * eps`);
/// - step: ‖x_{k+1} - x_k‖∞ <= `xtol` · max(1, ‖x_{k+1}‖∞).
/// Adam tests only the gradient; Nelder-Mead tests only its simplex (`simplexXTolerance`,
/// `simplexFTolerance`).
public struct MinimizeOptions {
    /// Gradient tolerance on the infinity norm of the (projected) gradient, absolute.
    /// Default 1e-8.
    public var gtol = 1e-8
    /// Relative reduction of f per iteration below which the run stops. Default 1e-12
    /// (scipy's L-BFGS-B default is 2.2e-9, i.e. `factr` = 1e7); 0 disables the test.
    public var ftol = 1e-12
    /// Relative step below which the run stops. Default 0: disabled.
    public var xtol = 0.0
    /// Maximum iterations. nil: 200 n for newton, newtonTrustRegion, bfgs and nelderMead
    /// (scipy's defaults), 15000 for lbfgs and lbfgsb (scipy's `maxiter`), 10000 for
    /// gradientDescent and adam. For nelderMead, as in scipy, the 200 n default applies only
    /// when `maxEvaluations` is nil too, and scipy's `nit` counts one more than `iterations`.
    public var maxIterations: Int?
    /// Maximum objective evaluations (calls that compute f, with or without derivatives).
    /// nil: 15000 for lbfgs and lbfgsb (scipy's `maxfun`), 200 n for nelderMead when
    /// `maxIterations` is nil too (scipy's `maxfev`), unlimited otherwise. A run stops at the
    /// first evaluation that would exceed it and returns the last accepted point.
    public var maxEvaluations: Int?
    /// The step size of Adam (default 0.001, Kingma & Ba's), or the first trial step of
    /// gradient descent (default 1 / ‖∇f(x0)‖∞; later trial steps double the last accepted one
    /// when it was accepted at once).
    public var learningRate: Double?
    /// Adam's decay rate of the first-moment estimate, in [0, 1). Default 0.9.
    public var beta1 = 0.9
    /// Adam's decay rate of the second-moment estimate, in [0, 1). Default 0.999.
    public var beta2 = 0.999
    /// Adam's denominator guard ε > 0 in m̂ / (√v̂ + ε). Default 1e-8.
    public var epsilon = 1e-8
    /// Number of correction pairs kept by lbfgs and lbfgsb, >= 1. Default 10 (scipy's `maxcor`).
    public var memory = 10
    /// Maximum evaluations of one line search (newton, bfgs, lbfgs, lbfgsb, gradientDescent).
    /// Default 20 (scipy's `maxls`).
    public var maxLineSearchEvaluations = 20
    /// The first trust-region radius of newtonTrustRegion, > 0. Default 1 (scipy's).
    public var initialTrustRadius = 1.0
    /// The largest trust-region radius, >= `initialTrustRadius`. Default 1000 (scipy's).
    public var maxTrustRadius = 1000.0
    /// Relative size of the initial Nelder-Mead simplex along each nonzero coordinate of x0
    /// (scipy's `nonzdelt`). Default 0.05.
    public var initialSimplexStep = 0.05
    /// Absolute size of the initial simplex along a zero coordinate of x0 (scipy's `zdelt`).
    /// Default 0.00025.
    public var initialSimplexZeroStep = 0.00025
    /// An initial simplex of n + 1 points of n values each, replacing the one built from
    /// x0 (scipy's `initial_simplex`); x0 must still be given and is only checked.
    public var initialSimplex: [[Double]]?
    /// Nelder-Mead with dimension-dependent coefficients (Gao & Han 2012; scipy's `adaptive`).
    /// Default false: reflection 1, expansion 2, contraction 1/2, shrink 1/2.
    public var adaptive = false
    /// Nelder-Mead stops when every vertex is within this distance (infinity norm) of the best
    /// one and `simplexFTolerance` holds (scipy's `xatol`). Default 1e-4.
    public var simplexXTolerance = 1e-4
    /// Nelder-Mead stops when every vertex value is within this of the best one and
    /// `simplexXTolerance` holds (scipy's `fatol`). Default 1e-4.
    public var simplexFTolerance = 1e-4
    /// Called after every iteration; returning false stops the run cleanly (status
    /// `stoppedByCallback`); an error it throws propagates out of `minimize` unchanged. Called
    /// on the caller's thread, never concurrently.
    public var progress: ((MinimizeProgress) throws -> Bool)?

    /// The defaults.
    public init() {}
}
