// Lexer for the model language: numbers, names and operator symbols, each with the 0-based
// character offset it starts at, so parse errors can point at the character.

/// One lexical token of a formula.
struct Token: Equatable {
    /// What the token is.
    enum Kind: Equatable {
        case number(Double)
        case identifier(String)
        /// An operator or punctuation symbol: + - * / ^ ( ) , ; = < <= > >= == != ? :
        case symbol(String)
        case end
    }
    let kind: Kind
    /// 0-based character offset of the token's first character.
    let offset: Int

    /// How the token reads in an error message.
    var text: String {
        switch kind {
        case .number(let v): return "number \(v)"
        case .identifier(let s): return "'\(s)'"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of formula"
        }
    }
}

/// Splits a formula into tokens.
enum Lexer {
    /// Tokenises `source`; throws `InferKitError.parse` on a character that starts no token.
    static func tokenize(_ source: String) throws -> [Token] {
        let chars = Array(source)
        var tokens: [Token] = []
        var i = 0
        func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }
        func isNameStart(_ c: Character) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            if isDigit(c) || (c == "." && i + 1 < chars.count && isDigit(chars[i + 1])) {
                while i < chars.count && isDigit(chars[i]) { i += 1 }
                if i < chars.count && chars[i] == "." {
                    i += 1
                    while i < chars.count && isDigit(chars[i]) { i += 1 }
                }
                if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
                    var j = i + 1
                    if j < chars.count && (chars[j] == "+" || chars[j] == "-") { j += 1 }
                    guard j < chars.count && isDigit(chars[j]) else {
                        throw InferKitError.parse(
                            "expected exponent digits at character \(j) of '\(source)'")
                    }
                    while j < chars.count && isDigit(chars[j]) { j += 1 }
                    i = j
                }
                let text = String(chars[start..<i])
                guard let value = Double(text) else {
                    throw InferKitError.parse("expected a number at character \(start) of '\(source)'")
                }
                tokens.append(Token(kind: .number(value), offset: start))
                continue
            }
            if isNameStart(c) {
                while i < chars.count && (isNameStart(chars[i]) || isDigit(chars[i])) { i += 1 }
                tokens.append(Token(kind: .identifier(String(chars[start..<i])), offset: start))
                continue
            }
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            let symbol: String
            switch c {
            case "*" where next == "*": symbol = "^"; i += 2
            case "<" where next == "=", ">" where next == "=", "=" where next == "=", "!" where next == "=":
                symbol = String(c) + "="; i += 2
            case "+", "-", "*", "/", "^", "(", ")", ",", ";", "=", "<", ">", "?", ":":
                symbol = String(c); i += 1
            default:
                throw InferKitError.parse(
                    "expected a number, name or operator at character \(start) of '\(source)', found '\(c)'")
            }
            tokens.append(Token(kind: .symbol(symbol), offset: start))
        }
        tokens.append(Token(kind: .end, offset: chars.count))
        return tokens
    }
}
