// Matmul kernels for the CPU backend. C[m,n] = op(A)[m,k] · op(B)[k,n], row-major.
//
// Two implementations of each layout, side by side:
//   - naive*: the textbook triple loop, kept as the reference the tests compare against;
//   - blocked*: a 4x4 register-blocked micro-kernel. Sixteen local accumulators live in CPU
//     registers, so each loaded A and B value is reused four times. In V8 this is 2-4x faster
//     than the naive loop (plain cache blocking did not help at these sizes; see docs/benchmarks.md).
// Edges (m or n not a multiple of 4) fall back to short scalar loops.

import type { MatmulLayout } from '../backend.ts';

/** Reference: C = op(A)·op(B) (+ C when accumulate). Index math spelled out for each layout. */
export function matmulNaive(a: Float32Array, b: Float32Array, c: Float32Array,
                            m: number, k: number, n: number, layout: MatmulLayout,
                            accumulate: boolean): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const av = layout === 'tn' ? a[p * m + i] : a[i * k + p]; // A[i,p]
        const bv = layout === 'nt' ? b[j * k + p] : b[p * n + j]; // B[p,j]
        sum += av * bv;
      }
      c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
    }
  }
}

export function matmulBlocked(a: Float32Array, b: Float32Array, c: Float32Array,
                              m: number, k: number, n: number, layout: MatmulLayout,
                              accumulate: boolean): void {
  if (layout === 'nn') blockedNN(a, b, c, m, k, n, accumulate);
  else if (layout === 'tn') blockedTN(a, b, c, m, k, n, accumulate);
  else blockedNT(a, b, c, m, k, n, accumulate);
}

// A [m,k], B [k,n]. For each 4x4 tile of C, walk p over k: 4 values of column p of A and
// 4 values of row p of B (contiguous) feed 16 multiply-adds.
function blockedNN(a: Float32Array, b: Float32Array, c: Float32Array,
                   m: number, k: number, n: number, acc: boolean): void {
  const m4 = m - (m % 4), n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
        // One A value live at a time: 16 accumulators + 4 B values + 1 A value fit x64's 16+
        // float registers better than holding all four A values at once.
        let av = a[r0 + p]; c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
        av = a[r1 + p]; c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
        av = a[r2 + p]; c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
        av = a[r3 + p]; c30 += av * b0; c31 += av * b1; c32 += av * b2; c33 += av * b3;
      }
      store4x4(c, i * n + j, n, acc, c00, c01, c02, c03, c10, c11, c12, c13,
               c20, c21, c22, c23, c30, c31, c32, c33);
    }
  }
  edges(a, b, c, m, k, n, 'nn', acc, m4, n4);
}

// A stored [k,m] (we want Aᵀ): column i of the product reads A[p, i..i+3], contiguous.
function blockedTN(a: Float32Array, b: Float32Array, c: Float32Array,
                   m: number, k: number, n: number, acc: boolean): void {
  const m4 = m - (m % 4), n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, ap = i, bp = j; p < k; p++, ap += m, bp += n) {
        const b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
        let av = a[ap]; c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
        av = a[ap + 1]; c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
        av = a[ap + 2]; c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
        av = a[ap + 3]; c30 += av * b0; c31 += av * b1; c32 += av * b2; c33 += av * b3;
      }
      store4x4(c, i * n + j, n, acc, c00, c01, c02, c03, c10, c11, c12, c13,
               c20, c21, c22, c23, c30, c31, c32, c33);
    }
  }
  edges(a, b, c, m, k, n, 'tn', acc, m4, n4);
}

// B stored [n,k] (we want Bᵀ): both A's rows and B's rows are contiguous in p.
function blockedNT(a: Float32Array, b: Float32Array, c: Float32Array,
                   m: number, k: number, n: number, acc: boolean): void {
  const m4 = m - (m % 4), n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    for (let j = 0; j < n4; j += 4) {
      const s0 = j * k, s1 = s0 + k, s2 = s1 + k, s3 = s2 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const b0 = b[s0 + p], b1 = b[s1 + p], b2 = b[s2 + p], b3 = b[s3 + p];
        let av = a[r0 + p]; c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
        av = a[r1 + p]; c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
        av = a[r2 + p]; c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
        av = a[r3 + p]; c30 += av * b0; c31 += av * b1; c32 += av * b2; c33 += av * b3;
      }
      store4x4(c, i * n + j, n, acc, c00, c01, c02, c03, c10, c11, c12, c13,
               c20, c21, c22, c23, c30, c31, c32, c33);
    }
  }
  edges(a, b, c, m, k, n, 'nt', acc, m4, n4);
}

function store4x4(c: Float32Array, o: number, n: number, acc: boolean,
                  c00: number, c01: number, c02: number, c03: number,
                  c10: number, c11: number, c12: number, c13: number,
                  c20: number, c21: number, c22: number, c23: number,
                  c30: number, c31: number, c32: number, c33: number): void {
  const o1 = o + n, o2 = o1 + n, o3 = o2 + n;
  if (acc) {
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
    c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
    c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
    c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
  } else {
    c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03;
    c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
    c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
    c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
  }
}

/** The right strip (columns n4..n) for all rows and the bottom strip (rows m4..m) for columns < n4. */
function edges(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number,
               layout: MatmulLayout, acc: boolean, m4: number, n4: number): void {
  if (n4 < n) cell(a, b, c, m, k, n, layout, acc, 0, m, n4, n);
  if (m4 < m) cell(a, b, c, m, k, n, layout, acc, m4, m, 0, n4);
}

function cell(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number,
              layout: MatmulLayout, acc: boolean, i0: number, i1: number, j0: number, j1: number): void {
  // Strides of A[i,p] and B[p,j] in memory for this layout.
  const aI = layout === 'tn' ? 1 : k, aP = layout === 'tn' ? m : 1;
  const bP = layout === 'nt' ? 1 : n, bJ = layout === 'nt' ? k : 1;
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let sum = 0;
      for (let p = 0, ai = i * aI, bj = j * bJ; p < k; p++, ai += aP, bj += bP) sum += a[ai] * b[bj];
      const o = i * n + j;
      c[o] = acc ? c[o] + sum : sum;
    }
  }
}
