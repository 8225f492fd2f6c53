#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One pass over the training rows at fixed coefficients: the log-likelihood, its gradient and the
/// information matrix X̃ᵀVX̃ (X̃ = [1 | X], V = diag(wᵢ pᵢ(1 − pᵢ))), all unpenalized.
///
/// The rows are read through raw pointers and summed in row order, so a pass allocates nothing per
/// row and gives bit-identical sums on every run.
struct LogisticNewtonPass {
  /// Row-major features, `rows × featureCount` (one padding value when there are no columns, so
  /// that the buffer always has a base address).
  let features: UnsafeBufferPointer<Double>
  /// Labels in [0, 1], one per row.
  let labels: UnsafeBufferPointer<Double>
  /// Row weights, or nil for all ones.
  let weights: UnsafeBufferPointer<Double>?
  /// The number of rows.
  let rows: Int
  /// The number of feature columns k; the system has k + 1 unknowns, the intercept first.
  let featureCount: Int

  /// Evaluates the pass at `beta` (intercept first), overwriting `gradient` (k + 1) and the upper
  /// triangle of `information` ((k + 1)², row-major), and returns the log-likelihood.
  func evaluate(
    beta: UnsafeBufferPointer<Double>,
    gradient: UnsafeMutableBufferPointer<Double>,
    information: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let k = featureCount
    let d = k + 1
    gradient.update(repeating: 0)
    information.update(repeating: 0)
    guard let x = features.baseAddress, let y = labels.baseAddress, let b = beta.baseAddress,
      let g = gradient.baseAddress, let h = information.baseAddress
    else { return 0 }
    let w = weights?.baseAddress
    let b0 = b[0]
    let coefficients = b + 1
    let gx = g + 1
    var logLikelihood = 0.0
    for r in 0..<rows {
      let weight = w?[r] ?? 1
      if weight == 0 { continue }
      let row = x + r * k
      var eta = b0
      for j in 0..<k { eta += coefficients[j] * row[j] }
      // p = σ(η), q = 1 − p and log(1 + e^η) share e^−|η|, which never overflows; q is computed
      // directly rather than as 1 − p so that confident rows keep their small gradient.
      let e = exp(-abs(eta))
      let large = 1 / (1 + e)
      let small = e * large
      let p = eta >= 0 ? large : small
      let q = eta >= 0 ? small : large
      let softplus = max(eta, 0) + log1p(e)
      let label = y[r]
      logLikelihood += weight * (label * eta - softplus)
      let residual = weight * (label * q - (1 - label) * p)
      let v = weight * p * q
      g[0] += residual
      h[0] += v
      for j in 0..<k {
        let xj = row[j]
        gx[j] += residual * xj
        let vx = v * xj
        h[1 + j] += vx
        let hRow = h + (1 + j) * d + 1
        for l in j..<k { hRow[l] += vx * row[l] }
      }
    }
    return logLikelihood
  }
}
