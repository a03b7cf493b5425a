import Foundation
@testable import InferKit

/// Column-major helpers for tests.
func withView<R>(_ values: [Double], rows: Int, cols: Int, layout: MatrixLayout = .rowMajor,
                 name: String, _ body: (MatrixView) throws -> R) rethrows -> R {
    try values.withUnsafeBufferPointer { b in
        try body(MatrixView(base: b.baseAddress!, rows: rows, cols: cols, layout: layout, name: name))
    }
}

/// Fits a row-major design.
func fit(_ a: [Double], rows: Int, cols: Int, y: [Double], rhs: Int = 1, sigma: [Double]? = nil,
         options: LinearOptions = LinearOptions()) throws -> LinearFit {
    try withView(a, rows: rows, cols: cols, name: "a") { av in
        try withView(y, rows: rows, cols: rhs, name: "y") { yv in
            if let sigma {
                return try sigma.withUnsafeBufferPointer {
                    try LinearLeastSquares.fit(design: av, data: yv, sigma: $0, options: options)
                }
            }
            return try LinearLeastSquares.fit(design: av, data: yv, sigma: nil, options: options)
        }
    }
}

/// Fits a basis.
func basisFit(x: [Double], y: [Double], degree: Int, kind: BasisKind = .monomial,
              period: Double = 0, options: LinearOptions = LinearOptions()) throws -> LinearFit {
    try x.withUnsafeBufferPointer { xb in
        try withView(y, rows: y.count, cols: 1, name: "y") { yv in
            try LinearLeastSquares.fit(x: xb, data: yv, sigma: nil, basis: kind, degree: degree,
                                       domain: nil, period: period, options: options)
        }
    }
}

/// Digits of agreement (log relative error), as NIST's LRE, clipped to [0, 15].
func lre(_ estimate: Double, _ certified: Double) -> Double {
    if estimate == certified { return 15 }
    let v = certified == 0 ? -log10(abs(estimate)) : -log10(abs(estimate - certified) / abs(certified))
    return max(0, min(15, v))
}

/// A small deterministic generator (SplitMix64) for test data.
struct TestRandom {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}

/// The NIST StRD linear data sets in shared/reference/nist/linear.
struct NISTLinear {
    let name: String
    let x: [[Double]]
    let y: [Double]
    let type: String
    let degree: Int
    let intercept: Bool
    let certifiedValues: [Double]
    let certifiedErrors: [Double]
    let residualSD: Double

    static var directory: URL {
        if let s = ProcessInfo.processInfo.environment["INFERKIT_SHARED"] {
            return URL(fileURLWithPath: s).appendingPathComponent("reference/nist/linear")
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/reference/nist/linear").standardized
    }

    static func load(_ name: String) throws -> NISTLinear {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).json"))
        let j = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let design = j["design"] as! [String: Any]
        let type = design["type"] as! String
        let xs: [[Double]]
        if type == "columns" {
            xs = (j["x"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
        } else {
            xs = (j["x"] as! [NSNumber]).map { [$0.doubleValue] }
        }
        return NISTLinear(
            name: name, x: xs, y: (j["y"] as! [NSNumber]).map(\.doubleValue), type: type,
            degree: (design["degree"] as? Int) ?? 0, intercept: design["intercept"] as! Bool,
            certifiedValues: (j["certified_values"] as! [NSNumber]).map(\.doubleValue),
            certifiedErrors: (j["certified_std_errors"] as! [NSNumber]).map(\.doubleValue),
            residualSD: (j["residual_std_dev"] as! NSNumber).doubleValue)
    }
}
