// One line of a training run's history: owned here so the trainer, its checkpoints and the
// reports can all name it without importing each other.

export interface EpochRecord { epoch: number; loss: number; valLoss: number | null; seconds: number }
