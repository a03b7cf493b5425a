// Exact derivatives of a tape.
//
// Jacobian of a model over its data points: forward mode over the parameters, or reverse mode
// block by block (ReverseJacobian.swift) when its sweep is shorter. Forward: each
// instruction carries, next to its block of values, one block of tangents per parameter it
// depends on, computed in the same pass while the operands are still in cache. With p
// parameters this costs about (1 + p) cheap multiply-adds per instruction and point and no
// stored intermediates. Reverse mode keeps the block's values for a backward sweep whose length
// does not grow with p: for A*exp(-0.5*((x-mu)/sig)^2) + B it is 8 loops against 16.
// Parameter sparsity is exploited: a slot only carries tangents of the parameters it
// depends on (in A*exp(...) + B, the background B touches one instruction).
//
// Gradient of a scalar formula without inputs: reverse mode, one backward sweep over the
// tape. Hessian: a second-order forward pass (value, gradient and Hessian per slot, using
// the operations' exact second partials), exact to rounding.

extension Tape {
    /// Values and the column-major n x p Jacobian d f(x_i) / d p_j at `count` points.
    /// With `residuals`, writes the weighted residuals and the weighted Jacobian instead; column j
    /// starts at `jacobian[j * leadingDimension]` (default n), so a slice of points can write its
    /// rows of a larger Jacobian.
    func jacobian(inputs: [UnsafeBufferPointer<Double>], parameters: UnsafeBufferPointer<Double>,
                  count n: Int, values output: UnsafeMutableBufferPointer<Double>,
                  jacobian: UnsafeMutableBufferPointer<Double>, residuals: ResidualTransform? = nil,
                  leadingDimension: Int? = nil) {
        if prefersReverseJacobian {
            reverseJacobian(inputs: inputs, parameters: parameters, count: n, values: output, jacobian: jacobian,
                            residuals: residuals, leadingDimension: leadingDimension)
            return
        }
        forwardJacobian(inputs: inputs, parameters: parameters, count: n, values: output, jacobian: jacobian,
                        residuals: residuals, leadingDimension: leadingDimension)
    }

    /// The Jacobian by forward mode (see the top of this file); `jacobian` chooses.
    func forwardJacobian(inputs: [UnsafeBufferPointer<Double>], parameters: UnsafeBufferPointer<Double>,
                         count n: Int, values output: UnsafeMutableBufferPointer<Double>,
                         jacobian: UnsafeMutableBufferPointer<Double>, residuals: ResidualTransform? = nil,
                  leadingDimension: Int? = nil) {
        let p = parameterCount
        let ld = leadingDimension ?? n
        let block = Swift.min(Tape.blockSize, Swift.max(n, 1))
        // Tangent blocks exist only for the (slot, parameter) pairs that depend on each other
        // (tangentIndex); each is written by its instruction before it is read, so only the
        // parameters' own tangents (ones) are initialised, and no slot is read before it is
        // written (inputs, parameters and constants are filled first).
        let values = UnsafeMutablePointer<Double>.allocate(capacity: slotCount * block)
        let tangents = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(tangentBlocks * block, 1))
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 3 * block)
        defer { values.deallocate(); tangents.deallocate(); scratch.deallocate() }
        fillInvariants(values, block: block, parameters: parameters)
        @inline(__always) func tangent(_ slot: Int, _ j: Int) -> UnsafeMutablePointer<Double> {
            // Operands that do not depend on j are never read; point them at the scratch.
            let index = tangentIndex[slot * p + j]
            return index < 0 ? scratch : tangents + index * block
        }
        for j in 0..<p {
            tangent(parameterSlot(j), j).initialize(repeating: 1, count: block)
        }
        var start = 0
        while start < n {
            let m = Swift.min(block, n - start)
            loadInputs(inputs, values, block: block, from: start, count: m)
            for (k, instruction) in instructions.enumerated() {
                execute(instruction, values, block: block, count: m)
                let out = instruction.output
                let a = instruction.a, b = instruction.b, c = instruction.c
                let va = values + a * block, vb = values + b * block, vc = values + c * block
                let vo = values + out * block
                var partialsReady = false
                for j in 0..<p where depends(out, on: j) && !sharedTangent[k * p + j] {
                    let t = tangent(out, j)
                    let da = depends(a, on: j)
                    let db = instruction.op.arity >= 2 && depends(b, on: j)
                    switch instruction.op {
                    case .add, .subtract:
                        let s: Double = instruction.op == .add ? 1 : -1
                        let ta = tangent(a, j), tb = tangent(b, j)
                        if da && db { for i in 0..<m { t[i] = ta[i] + s * tb[i] } }
                        else if da { t.update(from: ta, count: m) }
                        else { for i in 0..<m { t[i] = s * tb[i] } }
                    case .negate:
                        let ta = tangent(a, j)
                        for i in 0..<m { t[i] = -ta[i] }
                    case .multiply:
                        let ta = tangent(a, j), tb = tangent(b, j)
                        if da && db { for i in 0..<m { t[i] = vb[i] * ta[i] + va[i] * tb[i] } }
                        else if da { for i in 0..<m { t[i] = vb[i] * ta[i] } }
                        else { for i in 0..<m { t[i] = va[i] * tb[i] } }
                    case .square:
                        let ta = tangent(a, j)
                        for i in 0..<m { t[i] = 2 * va[i] * ta[i] }
                    case .divide:
                        let ta = tangent(a, j), tb = tangent(b, j)
                        if da && db { for i in 0..<m { t[i] = (ta[i] - vo[i] * tb[i]) / vb[i] } }
                        else if da { for i in 0..<m { t[i] = ta[i] / vb[i] } }
                        else { for i in 0..<m { t[i] = -vo[i] * tb[i] / vb[i] } }
                    case .exp:
                        let ta = tangent(a, j)
                        for i in 0..<m { t[i] = vo[i] * ta[i] }
                    default:
                        let pa = scratch, pb = scratch + block, pc = scratch + 2 * block
                        if !partialsReady {
                            let op = instruction.op
                            for i in 0..<m {
                                (pa[i], pb[i], pc[i]) = op.partials(va[i], vb[i], vc[i], vo[i])
                            }
                            partialsReady = true
                        }
                        if instruction.op.arity == 3 {
                            // select (whose condition a carries no derivative) and voigt
                            let ta = tangent(a, j), tb = tangent(b, j), tc = tangent(c, j)
                            let da = da && !instruction.op.hasCondition, dc = depends(c, on: j)
                            for i in 0..<m {
                                t[i] = (da ? pa[i] * ta[i] : 0) + (db ? pb[i] * tb[i] : 0)
                                    + (dc ? pc[i] * tc[i] : 0)
                            }
                        } else {
                            let ta = tangent(a, j), tb = tangent(b, j)
                            if da && db { for i in 0..<m { t[i] = pa[i] * ta[i] + pb[i] * tb[i] } }
                            else if da { for i in 0..<m { t[i] = pa[i] * ta[i] } }
                            else { for i in 0..<m { t[i] = pb[i] * tb[i] } }
                        }
                    }
                }
            }
            ResidualTransform.store(residuals, values + result * block, into: output, at: start, count: m)
            for j in 0..<p {
                let column = jacobian.baseAddress.map { $0 + j * ld + start }
                guard let column else { continue }
                if depends(result, on: j) {
                    ResidualTransform.storeDerivative(residuals, tangent(result, j), into: column, at: start, count: m)
                } else {
                    column.update(repeating: 0, count: m)
                }
            }
            start += m
        }
    }

    /// Operands of an instruction that carry derivatives, with their positions 0, 1, 2.
    private func differentiableOperands(_ instruction: Instruction) -> [(slot: Int, position: Int)] {
        if instruction.op.isComparison { return [] }
        switch instruction.op.arity {
        case 1: return [(instruction.a, 0)]
        case 2: return [(instruction.a, 0), (instruction.b, 1)]
        default:
            let operands = [(instruction.a, 0), (instruction.b, 1), (instruction.c, 2)]
            return instruction.op.hasCondition ? Array(operands.dropFirst()) : operands
        }
    }

    /// Value slots at one point: the inputs' values `point` (empty for a formula without
    /// inputs) and one parameter vector.
    private func scalarValues(_ parameters: UnsafeBufferPointer<Double>, point: [Double] = []) -> [Double] {
        var values = [Double](repeating: 0, count: slotCount)
        values.withUnsafeMutableBufferPointer { v in
            guard let base = v.baseAddress else { return }
            fillInvariants(base, block: 1, parameters: parameters)
            for k in 0..<Swift.min(inputCount, point.count) { base[k] = point[k] }
            for instruction in instructions { execute(instruction, base, block: 1, count: 1) }
        }
        return values
    }

    /// Value and gradient of a formula without inputs by reverse mode (one backward sweep).
    func gradient(parameters: UnsafeBufferPointer<Double>) -> (value: Double, gradient: [Double]) {
        let values = scalarValues(parameters)
        var adjoints = [Double](repeating: 0, count: slotCount)
        adjoints[result] = 1
        for instruction in instructions.reversed() {
            let adjoint = adjoints[instruction.output]
            if adjoint == 0 { continue }
            let partials = instruction.op.partials(values[instruction.a], values[instruction.b],
                                                   values[instruction.c], values[instruction.output])
            for (slot, position) in differentiableOperands(instruction) {
                let d = position == 0 ? partials.0 : (position == 1 ? partials.1 : partials.2)
                if d != 0 { adjoints[slot] += d * adjoint }
            }
        }
        return (values[result], (0..<parameterCount).map { adjoints[parameterSlot($0)] })
    }

    /// Value, gradient and the p x p Hessian (row-major, symmetric) of a formula without
    /// inputs by a second-order forward pass.
    func hessian(parameters: UnsafeBufferPointer<Double>) -> (value: Double, gradient: [Double], hessian: [Double]) {
        secondOrder(scalarValues(parameters))
    }

    /// Σ_i c_i ∇²f(x_i; p), the p × p (row-major) weighted sum of the Hessians of the model at
    /// `count` points (the curvature term of a least-squares Hessian); points with c_i = 0
    /// are skipped.
    func weightedHessian(inputs: [UnsafeBufferPointer<Double>], parameters: UnsafeBufferPointer<Double>,
                         count n: Int, weights: UnsafeBufferPointer<Double>) -> [Double] {
        let p = parameterCount
        var total = [Double](repeating: 0, count: p * p)
        var point = [Double](repeating: 0, count: inputCount)
        for i in 0..<n where weights[i] != 0 {
            for k in 0..<inputCount { point[k] = inputs[k][i] }
            let h = secondOrder(scalarValues(parameters, point: point)).hessian
            for k in 0..<(p * p) { total[k] += weights[i] * h[k] }
        }
        return total
    }

    /// Value, gradient and Hessian of the result slot by a second-order forward pass over
    /// evaluated value slots.
    private func secondOrder(_ values: [Double]) -> (value: Double, gradient: [Double], hessian: [Double]) {
        let p = parameterCount
        var gradients = [Double](repeating: 0, count: slotCount * p)
        var hessians = [Double](repeating: 0, count: slotCount * p * p)
        for j in 0..<p { gradients[parameterSlot(j) * p + j] = 1 }
        for instruction in instructions {
            let out = instruction.output
            guard (0..<p).contains(where: { depends(out, on: $0) }) else { continue }
            let a = values[instruction.a], b = values[instruction.b]
            let first = instruction.op.partials(a, b, values[instruction.c], values[out])
            let operands = differentiableOperands(instruction)
            for (slot, position) in operands {
                let d = position == 0 ? first.0 : (position == 1 ? first.1 : first.2)
                if d == 0 || !(0..<p).contains(where: { depends(slot, on: $0) }) { continue }
                for j in 0..<p { gradients[out * p + j] += d * gradients[slot * p + j] }
                for k in 0..<(p * p) { hessians[out * p * p + k] += d * hessians[slot * p * p + k] }
            }
            if instruction.op == .select { continue }  // no curvature of its own
            let second = instruction.op.curvature(a, b, values[instruction.c], values[out])
            // s * x * y, but 0 when x or y is 0 even if s is infinite (an operand that does not
            // depend on the parameter contributes no curvature).
            @inline(__always) func term(_ s: Double, _ x: Double, _ y: Double) -> Double {
                x == 0 || y == 0 ? 0 : s * x * y
            }
            for j in 0..<p {
                for k in 0..<p {
                    var h = 0.0
                    for (slot1, position1) in operands {
                        for (slot2, position2) in operands {
                            h += term(second[position1, position2], gradients[slot1 * p + j],
                                      gradients[slot2 * p + k])
                        }
                    }
                    hessians[out * p * p + j * p + k] += h
                }
            }
        }
        return (values[result], Array(gradients[(result * p)..<(result * p + p)]),
                Array(hessians[(result * p * p)..<(result * p * p + p * p)]))
    }
}
