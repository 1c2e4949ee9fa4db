// Naive direct-loop reference kernels for 1-D convolution and its transpose.
//
// These spell the definitions out index by index. They are slow (no reuse, bounds checks in the
// innermost loop) and are kept as the reference that the fast im2col + matmul path in
// src/engine/ops/conv.ts is tested against (test/engine/conv-kernels.test.ts).
//
// Geometry shared by both: a "short" side of length `short` and a "long" side of length `long`
// linked by  long index = t·stride − padding + k  for t in [0, short), k in [0, K).
//   conv1d:          x is the long side [N, Cin, L],  y the short side [N, Cout, Lout]
//   convTranspose1d: x is the short side [N, Cin, L], y the long side [N, Cout, Lout]

export interface Conv1dGeometry {
  N: number;
  Cin: number;
  Cout: number;
  K: number;
  stride: number;
  padding: number;
  /** Input length. */
  L: number;
  /** Output length. */
  Lout: number;
}

/** conv1d: y[n,co,t] = b[co] + Σ_ci Σ_k w[co,ci,k] · x[n,ci,t·s−p+k].  x [N,Cin,L], w [Cout,Cin,K]. */
export function conv1dNaive(x: Float32Array, w: Float32Array, b: Float32Array | null,
                            y: Float32Array, g: Conv1dGeometry): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      for (let t = 0; t < Lout; t++) {
        let sum = b ? b[co] : 0;
        for (let ci = 0; ci < Cin; ci++) {
          for (let k = 0; k < K; k++) {
            const pos = t * stride - padding + k;
            if (pos >= 0 && pos < L) sum += w[(co * Cin + ci) * K + k] * x[(n * Cin + ci) * L + pos];
          }
        }
        y[(n * Cout + co) * Lout + t] = sum;
      }
    }
  }
}

/** conv1d backward: adds into dx [N,Cin,L], dw [Cout,Cin,K], db [Cout] (any may be null). */
export function conv1dBackwardNaive(x: Float32Array, w: Float32Array, dy: Float32Array,
                                    dx: Float32Array | null, dw: Float32Array | null,
                                    db: Float32Array | null, g: Conv1dGeometry): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      for (let t = 0; t < Lout; t++) {
        const gy = dy[(n * Cout + co) * Lout + t];
        if (db) db[co] += gy;
        for (let ci = 0; ci < Cin; ci++) {
          for (let k = 0; k < K; k++) {
            const pos = t * stride - padding + k;
            if (pos < 0 || pos >= L) continue;
            const xi = (n * Cin + ci) * L + pos, wi = (co * Cin + ci) * K + k;
            if (dx) dx[xi] += w[wi] * gy;
            if (dw) dw[wi] += x[xi] * gy;
          }
        }
      }
    }
  }
}

/**
 * convTranspose1d: y[n,co,t·s−p+k] += x[n,ci,t] · w[ci,co,k], then + b[co].
 * x [N,Cin,L], w [Cin,Cout,K], y [N,Cout,Lout] (overwritten).
 */
export function convTranspose1dNaive(x: Float32Array, w: Float32Array, b: Float32Array | null,
                                     y: Float32Array, g: Conv1dGeometry): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      for (let u = 0; u < Lout; u++) y[(n * Cout + co) * Lout + u] = b ? b[co] : 0;
    }
    for (let ci = 0; ci < Cin; ci++) {
      for (let t = 0; t < L; t++) {
        const xv = x[(n * Cin + ci) * L + t];
        for (let co = 0; co < Cout; co++) {
          for (let k = 0; k < K; k++) {
            const pos = t * stride - padding + k;
            if (pos >= 0 && pos < Lout) y[(n * Cout + co) * Lout + pos] += xv * w[(ci * Cout + co) * K + k];
          }
        }
      }
    }
  }
}

/** convTranspose1d backward: adds into dx [N,Cin,L], dw [Cin,Cout,K], db [Cout] (any may be null). */
export function convTranspose1dBackwardNaive(x: Float32Array, w: Float32Array, dy: Float32Array,
                                             dx: Float32Array | null, dw: Float32Array | null,
                                             db: Float32Array | null, g: Conv1dGeometry): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  for (let n = 0; n < N; n++) {
    if (db) {
      for (let co = 0; co < Cout; co++) {
        for (let u = 0; u < Lout; u++) db[co] += dy[(n * Cout + co) * Lout + u];
      }
    }
    for (let ci = 0; ci < Cin; ci++) {
      for (let t = 0; t < L; t++) {
        const xi = (n * Cin + ci) * L + t;
        for (let co = 0; co < Cout; co++) {
          for (let k = 0; k < K; k++) {
            const pos = t * stride - padding + k;
            if (pos < 0 || pos >= Lout) continue;
            const gy = dy[(n * Cout + co) * Lout + pos], wi = (ci * Cout + co) * K + k;
            if (dx) dx[xi] += w[wi] * gy;
            if (dw) dw[wi] += x[xi] * gy;
          }
        }
      }
    }
  }
}
