/// Solves a symmetric positive definite system A x = b by Cholesky factorization A = L Lᵀ.
///
/// When A is not positive definite in floating point (a flat direction, weights that underflow),
/// a small ridge is added to the diagonal and grown tenfold until the factorization succeeds.
enum CholeskySolver {
  /// The solution of `matrix` (n × n, row-major, symmetric) times x = `rhs`, or nil when even the
  /// largest ridge fails (only possible with non-finite entries).
  static func solve(matrix: [Double], rhs: [Double], size n: Int) -> [Double]? {
    if let x = factorAndSolve(matrix: matrix, rhs: rhs, size: n, ridge: 0) { return x }
    var scale = 1.0
    for i in 0..<n { scale = max(scale, abs(matrix[i * n + i])) }
    var ridge = 1e-10 * scale
    for _ in 0..<12 {
      if let x = factorAndSolve(matrix: matrix, rhs: rhs, size: n, ridge: ridge) { return x }
      ridge *= 10
    }
    return nil
  }

  private static func factorAndSolve(matrix: [Double], rhs: [Double], size n: Int, ridge: Double) -> [Double]? {
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var sum = matrix[i * n + j]
        if i == j { sum += ridge }
        for m in 0..<j { sum -= l[i * n + m] * l[j * n + m] }
        if i == j {
          // A relative floor rejects pivots that are zero up to rounding.
          guard sum > 1e-14 * max(abs(matrix[i * n + i]), 1e-300), sum.isFinite else { return nil }
          l[i * n + i] = sum.squareRoot()
        } else {
          l[i * n + j] = sum / l[j * n + j]
        }
      }
    }
    var z = rhs
    for i in 0..<n {
      var sum = z[i]
      for m in 0..<i { sum -= l[i * n + m] * z[m] }
      z[i] = sum / l[i * n + i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      var sum = z[i]
      for m in (i + 1)..<n { sum -= l[m * n + i] * z[m] }
      z[i] = sum / l[i * n + i]
    }
    return z.allSatisfy(\.isFinite) ? z : nil
  }
}
