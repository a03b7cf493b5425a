import Foundation
@testable import InferKit

/// The NIST StRD nonlinear data sets in shared/reference/nist/nonlinear.
struct NISTNonlinear {
    let name: String
    let model: String
    let inputs: [String]
    let params: [String]
    /// Row-major n × k inputs.
    let x: [Double]
    let y: [Double]
    let start1: [Double]
    let start2: [Double]
    let certifiedValues: [Double]
    let certifiedErrors: [Double]
    let residualSumOfSquares: Double

    static var directory: URL {
        if let s = ProcessInfo.processInfo.environment["INFERKIT_SHARED"] {
            return URL(fileURLWithPath: s).appendingPathComponent("reference/nist/nonlinear")
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/reference/nist/nonlinear").standardized
    }

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ name: String) throws -> NISTNonlinear {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).json"))
        let j = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let inputs = j["predictors"] as! [String]
        var x: [Double] = []
        if inputs.count == 1 {
            x = (j["x"] as! [NSNumber]).map(\.doubleValue)
        } else {
            for row in j["x"] as! [[NSNumber]] { x += row.map(\.doubleValue) }
        }
        var y = (j["y"] as! [NSNumber]).map(\.doubleValue)
        if (j["response"] as! String) == "log(y)" { y = y.map { Foundation.log($0) } }
        func doubles(_ key: String) -> [Double] { (j[key] as! [NSNumber]).map(\.doubleValue) }
        return NISTNonlinear(
            name: name, model: j["model"] as! String, inputs: inputs, params: j["params"] as! [String],
            x: x, y: y, start1: doubles("start1"), start2: doubles("start2"),
            certifiedValues: doubles("certified_values"), certifiedErrors: doubles("certified_std_errors"),
            residualSumOfSquares: (j["residual_sum_of_squares"] as! NSNumber).doubleValue)
    }

    /// Fits the data set from `start` with relative σ (NIST's standard errors), default options.
    func fit(from start: [Double], options: LeastSquaresOptions = LeastSquaresOptions()) throws -> LeastSquaresFit {
        let model = try Model(self.model, inputs: inputs, params: params)
        let n = y.count
        let storage = x.withUnsafeBufferPointer { DataPointStorage(rowMajor: $0, count: n, inputCount: inputs.count) }
        return try storage.withPoints { points in
            try y.withUnsafeBufferPointer { yb in
                let problem = LeastSquaresProblem(model: model, points: points, observations: yb, weights: nil)
                let solution = try NonlinearLeastSquares.solve(problem, start: start, options: options)
                return try LeastSquaresFit(solution: solution, problem: problem, absoluteSigma: false)
            }
        }
    }
}

/// Digits of agreement with a certified value, clipped to [0, 11] (NIST's nonlinear LRE).
func lre11(_ estimate: Double, _ certified: Double) -> Double {
    Swift.min(11, lre(estimate, certified))
}
