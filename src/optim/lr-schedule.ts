// Learning-rate schedules, by name: what `train --lr-schedule` and the training defaults choose from.

export type LrSchedule = 'constant' | 'cosine';
export const LR_SCHEDULES: readonly LrSchedule[] = ['constant', 'cosine'];

/** The learning rate of epoch `epoch` (1-based) of `epochs`. Cosine decays from lr toward 0 (SGDR without restarts). */
export function scheduledLr(lr: number, schedule: LrSchedule, epoch: number, epochs: number): number {
  return schedule === 'cosine' ? lr * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs)) : lr;
}
