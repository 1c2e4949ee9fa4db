// The one shape beats travel in between loading, training and scoring: a row-major block.

/** Beats as one row-major block: data [n, length]. */
export interface BeatMatrix { data: Float32Array; n: number; length: number }
