/// The algorithms of `minimize`. Raw values are fixed for the C interface and never reused.
///
/// | method | derivatives | bounds | reference |
/// | --- | --- | --- | --- |
/// | `newton` | gradient and Hessian | no | Nocedal & Wright, Numerical Optimization (2006), §3.4 and Alg. 3.5/3.6 |
/// | `newtonTrustRegion` | gradient and Hessian | no | Nocedal & Wright §4.3 (the exact subproblem, Moré & Sorensen 1983) |
/// | `gradientDescent` | gradient | projection | Nocedal & Wright §3.1 (Armijo backtracking), Bertsekas (1976) for the projected arc |
/// | `adam` | gradient | projection | Kingma & Ba, arXiv:1412.6980 (2014), Algorithm 1 |
/// | `bfgs` | gradient | no | Nocedal & Wright §6.1 |
/// | `lbfgs` | gradient | no | Nocedal & Wright §7.2 (two-loop recursion, Alg. 7.4) |
/// | `lbfgsb` | gradient | yes | Byrd, Lu, Nocedal & Zhu, SIAM J. Sci. Comput. 16 (1995) 1190; Morales & Nocedal, ACM TOMS 38 (2011) 7 |
/// | `nelderMead` | none | clipping | Nelder & Mead (1965); Gao & Han (2012) for the adaptive variant; as scipy's `Nelder-Mead` |
///
/// Methods without bounds support reject `bounds` with `InferKitError.invalidArgument`.
public enum MinimizeMethod: Int32, Sendable, CaseIterable {
    /// Newton's method with the exact Hessian, modified by adding a multiple of the identity
    /// until its Cholesky factorisation succeeds (so every direction descends), and a
    /// strong-Wolfe line search.
    case newton = 0
    /// Newton's method in a trust region: the quadratic model with the exact Hessian is
    /// minimised exactly within the region (eigendecomposition and the secular equation,
    /// the "hard case" included), so indefinite Hessians are used, not modified.
    case newtonTrustRegion = 1
    /// Steepest descent with an Armijo backtracking step (projected onto the bounds when given).
    case gradientDescent = 2
    /// Adam: steps scaled by bias-corrected first and second moment estimates of the gradient.
    case adam = 3
    /// Limited-memory BFGS: two-loop recursion and a strong-Wolfe line search.
    case lbfgs = 4
    /// Limited-memory BFGS with bounds: generalised Cauchy point, subspace minimisation and a
    /// line search in the box (L-BFGS-B 3.0, the algorithm behind scipy's `L-BFGS-B`).
    case lbfgsb = 5
    /// The downhill simplex of Nelder and Mead (no derivatives).
    case nelderMead = 6
    /// BFGS with a dense inverse-Hessian approximation and a strong-Wolfe line search; its
    /// inverse Hessian is returned.
    case bfgs = 7

    /// Whether the method accepts `bounds`.
    public var supportsBounds: Bool {
        switch self {
        case .lbfgsb, .gradientDescent, .adam, .nelderMead: return true
        case .newton, .newtonTrustRegion, .lbfgs, .bfgs: return false
        }
    }

    /// The case name, for messages.
    public var name: String {
        switch self {
        case .newton: return "newton"
        case .newtonTrustRegion: return "newtonTrustRegion"
        case .gradientDescent: return "gradientDescent"
        case .adam: return "adam"
        case .lbfgs: return "lbfgs"
        case .lbfgsb: return "lbfgsb"
        case .nelderMead: return "nelderMead"
        case .bfgs: return "bfgs"
        }
    }
}
