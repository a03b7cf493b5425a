import InferKitKernels

// Compilation of a parsed formula to a tape (a linear list of instructions over value slots,
// constants folded, dead definitions dropped) and its vectorised evaluation: each
// instruction runs over a block of points before the next one starts, so the inner loops are
// long, branch-free and stay in cache.

/// One tape instruction: `slot[output] = op(slot[a], slot[b], slot[c])`.
struct Instruction: Equatable {
    let op: Opcode
    let a: Int
    let b: Int
    let c: Int
    let output: Int
}

/// A compiled formula. Slots `0..<inputCount` hold the inputs, the next `parameterCount` the
/// parameters; the rest hold constants (`constants`) and instruction results.
struct Tape: Sendable {
    /// Points evaluated together per instruction.
    static let blockSize = 256

    let inputCount: Int
    let parameterCount: Int
    let slotCount: Int
    /// (slot, value) of every constant slot.
    let constants: [(slot: Int, value: Double)]
    let instructions: [Instruction]
    /// The slot holding the formula's value.
    let result: Int
    /// `dependencies[slot * parameterCount + j]` is true when the slot depends on parameter j
    /// through a differentiable path (comparisons and conditions cut the path).
    let dependencies: [Bool]
    /// The forward-mode layout: `tangentIndex[slot * parameterCount + j]` is the tangent block
    /// of (slot, parameter j), −1 where the slot does not depend on j. An instruction that only
    /// passes one operand's tangent on unchanged (`a + c`, `c + a`, `a − c` with c free of j)
    /// shares that operand's block instead of copying it (`sharedTangent`).
    let tangentIndex: [Int]
    /// Number of tangent blocks.
    let tangentBlocks: Int
    /// `sharedTangent[k * parameterCount + j]`: instruction k's tangent for parameter j is its
    /// operand's, no work to do.
    let sharedTangent: [Bool]
    /// True when the reverse sweep is the cheaper way to the Jacobian (decided once, here).
    var prefersReverseJacobian = false
    /// `invariant[slot]` is true for the parameter and constant slots, whose blocks hold one
    /// value repeated (`fillInvariants`): arithmetic reads that value once instead of the block.
    var invariant: [Bool] = []
    /// `readWhole[slot]`: an invariant slot that `execute` reads point by point (an operand of
    /// anything but the four arithmetic operations, or the result). The value-only `evaluate`
    /// fills the others' first entry alone; the derivative sweeps read every slot whole.
    var readWhole: [Bool] = []
    /// The instructions of the value-only `evaluate`, their results written over the slots of
    /// results no longer needed (`withInvariantSlots`): a formula of hundreds of operations then
    /// touches a few blocks instead of hundreds. The derivative sweeps keep every result and use
    /// `instructions`.
    var valueInstructions: [Instruction] = []
    /// The slot of the formula's value in `valueInstructions`' numbering.
    var valueResult = 0

    /// Index of the slot of parameter `j`.
    func parameterSlot(_ j: Int) -> Int { inputCount + j }

    /// True when `slot` depends on parameter `j`.
    @inline(__always)
    func depends(_ slot: Int, on j: Int) -> Bool { dependencies[slot * parameterCount + j] }
}

// MARK: - Compilation

/// Builds a `Tape` from a `Formula` whose names have been resolved.
struct TapeCompiler {
    private var instructions: [Instruction] = []
    private var constants: [(slot: Int, value: Double)] = []
    private var constantSlots: [UInt64: Int] = [:]
    private var constantValues: [Int: Double] = [:]
    private var slotCount: Int
    private var names: [String: Int] = [:]
    private let inputCount: Int
    private let parameterCount: Int

    /// Compiles `formula`; `inputs` and `parameters` name the first slots in order. Every name
    /// in the formula must be an input, a parameter or an earlier definition (checked by `Model`).
    static func compile(_ formula: Formula, inputs: [String], parameters: [String]) throws -> Tape {
        var compiler = TapeCompiler(inputCount: inputs.count, parameterCount: parameters.count)
        for (i, name) in (inputs + parameters).enumerated() { compiler.names[name] = i }
        for definition in formula.definitions {
            compiler.names[definition.name] = try compiler.compile(definition.value)
        }
        let result = try compiler.compile(formula.result)
        return compiler.finish(result: result)
    }

    private init(inputCount: Int, parameterCount: Int) {
        self.inputCount = inputCount
        self.parameterCount = parameterCount
        self.slotCount = inputCount + parameterCount
    }

    private mutating func constant(_ value: Double) -> Int {
        if let slot = constantSlots[value.bitPattern] { return slot }
        let slot = slotCount
        slotCount += 1
        constants.append((slot, value))
        constantSlots[value.bitPattern] = slot
        constantValues[slot] = value
        return slot
    }

    /// Emits `op`, folding it to a constant when every operand is constant.
    private mutating func emit(_ op: Opcode, _ a: Int, _ b: Int = -1, _ c: Int = -1) -> Int {
        let operands = [a, b, c].prefix(op.arity)
        if operands.allSatisfy({ constantValues[$0] != nil }) {
            let value = op.apply(constantValues[a] ?? 0, constantValues[b] ?? 0, constantValues[c] ?? 0)
            return constant(value)
        }
        if op == .select, let condition = constantValues[a] { return condition != 0 ? b : c }
        if op == .power, let exponent = constantValues[b] {
            if exponent == 1 { return a }
            if exponent == 2 { return emit(.square, a) }
            if exponent == 0.5 { return emit(.sqrt, a) }
        }
        let output = slotCount
        slotCount += 1
        instructions.append(Instruction(op: op, a: a, b: max(b, 0), c: max(c, 0), output: output))
        return output
    }

    private mutating func compile(_ expression: Expression) throws -> Int {
        switch expression {
        case .number(let value):
            return constant(value)
        case .name(let name, let offset):
            guard let slot = names[name] else {
                throw InferKitError.invalidArgument("unknown name '\(name)' at character \(offset)")
            }
            return slot
        case .negate(let a):
            return emit(.negate, try compile(a))
        case .binary(let op, let a, let b):
            let left = try compile(a)
            return emit(op, left, try compile(b))
        case .conditional(let condition, let a, let b):
            let c = try compile(condition)
            let x = try compile(a)
            return emit(.select, c, x, try compile(b))
        case .call(let function, let arguments):
            var slots: [Int] = []
            for argument in arguments { slots.append(try compile(argument)) }
            return try call(function, slots)
        }
    }

    private mutating func call(_ function: BuiltinFunction, _ s: [Int]) throws -> Int {
        guard s.count == function.arity else {
            throw InferKitError.internal("function '\(function.rawValue)' compiled with \(s.count) arguments")
        }
        switch function {
        case .exp: return emit(.exp, s[0])
        case .log: return emit(.log, s[0])
        case .log10: return emit(.log10, s[0])
        case .sqrt: return emit(.sqrt, s[0])
        case .abs: return emit(.abs, s[0])
        case .sin: return emit(.sin, s[0])
        case .cos: return emit(.cos, s[0])
        case .tan: return emit(.tan, s[0])
        case .asin: return emit(.asin, s[0])
        case .acos: return emit(.acos, s[0])
        case .atan: return emit(.atan, s[0])
        case .sinh: return emit(.sinh, s[0])
        case .cosh: return emit(.cosh, s[0])
        case .tanh: return emit(.tanh, s[0])
        case .erf: return emit(.erf, s[0])
        case .erfc: return emit(.erfc, s[0])
        case .lgamma: return emit(.lgamma, s[0])
        case .sinc: return emit(.sinc, s[0])
        case .atan2: return emit(.atan2, s[0], s[1])
        case .pow: return emit(.power, s[0], s[1])
        case .min: return emit(.min, s[0], s[1])
        case .max: return emit(.max, s[0], s[1])
        case .where: return emit(.select, s[0], s[1], s[2])
        case .gaussian:
            // exp(-((x - mu)/sigma)^2 / 2) / (sigma sqrt(2 pi))
            let z = emit(.divide, emit(.subtract, s[0], s[1]), s[2])
            let e = emit(.exp, emit(.multiply, constant(-0.5), emit(.square, z)))
            return emit(.divide, e, emit(.multiply, s[2], constant((2 * Double.pi).squareRoot())))
        case .lorentzian:
            // gamma / (pi ((x - x0)^2 + gamma^2))
            let d = emit(.square, emit(.subtract, s[0], s[1]))
            let denominator = emit(.multiply, constant(Double.pi), emit(.add, d, emit(.square, s[2])))
            return emit(.divide, s[2], denominator)
        case .voigt:
            // One instruction: its partials in sigma are derivatives of w itself (Voigt.swift).
            return emit(.voigt, s[0], s[1], s[2])
        }
    }

    /// Drops instructions whose results are never used and records parameter dependencies.
    private func finish(result: Int) -> Tape {
        var live = [Bool](repeating: false, count: slotCount)
        live[result] = true
        var kept: [Instruction] = []
        for instruction in instructions.reversed() where live[instruction.output] {
            kept.append(instruction)
            live[instruction.a] = true
            if instruction.op.arity >= 2 { live[instruction.b] = true }
            if instruction.op.arity >= 3 { live[instruction.c] = true }
        }
        kept.reverse()
        let p = parameterCount
        var dependencies = [Bool](repeating: false, count: slotCount * p)
        for j in 0..<p { dependencies[(inputCount + j) * p + j] = true }
        for instruction in kept where !instruction.op.isComparison {
            let operands: [Int]
            switch instruction.op.arity {
            case 1: operands = [instruction.a]
            case 2: operands = [instruction.a, instruction.b]
            default:  // a condition does not count
                operands = instruction.op.hasCondition ? [instruction.b, instruction.c]
                    : [instruction.a, instruction.b, instruction.c]
            }
            for j in 0..<p where operands.contains(where: { dependencies[$0 * p + j] }) {
                dependencies[instruction.output * p + j] = true
            }
        }
        let (index, blocks, shared) = Tape.tangentLayout(kept, dependencies: dependencies, slots: slotCount,
                                                         inputs: inputCount, parameters: p)
        return Tape(inputCount: inputCount, parameterCount: p, slotCount: slotCount,
                    constants: constants.filter { live[$0.slot] }, instructions: kept,
                    result: result, dependencies: dependencies, tangentIndex: index, tangentBlocks: blocks,
                    sharedTangent: shared).withInvariantSlots().decidingJacobianMode()
    }
}

extension Tape {
    /// This tape with `invariant` set: the parameter slots and the constant slots.
    func withInvariantSlots() -> Tape {
        var tape = self
        tape.invariant = [Bool](repeating: false, count: slotCount)
        for j in 0..<parameterCount { tape.invariant[parameterSlot(j)] = true }
        for (slot, _) in constants { tape.invariant[slot] = true }
        tape.readWhole = [Bool](repeating: false, count: slotCount)
        tape.readWhole[result] = true
        for instruction in instructions {
            switch instruction.op {
            case .add, .subtract, .multiply, .divide: continue
            default:
                let operands = [instruction.a, instruction.b, instruction.c]
                for k in 0..<instruction.op.arity { tape.readWhole[operands[k]] = true }
            }
        }
        (tape.valueInstructions, tape.valueResult) = reusingSlots()
        return tape
    }

    /// `instructions` with each result written to the lowest-numbered result slot whose value
    /// is no longer read, and the result's slot. An output never overwrites its own operands
    /// (the exp kernel rereads its arguments after writing). Only result slots are reused, so
    /// `invariant` and `readWhole` stay valid; inputs, parameters and constants keep their slots.
    func reusingSlots() -> (instructions: [Instruction], result: Int) {
        var lastUse = [Int](repeating: -1, count: slotCount)
        for (k, instruction) in instructions.enumerated() {
            let operands = [instruction.a, instruction.b, instruction.c]
            for o in 0..<instruction.op.arity { lastUse[operands[o]] = k }
        }
        lastUse[result] = Int.max
        var renamed = [Int](repeating: -1, count: slotCount)   // old result slot -> new slot
        var free: [Int] = []                                   // new slots free for reuse
        var remapped: [Instruction] = []
        remapped.reserveCapacity(instructions.count)
        for (k, instruction) in instructions.enumerated() {
            func slot(_ old: Int) -> Int { renamed[old] >= 0 ? renamed[old] : old }
            let arity = instruction.op.arity
            let operands = [instruction.a, instruction.b, instruction.c]
            let output: Int
            if let lowest = free.min() {
                output = lowest
                free.removeAll { $0 == lowest }
            } else {
                output = instruction.output
            }
            remapped.append(Instruction(op: instruction.op, a: slot(instruction.a),
                                        b: arity > 1 ? slot(instruction.b) : instruction.b,
                                        c: arity > 2 ? slot(instruction.c) : instruction.c, output: output))
            // Operands read for the last time here free their slots (results only).
            for o in 0..<arity where lastUse[operands[o]] == k && renamed[operands[o]] >= 0 {
                let released = renamed[operands[o]]
                if !free.contains(released) { free.append(released) }
            }
            renamed[instruction.output] = output
        }
        return (remapped, renamed[result] >= 0 ? renamed[result] : result)
    }

    /// The tangent blocks of forward mode (see `tangentIndex`).
    static func tangentLayout(_ instructions: [Instruction], dependencies: [Bool], slots: Int, inputs: Int,
                              parameters p: Int) -> (index: [Int], blocks: Int, shared: [Bool]) {
        var index = [Int](repeating: -1, count: slots * p)
        var shared = [Bool](repeating: false, count: instructions.count * p)
        var blocks = 0
        for j in 0..<p {
            index[(inputs + j) * p + j] = blocks
            blocks += 1
        }
        for (k, instruction) in instructions.enumerated() {
            let out = instruction.output
            for j in 0..<p where dependencies[out * p + j] {
                if instruction.op == .add || instruction.op == .subtract {
                    let da = dependencies[instruction.a * p + j], db = dependencies[instruction.b * p + j]
                    if da != db && (da || instruction.op == .add) {
                        index[out * p + j] = index[(da ? instruction.a : instruction.b) * p + j]
                        shared[k * p + j] = true
                        continue
                    }
                }
                index[out * p + j] = blocks
                blocks += 1
            }
        }
        return (index, blocks, shared)
    }
}

// MARK: - Evaluation

/// Weighted residuals r_i = (f_i − y_i) w_i written in place of the model values f_i (and
/// J_ij w_i in place of the Jacobian), in the same pass: the least-squares solvers' form.
struct ResidualTransform {
    /// Observations y (nil: 0).
    let observations: UnsafePointer<Double>?
    /// Weights w (nil: 1).
    let weights: UnsafePointer<Double>?

    /// Writes `m` values of `source` for points `start..<start + m` into `output`, transformed.
    @inline(__always)
    static func store(_ t: ResidualTransform?, _ source: UnsafePointer<Double>, into output: UnsafeMutableBufferPointer<Double>,
                      at start: Int, count m: Int) {
        guard let out = output.baseAddress.map({ $0 + start }) else { return }
        guard let t else { out.update(from: source, count: m); return }
        switch (t.observations.map { $0 + start }, t.weights.map { $0 + start }) {
        case let (y?, w?): for i in 0..<m { out[i] = (source[i] - y[i]) * w[i] }
        case let (y?, nil): for i in 0..<m { out[i] = source[i] - y[i] }
        case let (nil, w?): for i in 0..<m { out[i] = source[i] * w[i] }
        case (nil, nil): out.update(from: source, count: m)
        }
    }

    /// Writes `m` derivative values for points `start..<start + m` into `column`, weighted.
    @inline(__always)
    static func storeDerivative(_ t: ResidualTransform?, _ source: UnsafePointer<Double>,
                                into column: UnsafeMutablePointer<Double>, at start: Int, count m: Int) {
        if let w = t?.weights.map({ $0 + start }) {
            for i in 0..<m { column[i] = source[i] * w[i] }
        } else {
            column.update(from: source, count: m)
        }
    }
}

extension Tape {
    /// Fills the parameter and constant slots of a workspace with `block` points per slot.
    /// With `wholeOnly`, slots that `execute` reads only at index 0 (`readWhole` false) get
    /// that one value. Never inlined: inlined into `evaluate` it made the optimiser outline
    /// `execute` from the instruction loop, 25% slower on small batches.
    @inline(never)
    func fillInvariants(_ values: UnsafeMutablePointer<Double>, block: Int,
                        parameters: UnsafeBufferPointer<Double>, wholeOnly: Bool = false) {
        for j in 0..<parameterCount {
            let slot = parameterSlot(j)
            (values + slot * block).update(repeating: parameters[j], count: wholeOnly && !readWhole[slot] ? 1 : block)
        }
        for (slot, value) in constants {
            (values + slot * block).update(repeating: value, count: wholeOnly && !readWhole[slot] ? 1 : block)
        }
    }

    /// Runs one instruction over `m` points of a workspace laid out `block` points per slot.
    @inline(__always)
    func execute(_ instruction: Instruction, _ values: UnsafeMutablePointer<Double>, block: Int, count m: Int) {
        let a = UnsafePointer(values + instruction.a * block)
        let b = UnsafePointer(values + instruction.b * block)
        let c = UnsafePointer(values + instruction.c * block)
        let out = values + instruction.output * block
        switch instruction.op {
        case .add, .subtract, .multiply, .divide:
            arithmetic(instruction.op, a, invariant[instruction.a], b, invariant[instruction.b], out, m)
        case .negate: for i in 0..<m { out[i] = -a[i] }
        case .square:
            if CPUFeatures.usesWideKernels(m) { squareV3(a, out, m) } else { Elementwise.square(a, out, m) }
        case .select: for i in 0..<m { out[i] = a[i] != 0 ? b[i] : c[i] }
        case .exp: Exponential.evaluate(a, out, m)
        default:
            let op = instruction.op
            for i in 0..<m { out[i] = op.apply(a[i], b[i], c[i]) }
        }
    }

    /// `out[i] = a[i] op b[i]` for i < m (`Elementwise.arithmetic`: an invariant operand is
    /// read once, a division by an invariant multiplies by its reciprocal); the x86-64-v3 build
    /// where `CPUFeatures.usesWideKernels`.
    @inline(__always)
    private func arithmetic(_ op: Opcode, _ a: UnsafePointer<Double>, _ aInvariant: Bool,
                            _ b: UnsafePointer<Double>, _ bInvariant: Bool,
                            _ out: UnsafeMutablePointer<Double>, _ m: Int) {
        if aInvariant && bInvariant {
            out.update(repeating: op.apply(a[0], b[0], 0), count: m)
            return
        }
        let code: Int
        switch op {
        case .add: code = Elementwise.add
        case .subtract: code = Elementwise.subtract
        case .multiply: code = Elementwise.multiply
        default: code = Elementwise.divide
        }
        if CPUFeatures.usesWideKernels(m) {
            arithmeticV3(code, a, aInvariant, b, bInvariant, out, m)
        } else {
            Elementwise.arithmetic(code, a, aInvariant, b, bInvariant, out, m)
        }
    }

    /// Evaluates the formula at `count` points: `inputs[k][i]` is input k at point i.
    /// Sizes are checked by the caller. With `residuals`, the output is (f_i - y_i) w_i instead.
    func evaluate(inputs: [UnsafeBufferPointer<Double>], parameters: UnsafeBufferPointer<Double>,
                  count n: Int, output: UnsafeMutableBufferPointer<Double>, residuals: ResidualTransform? = nil) {
        evaluate(parameters: parameters, count: n, output: output, residuals: residuals) { values, block, start, m in
            loadInputs(inputs, values, block: block, from: start, count: m)
        }
    }

    /// Evaluates the formula at `count` points given row by row: input k of point i is
    /// `points[i * inputCount + k]` (a log density's batch of parameter vectors), gathered
    /// straight into the workspace. Sizes are checked by the caller.
    func evaluate(rowMajor points: UnsafePointer<Double>, parameters: UnsafeBufferPointer<Double>,
                  count n: Int, output: UnsafeMutableBufferPointer<Double>) {
        let k = inputCount
        evaluate(parameters: parameters, count: n, output: output, residuals: nil) { values, block, start, m in
            for j in 0..<k {
                let column = values + j * block, source = points + start * k + j
                for i in 0..<m { column[i] = source[i * k] }
            }
        }
    }

    /// The block loop of both `evaluate`s: `load(workspace, block, start, m)` fills the input
    /// slots with points start..<start + m.
    @inline(__always)
    private func evaluate(parameters: UnsafeBufferPointer<Double>, count n: Int, output: UnsafeMutableBufferPointer<Double>,
                          residuals: ResidualTransform?,
                          load: (UnsafeMutablePointer<Double>, Int, Int, Int) -> Void) {
        let block = Swift.min(Tape.blockSize, Swift.max(n, 1))
        let values = UnsafeMutablePointer<Double>.allocate(capacity: slotCount * block)
        defer { values.deallocate() }
        fillInvariants(values, block: block, parameters: parameters, wholeOnly: true)
        var start = 0
        while start < n {
            let m = Swift.min(block, n - start)
            load(values, block, start, m)
            for instruction in valueInstructions { execute(instruction, values, block: block, count: m) }
            ResidualTransform.store(residuals, values + valueResult * block, into: output, at: start, count: m)
            start += m
        }
    }

    /// Copies points `start..<start + m` of the inputs into their slots of a block workspace.
    @inline(__always)
    func loadInputs(_ inputs: [UnsafeBufferPointer<Double>], _ values: UnsafeMutablePointer<Double>, block: Int,
                    from start: Int, count m: Int) {
        for k in 0..<inputCount {
            guard let base = inputs[k].baseAddress else { continue }
            (values + k * block).update(from: base + start, count: m)
        }
    }
}
