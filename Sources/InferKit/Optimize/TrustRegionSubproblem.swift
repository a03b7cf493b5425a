/// The trust-region subproblem min m(p) = gᵀp + ½ pᵀHp subject to ‖p‖₂ <= Δ, solved exactly
/// through the eigendecomposition H = Q Λ Qᵀ (Nocedal & Wright, Numerical Optimization,
/// §4.3; Moré & Sorensen, SIAM J. Sci. Stat. Comput. 4 (1983) 553).
///
/// In eigen coordinates p = Q c the solution is c_i = -γ_i / (λ_i + σ), γ = Qᵀg, with σ >= 0,
/// H + σI positive semidefinite and σ (‖p‖ - Δ) = 0. σ is the root of the secular equation
/// 1/Δ - 1/‖p(σ)‖ = 0, found by Newton's method safeguarded by bisection. In the hard case (g
/// nearly orthogonal to the eigenvectors of the smallest eigenvalue λ₁ <= 0, ‖p(-λ₁)‖ < Δ) the
/// step p(-λ₁) is completed to the boundary along the eigenvector of λ₁.
struct TrustRegionSubproblem {
    private let dimension: Int
    /// Eigenvalues, ascending.
    private let eigenvalues: [Double]
    /// Eigenvectors, the columns of a column-major n x n matrix.
    private let eigenvectors: [Double]
    /// γ = Qᵀg.
    private let coordinates: [Double]
    private let gradientNorm: Double

    /// Decomposes the symmetric part of the finite row-major n x n `hessian`.
    init(hessian: [Double], gradient: [Double], dimension n: Int) throws {
        var a = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0..<n { a[i + j * n] = 0.5 * (hessian[i * n + j] + hessian[j * n + i]) }
        }
        var values = [Double](repeating: 0, count: n)
        try LAPACK.syevd(n, &a, &values)
        dimension = n
        eigenvalues = values
        eigenvectors = a
        coordinates = (0..<n).map { k in
            var s = 0.0
            for i in 0..<n { s += a[i + k * n] * gradient[i] }
            return s
        }
        gradientNorm = Vector.norm(gradient)
    }

    /// The coefficients c(σ) and their norm.
    private func coefficients(_ sigma: Double) -> [Double] {
        (0..<dimension).map { i in
            let d = eigenvalues[i] + sigma
            return coordinates[i] == 0 ? 0 : -coordinates[i] / d
        }
    }

    /// The minimiser of the model in the ball of radius Δ > 0, the decrease it predicts
    /// (-m(p) >= 0) and whether it lies on the boundary.
    func solve(radius: Double) -> (step: [Double], predictedDecrease: Double, onBoundary: Bool) {
        let n = dimension
        guard n > 0 else { return ([], 0, false) }
        let smallest = eigenvalues[0]
        if smallest > 0 {
            let c = coefficients(0)
            if Vector.norm(c) <= radius { return finish(c, onBoundary: false) }
        }
        let scale = Swift.max(Swift.abs(smallest), Swift.abs(eigenvalues[n - 1]), Double.leastNormalMagnitude)
        let lowest = Swift.max(0, -smallest)
        let shift = smallest > 0 ? 0 : 1e-10 * scale
        var low = lowest + shift
        var c = coefficients(low)
        var norm = Vector.norm(c)
        if norm <= radius {
            // The hard case: complete the step to the boundary along the eigenvector of λ₁,
            // in the direction that lowers the model.
            let rest = Vector.dot(c, c) - c[0] * c[0]
            let length = Swift.max(0, radius * radius - rest).squareRoot()
            c[0] = coordinates[0] > 0 ? -length : length
            return finish(c, onBoundary: true)
        }
        // ‖p(σ)‖ decreases from above Δ at `low` to at most Δ at `high`.
        var high = Swift.max(low, gradientNorm / radius - smallest)
        var sigma = high
        for _ in 0..<200 {
            c = coefficients(sigma)
            norm = Vector.norm(c)
            if Swift.abs(norm - radius) <= 1e-10 * radius { break }
            if norm > radius { low = sigma } else { high = sigma }
            if high - low <= 4 * Double.ulpOfOne * high { break }
            // Newton on 1/Δ - 1/‖p‖ = 0, whose derivative is Σ c_i² / (λ_i + σ) / ‖p‖³.
            var derivative = 0.0
            for i in 0..<n { derivative += c[i] * c[i] / (eigenvalues[i] + sigma) }
            derivative /= norm * norm * norm
            let newton = sigma - (1 / radius - 1 / norm) / derivative
            sigma = newton > low && newton < high && newton.isFinite ? newton : 0.5 * (low + high)
        }
        return finish(c, onBoundary: true)
    }

    private func finish(_ c: [Double], onBoundary: Bool) -> (step: [Double], predictedDecrease: Double, onBoundary: Bool) {
        let n = dimension
        var model = 0.0
        for i in 0..<n { model += coordinates[i] * c[i] + 0.5 * eigenvalues[i] * c[i] * c[i] }
        var step = [Double](repeating: 0, count: n)
        for k in 0..<n where c[k] != 0 {
            for i in 0..<n { step[i] += eigenvectors[i + k * n] * c[k] }
        }
        return (step, -model, onBoundary)
    }
}
