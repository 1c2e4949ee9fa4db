// Variational autoencoder (Kingma & Welling 2014) over whole beats.
//   encoder: L → hidden… (ReLU) → μ [B, z] and log σ² [B, z]
//   z = μ + ε·σ with ε ~ N(0, I) drawn from the seeded generator (reparameterisation trick)
//   decoder: z → reversed hidden… (ReLU) → L
//   loss = Σ_t (x - x̂)² + β·KL(q(z|x) ‖ N(0, I)), both summed per beat and averaged over the batch,
//   KL = -½ Σ (1 + log σ² - μ² - σ²); β ramps up linearly over `klWarmup` epochs when set.
// Anomaly score: reconstruction error of the decoded mean μ (deterministic), or the mean over
// `samples` Monte-Carlo draws of z when the detector asks for it.

import type { Rng } from '../engine/random.ts';
import type { Tensor } from '../engine/tensor.ts';
import { Linear, ReLU, Sequential } from '../nn/layers.ts';
import type { Module } from '../nn/module.ts';
import * as v from 'valibot';
import { Autoencoder, type Architecture, type TrainContext } from './autoencoder.ts';
import { reparameterize, vaeObjective } from './vae-ops.ts';
import { kindAndLength, layerSizes, linearShapes, positiveInt, type ModelSpec } from './model-spec.ts';

export interface VaeArchitecture extends Architecture {
  kind: 'vae';
  hidden: number[];
  latent: number;
  beta: number;
  /** Epochs over which β rises linearly from 0 to its value; 0 = no warm-up. */
  klWarmup: number;
}

export class VariationalAutoencoder extends Autoencoder {
  readonly encoder: Sequential;
  readonly mu: Linear;
  readonly logvar: Linear;
  readonly decoder: Sequential;

  constructor(readonly architecture: VaeArchitecture, seed: number) {
    super();
    const { length, hidden, latent } = architecture;
    const sizes = [length, ...hidden];
    const enc: Module[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) enc.push(new Linear(sizes[i], sizes[i + 1], { seed: `${seed}:enc${i}` }), new ReLU());
    const last = sizes[sizes.length - 1];
    const back = [latent, ...[...hidden].reverse(), length];
    const dec: Module[] = [];
    for (let i = 0; i + 1 < back.length; i++) {
      dec.push(new Linear(back[i], back[i + 1], { seed: `${seed}:dec${i}` }));
      if (i + 2 < back.length) dec.push(new ReLU());
    }
    this.encoder = this.registerModule('encoder', new Sequential(...enc));
    this.mu = this.registerModule('mu', new Linear(last, latent, { seed: `${seed}:mu` }));
    this.logvar = this.registerModule('logvar', new Linear(last, latent, { seed: `${seed}:logvar` }));
    this.decoder = this.registerModule('decoder', new Sequential(...dec));
  }

  /** μ and log σ² of q(z|x). */
  encode(x: Tensor): { mu: Tensor; logvar: Tensor } {
    const h = this.encoder.forward(x);
    return { mu: this.mu.forward(h), logvar: this.logvar.forward(h) };
  }

  /** z = μ + ε·σ; ε row by row from `rngOfRow(r)` (one shared generator while training). */
  sample(mu: Tensor, logvar: Tensor, rng: Rng | ((row: number) => Rng)): Tensor {
    const [rows, z] = mu.shape;
    const eps = new Float32Array(mu.size);
    for (let r = 0; r < rows; r++) {
      const g = typeof rng === 'function' ? rng(r) : rng;
      for (let j = 0; j < z; j++) eps[r * z + j] = g.normal();
    }
    return reparameterize(mu, logvar, eps);
  }

  loss(x: Tensor, ctx: TrainContext): Tensor {
    const { mu, logvar } = this.encode(x);
    return this.objective(x, this.decoder.forward(this.sample(mu, logvar, ctx.rng)), mu, logvar, ctx.epoch, x.shape[0]);
  }

  /** Σ_t (x - x̂)² + β·KL summed over the batch and divided by `per` (the batch: a mean per beat; 1: the sum). */
  private objective(x: Tensor, recon: Tensor, mu: Tensor, logvar: Tensor, epoch: number, per: number): Tensor {
    const { beta, klWarmup } = this.architecture;
    const weight = klWarmup > 0 ? beta * Math.min(1, epoch / klWarmup) : beta;
    return vaeObjective(recon, x, mu, logvar, weight, per); // one op (vae-ops.ts): the tape glue of ~12 small ones was a third of the step

  }

  /** The same objective on held-out beats, decoding μ (no noise: the same beats give the same number). */
  override heldOutObjectiveSum(x: Tensor, epoch: number): number {
    const { mu, logvar } = this.encode(x);
    return this.objective(x, this.decoder.forward(mu), mu, logvar, epoch, 1).item();
  }


  reconstruct(x: Tensor): Tensor {
    return this.decoder.forward(this.encode(x).mu);
  }

  /**
   * Mean reconstruction over `samples` draws of z (Monte-Carlo score). `rngOfRow(r)` gives beat
   * r its own generator, so a beat's score does not depend on the other beats in the batch.
   */
  reconstructSampled(x: Tensor, samples: number, rngOfRow: (row: number) => Rng): Tensor {
    const { mu, logvar } = this.encode(x);
    const rngs = Array.from({ length: x.shape[0] }, (_, r) => rngOfRow(r));
    const rng = (r: number) => rngs[r];
    let acc: Tensor | null = null;
    for (let s = 0; s < samples; s++) {
      const r = this.decoder.forward(this.sample(mu, logvar, rng));
      acc = acc ? acc.add(r) : r;
    }
    return acc!.div(samples);
  }

  /** Latent means μ [B, z] (the report's latent map, plots/latent-means.csv). */
  latentCode(x: Tensor): Tensor {
    return this.encode(x).mu;
  }
}

/** The VAE kind's manifest schema, parameter shapes and constructor (see model-spec.ts). */
export const vaeSpec: ModelSpec<VaeArchitecture> = {
  kind: 'vae',
  architectureSchema: v.looseObject({
    ...kindAndLength('vae'),
    hidden: layerSizes,
    latent: positiveInt,
    beta: v.pipe(v.number('expected a finite number >= 0'), v.finite('expected a finite number >= 0'), v.minValue(0, 'expected a finite number >= 0')),
    klWarmup: v.pipe(v.number('expected an integer >= 0'), v.integer('expected an integer >= 0'), v.minValue(0, 'expected an integer >= 0')),
  }, 'expected an object'),
  parameterShapes(arch) {
    const sizes = [arch.length, ...arch.hidden];
    const last = sizes[sizes.length - 1];
    const back = [arch.latent, ...[...arch.hidden].reverse(), arch.length];
    const out: Record<string, number[]> = {};
    for (let i = 0; i + 1 < sizes.length; i++) linearShapes(out, `encoder.${2 * i}`, sizes[i], sizes[i + 1]);
    linearShapes(out, 'mu', last, arch.latent);
    linearShapes(out, 'logvar', last, arch.latent);
    for (let i = 0; i + 1 < back.length; i++) linearShapes(out, `decoder.${2 * i}`, back[i], back[i + 1]);
    return out;
  },
  create: (arch, seed) => new VariationalAutoencoder(arch, seed),
  canSample: true,
};
