// Recursive-descent parser of the model language.
//
// Grammar (lowest precedence first; Fortran/Python rules: `-x^2` is `-(x^2)`, `^` is
// right-associative and its exponent may carry a sign, `2^-1`):
//
//   formula     := (name '=' expression ';')* expression ';'?
//   expression  := comparison ('?' expression ':' expression)?
//   comparison  := additive (('<' | '<=' | '>' | '>=' | '==' | '!=') additive)?
//   additive    := term (('+' | '-') term)*
//   term        := unary (('*' | '/') unary)*
//   unary       := ('-' | '+') unary | power
//   power       := primary ('^' unary)?
//   primary     := number | 'pi' | name | name '(' expression (',' expression)* ')' | '(' expression ')'

/// Parses formulas into `Formula` trees.
struct Parser {
    /// A parsed subtree and its depth; depths (and the parser's own recursion) are bounded so
    /// that no formula, however nested, can exhaust the stack of the recursive passes.
    private typealias Node = (expression: Expression, depth: Int)
    /// Largest allowed depth of the syntax tree and of the parser's nesting.
    static let maximumDepth = 400

    private let source: String
    private let tokens: [Token]
    private var position = 0
    private var nesting = 0

    /// Parses `source`; throws `InferKitError.parse` naming the character offset and what was expected.
    static func parse(_ source: String) throws -> Formula {
        var parser = Parser(source: source, tokens: try Lexer.tokenize(source))
        return try parser.parseFormula()
    }

    private init(source: String, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    private var current: Token { tokens[min(position, tokens.count - 1)] }
    private var lookahead: Token { tokens[min(position + 1, tokens.count - 1)] }

    private func error(_ expected: String, at token: Token) -> InferKitError {
        .parse("expected \(expected) at character \(token.offset) of '\(source)', found \(token.text)")
    }

    /// Builds a node over `children`, checking the depth limit.
    private func make(_ expression: Expression, _ children: Node..., at token: Token) throws -> Node {
        let depth = 1 + (children.map(\.depth).max() ?? 0)
        guard depth <= Parser.maximumDepth else {
            throw InferKitError.parse("formula nested deeper than \(Parser.maximumDepth) levels at character "
                                      + "\(token.offset) of '\(source)'")
        }
        return (expression, depth)
    }

    /// Counts one level of parser recursion, checking the limit.
    private mutating func enter() throws {
        nesting += 1
        guard nesting <= Parser.maximumDepth else {
            throw InferKitError.parse("formula nested deeper than \(Parser.maximumDepth) levels at character "
                                      + "\(current.offset) of '\(source)'")
        }
    }

    private mutating func accept(_ symbol: String) -> Bool {
        if current.kind == .symbol(symbol) { position += 1; return true }
        return false
    }

    private mutating func expect(_ symbol: String) throws {
        guard accept(symbol) else { throw error("'\(symbol)'", at: current) }
    }

    private mutating func parseFormula() throws -> Formula {
        var definitions: [Formula.Definition] = []
        while case .identifier(let name) = current.kind, lookahead.kind == .symbol("=") {
            let offset = current.offset
            position += 2
            let value = try parseExpression().expression
            guard accept(";") else { throw error("';' after the definition of '\(name)'", at: current) }
            definitions.append(Formula.Definition(name: name, offset: offset, value: value))
        }
        let result = try parseExpression().expression
        _ = accept(";")
        guard current.kind == .end else { throw error("an operator or end of formula", at: current) }
        return Formula(definitions: definitions, result: result)
    }

    private mutating func parseExpression() throws -> Node {
        try enter()
        defer { nesting -= 1 }
        let condition = try parseComparison()
        let token = current
        guard accept("?") else { return condition }
        let a = try parseExpression()
        try expect(":")
        let b = try parseExpression()
        return try make(.conditional(condition.expression, a.expression, b.expression), condition, a, b, at: token)
    }

    private mutating func parseComparison() throws -> Node {
        let left = try parseAdditive()
        let token = current
        let operators: [(String, Opcode)] = [("<", .less), ("<=", .lessEqual), (">", .greater),
                                             (">=", .greaterEqual), ("==", .equal), ("!=", .notEqual)]
        for (symbol, op) in operators where accept(symbol) {
            let right = try parseAdditive()
            return try make(.binary(op, left.expression, right.expression), left, right, at: token)
        }
        return left
    }

    private mutating func parseAdditive() throws -> Node {
        var left = try parseTerm()
        while true {
            let token = current
            let op: Opcode
            if accept("+") { op = .add } else if accept("-") { op = .subtract } else { return left }
            let right = try parseTerm()
            left = try make(.binary(op, left.expression, right.expression), left, right, at: token)
        }
    }

    private mutating func parseTerm() throws -> Node {
        var left = try parseUnary()
        while true {
            let token = current
            let op: Opcode
            if accept("*") { op = .multiply } else if accept("/") { op = .divide } else { return left }
            let right = try parseUnary()
            left = try make(.binary(op, left.expression, right.expression), left, right, at: token)
        }
    }

    private mutating func parseUnary() throws -> Node {
        try enter()
        defer { nesting -= 1 }
        let token = current
        if accept("-") {
            let operand = try parseUnary()
            return try make(.negate(operand.expression), operand, at: token)
        }
        if accept("+") { return try parseUnary() }
        return try parsePower()
    }

    private mutating func parsePower() throws -> Node {
        let base = try parsePrimary()
        let token = current
        guard accept("^") else { return base }
        let exponent = try parseUnary()
        return try make(.binary(.power, base.expression, exponent.expression), base, exponent, at: token)
    }

    private mutating func parsePrimary() throws -> Node {
        let token = current
        switch token.kind {
        case .number(let value):
            position += 1
            return (.number(value), 1)
        case .identifier(let name):
            position += 1
            guard current.kind == .symbol("(") else {
                if name == "pi" { return (.number(Double.pi), 1) }
                return (.name(name, offset: token.offset), 1)
            }
            guard let function = BuiltinFunction(rawValue: name) else {
                throw InferKitError.parse(
                    "unknown function '\(name)' at character \(token.offset) of '\(source)'")
            }
            position += 1
            var arguments = [try parseExpression()]
            while accept(",") { arguments.append(try parseExpression()) }
            try expect(")")
            guard arguments.count == function.arity else {
                throw InferKitError.parse(
                    "function '\(name)' at character \(token.offset) of '\(source)' expected "
                    + "\(function.arity) argument\(function.arity == 1 ? "" : "s"), got \(arguments.count)")
            }
            return try make(.call(function, arguments.map(\.expression)), arguments.max { $0.depth < $1.depth } ?? (.number(0), 0),
                            at: token)
        case .symbol("("):
            position += 1
            let inner = try parseExpression()
            try expect(")")
            return inner
        default:
            throw error("a number, name or '('", at: token)
        }
    }
}
