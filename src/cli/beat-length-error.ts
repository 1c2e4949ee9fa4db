// The message when a file's beats do not have the model's length, with the fix when it is
// obvious: one sample short while a label column was read means the file has no labels.

export function beatLengthMessage(source: string, got: number, model: string, expected: number,
                                  labelColumn: 'first' | 'last' | 'none' | undefined): string {
  const hint = labelColumn !== 'none' && got + 1 === expected
    ? `; if ${source} holds raw beats without a label column, pass --label-column none (its first column was read as a label)`
    : '';
  return `${source}: beats have ${got} samples, the model at ${model} expects ${expected}${hint}`;
}
