// The Jacobian of a model over its data points by reverse mode, one backward sweep per block
// of points: every point is its own scalar output, so the adjoints of a block are arrays
// (one value per point) that flow from the result back to the parameters, whose adjoints are
// the Jacobian's columns. One sweep gives all p partials, at a cost set by the number of
// instructions rather than by p times it, and adjoints that are the same at every point (a
// parameter times a constant) stay scalars. Forward mode (Derivatives.swift) wins for a few
// parameters touching long chains; `Tape.prefersReverseJacobian` compares the two costs.
//
// With a residual transform the seed is the weight w_i instead of 1, so the columns come out
// weighted with no extra pass.

/// The adjoint of one slot over a block: none yet, one value for every point, or an array.
private struct Adjoint {
    enum Kind { case none, uniform, array }
    var kind = Kind.none
    var scalar = 0.0
    var pointer: UnsafeMutablePointer<Double>? = nil
}

/// ∂out/∂operand over a block: `scale · values[i]`, or the constant `scale` when values is nil.
private struct Partial {
    let values: UnsafePointer<Double>?
    let scale: Double
    static func constant(_ c: Double) -> Partial { Partial(values: nil, scale: c) }
}

extension Tape {
    /// The tape with `prefersReverseJacobian` set: loops over blocks the forward Jacobian runs
    /// (one per parameter an instruction's result depends on and does not share) against the
    /// reverse sweep's (one per operand that depends on some parameter, plus the parameters' own
    /// columns): reverse when cheaper.
    func decidingJacobianMode() -> Tape {
        var tape = self
        tape.prefersReverseJacobian = reverseIsCheaper()
        return tape
    }

    private func reverseIsCheaper() -> Bool {
        let p = parameterCount
        guard p > 1 else { return false }
        var forward = 0, reverse = p
        for (k, instruction) in instructions.enumerated() {
            for j in 0..<p where depends(instruction.output, on: j) && !sharedTangent[k * p + j] { forward += 1 }
            for slot in differentiableSlots(instruction) where dependsOnAny(slot) { reverse += 1 }
        }
        forward += p  // the columns written out
        return reverse < forward
    }

    /// True when `slot` depends on some parameter.
    @inline(__always)
    func dependsOnAny(_ slot: Int) -> Bool {
        let p = parameterCount
        for j in 0..<p where dependencies[slot * p + j] { return true }
        return false
    }

    /// The operand slots of an instruction that carry derivatives (not a comparison's, not a
    /// condition).
    func differentiableSlots(_ instruction: Instruction) -> [Int] {
        if instruction.op.isComparison { return [] }
        switch instruction.op.arity {
        case 1: return [instruction.a]
        case 2: return [instruction.a, instruction.b]
        default:
            return instruction.op.hasCondition ? [instruction.b, instruction.c] : [instruction.a, instruction.b, instruction.c]
        }
    }

    /// Values (or weighted residuals) and the column-major n × p Jacobian (weighted with
    /// `residuals`) by block-wise reverse mode; the same outputs as `jacobian`.
    func reverseJacobian(inputs: [UnsafeBufferPointer<Double>], parameters: UnsafeBufferPointer<Double>,
                         count n: Int, values output: UnsafeMutableBufferPointer<Double>,
                         jacobian: UnsafeMutableBufferPointer<Double>, residuals: ResidualTransform? = nil,
                  leadingDimension: Int? = nil) {
        let p = parameterCount
        let ld = leadingDimension ?? n
        let block = Swift.min(Tape.blockSize, Swift.max(n, 1))
        let values = UnsafeMutablePointer<Double>.allocate(capacity: slotCount * block)
        let storage = UnsafeMutablePointer<Double>.allocate(capacity: slotCount * block)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 3 * block)
        defer { values.deallocate(); storage.deallocate(); scratch.deallocate() }
        fillInvariants(values, block: block, parameters: parameters)
        // Slots whose values differ between points (they depend on an input).
        var varies = [Bool](repeating: false, count: slotCount)
        for k in 0..<inputCount { varies[k] = true }
        for instruction in instructions {
            let operands = instruction.op.arity == 1 ? [instruction.a]
                : (instruction.op.arity == 2 ? [instruction.a, instruction.b] : [instruction.a, instruction.b, instruction.c])
            varies[instruction.output] = operands.contains { varies[$0] }
        }
        var adjoints = [Adjoint](repeating: Adjoint(), count: slotCount)
        guard let columns = jacobian.baseAddress else { return }
        var start = 0
        while start < n {
            let m = Swift.min(block, n - start)
            loadInputs(inputs, values, block: block, from: start, count: m)
            for instruction in instructions { execute(instruction, values, block: block, count: m) }
            ResidualTransform.store(residuals, values + result * block, into: output, at: start, count: m)
            for s in 0..<slotCount { adjoints[s] = Adjoint() }
            // Own storage of a slot's adjoint: a parameter's is its column of the Jacobian.
            func own(_ slot: Int) -> UnsafeMutablePointer<Double> {
                if slot >= inputCount && slot < inputCount + p { return columns + (slot - inputCount) * ld + start }
                return storage + slot * block
            }
            // Seed: the weights, or 1.
            if let w = residuals?.weights {
                let seed = own(result)
                seed.update(from: w + start, count: m)
                adjoints[result] = Adjoint(kind: .array, scalar: 0, pointer: seed)
            } else {
                adjoints[result] = Adjoint(kind: .uniform, scalar: 1, pointer: nil)
            }
            /// adjoint[slot] += partial · g, aliasing g's (dead) array when allowed.
            func accumulate(_ slot: Int, _ partial: Partial, _ g: Adjoint, alias: inout Bool) {
                var target = adjoints[slot]
                // The contribution as a scalar, when it is one.
                if partial.values == nil && g.kind == .uniform {
                    let c = partial.scale * g.scalar
                    switch target.kind {
                    case .none: target = Adjoint(kind: .uniform, scalar: c, pointer: nil)
                    case .uniform: target.scalar += c
                    case .array: if let t = target.pointer { for i in 0..<m { t[i] += c } }
                    }
                    adjoints[slot] = target
                    return
                }
                if target.kind == .none, alias, partial.values == nil, partial.scale == 1, g.kind == .array,
                   !(slot >= inputCount && slot < inputCount + p) {
                    alias = false
                    adjoints[slot] = g
                    return
                }
                let s = partial.scale
                let gs = g.scalar
                let t: UnsafeMutablePointer<Double>
                let add: Bool
                switch target.kind {
                case .none:
                    t = own(slot); add = false
                case .uniform:
                    t = own(slot)
                    t.update(repeating: target.scalar, count: m)
                    add = true
                case .array:
                    t = target.pointer ?? own(slot); add = true
                }
                switch (partial.values, g.pointer) {
                case let (v?, gp?) where g.kind == .array:
                    if add { for i in 0..<m { t[i] += s * v[i] * gp[i] } } else { for i in 0..<m { t[i] = s * v[i] * gp[i] } }
                case let (v?, _):
                    let c = s * gs
                    if add { for i in 0..<m { t[i] += c * v[i] } } else { for i in 0..<m { t[i] = c * v[i] } }
                case let (nil, gp?):
                    if add { for i in 0..<m { t[i] += s * gp[i] } } else { for i in 0..<m { t[i] = s * gp[i] } }
                case (nil, nil):
                    let c = s * gs
                    if add { for i in 0..<m { t[i] += c } } else { t.update(repeating: c, count: m) }
                }
                adjoints[slot] = Adjoint(kind: .array, scalar: 0, pointer: t)
            }
            for instruction in instructions.reversed() {
                let out = instruction.output
                let g = adjoints[out]
                if g.kind == .none { continue }
                let a = instruction.a, b = instruction.b, c = instruction.c
                let va = UnsafePointer(values + a * block), vb = UnsafePointer(values + b * block)
                let vc = UnsafePointer(values + c * block), vo = UnsafePointer(values + out * block)
                let da = dependsOnAny(a), db = instruction.op.arity >= 2 && dependsOnAny(b)
                var alias = true
                /// A partial that is `scale · values` or, when those do not vary, a constant.
                func partial(_ v: UnsafePointer<Double>, _ slot: Int, _ scale: Double = 1) -> Partial {
                    varies[slot] ? Partial(values: v, scale: scale) : .constant(scale * v[0])
                }
                switch instruction.op {
                case .add:
                    if da { accumulate(a, .constant(1), g, alias: &alias) }
                    if db { accumulate(b, .constant(1), g, alias: &alias) }
                case .subtract:
                    if da { accumulate(a, .constant(1), g, alias: &alias) }
                    if db { accumulate(b, .constant(-1), g, alias: &alias) }
                case .negate:
                    if da { accumulate(a, .constant(-1), g, alias: &alias) }
                case .multiply:
                    if da { accumulate(a, partial(vb, b), g, alias: &alias) }
                    if db { accumulate(b, partial(va, a), g, alias: &alias) }
                case .square:
                    if da { accumulate(a, partial(va, a, 2), g, alias: &alias) }
                case .exp:
                    if da { accumulate(a, partial(vo, out), g, alias: &alias) }
                case .divide:
                    if da {
                        if varies[b] {
                            for i in 0..<m { scratch[i] = 1 / vb[i] }
                            accumulate(a, Partial(values: scratch, scale: 1), g, alias: &alias)
                        } else {
                            accumulate(a, .constant(1 / vb[0]), g, alias: &alias)
                        }
                    }
                    if db {
                        if varies[b] {
                            let q = scratch + block
                            for i in 0..<m { q[i] = vo[i] / vb[i] }
                            accumulate(b, Partial(values: q, scale: -1), g, alias: &alias)
                        } else {
                            accumulate(b, partial(vo, out, -1 / vb[0]), g, alias: &alias)
                        }
                    }
                default:
                    let slots = differentiableSlots(instruction)
                    guard slots.contains(where: { dependsOnAny($0) }) else { continue }
                    let op = instruction.op
                    let pa = scratch, pb = scratch + block, pc = scratch + 2 * block
                    let count = varies[out] ? m : 1
                    for i in 0..<count { (pa[i], pb[i], pc[i]) = op.partials(va[i], vb[i], vc[i], vo[i]) }
                    func take(_ pointer: UnsafeMutablePointer<Double>) -> Partial {
                        varies[out] ? Partial(values: pointer, scale: 1) : .constant(pointer[0])
                    }
                    if op.arity == 3 {
                        if !op.hasCondition && da { accumulate(a, take(pa), g, alias: &alias) }
                        if db { accumulate(b, take(pb), g, alias: &alias) }
                        if dependsOnAny(c) { accumulate(c, take(pc), g, alias: &alias) }
                    } else {
                        if da { accumulate(a, take(pa), g, alias: &alias) }
                        if db { accumulate(b, take(pb), g, alias: &alias) }
                    }
                }
            }
            // The parameters' adjoints are the block's Jacobian rows.
            for j in 0..<p {
                let column = columns + j * ld + start
                let adjoint = adjoints[parameterSlot(j)]
                switch adjoint.kind {
                case .none: column.update(repeating: 0, count: m)
                case .uniform: column.update(repeating: adjoint.scalar, count: m)
                case .array:
                    if let source = adjoint.pointer, source != column { column.update(from: source, count: m) }
                }
            }
            start += m
        }
    }
}
