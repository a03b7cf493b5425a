// The syntax tree of the model language and the table of its built-in functions.

/// A node of a parsed formula. Every node keeps the character offset it starts at.
indirect enum Expression: Equatable {
    /// A numeric literal (or `pi`).
    case number(Double)
    /// A name: an input, a parameter or a local definition.
    case name(String, offset: Int)
    /// Unary minus.
    case negate(Expression)
    /// A binary arithmetic or comparison operator.
    case binary(Opcode, Expression, Expression)
    /// A call of a built-in function (arity already checked by the parser).
    case call(BuiltinFunction, [Expression])
    /// `cond ? a : b`, the same as `where(cond, a, b)`.
    case conditional(Expression, Expression, Expression)
}

/// A parsed formula: local definitions in order, then the result expression.
struct Formula: Equatable {
    /// One `name = expression` definition.
    struct Definition: Equatable {
        let name: String
        let offset: Int
        let value: Expression
    }
    let definitions: [Definition]
    let result: Expression
}

/// The built-in functions, with their arities.
enum BuiltinFunction: String, CaseIterable, Equatable {
    case exp, log, log10, sqrt, abs, sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh
    case erf, erfc, lgamma, pow, min, max, gaussian, lorentzian, voigt, sinc
    case `where`

    /// Number of arguments the function takes.
    var arity: Int {
        switch self {
        case .atan2, .pow, .min, .max: return 2
        case .gaussian, .lorentzian, .voigt, .where: return 3
        default: return 1
        }
    }

    /// True when `name` is a built-in function or constant, so it cannot name a parameter.
    static func isReserved(_ name: String) -> Bool {
        name == "pi" || BuiltinFunction(rawValue: name) != nil
    }
}

extension Expression {
    /// Visits the names this expression uses, left to right, in order of appearance.
    func forEachName(_ body: (String, Int) throws -> Void) rethrows {
        switch self {
        case .number: return
        case .name(let n, let offset): try body(n, offset)
        case .negate(let a): try a.forEachName(body)
        case .binary(_, let a, let b):
            try a.forEachName(body); try b.forEachName(body)
        case .call(_, let args):
            for a in args { try a.forEachName(body) }
        case .conditional(let c, let a, let b):
            try c.forEachName(body); try a.forEachName(body); try b.forEachName(body)
        }
    }
}
