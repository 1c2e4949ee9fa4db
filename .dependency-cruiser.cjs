/** Layer rules for src/ (issue 21 item 2). Run: npm run lint:deps. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles, except engine/tensor.ts with its own ops (engine/ops/*).',
      severity: 'error',
      from: { pathNot: '^src/engine/(tensor\\.ts|ops/)' },
      to: { circular: true },
    },
    {
      name: 'engine-no-particular-backend',
      comment: 'The engine talks to backends/backend.ts only, never to one backend.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/backends/(cpu|wasm|gpujs)/' },
    },
    {
      name: 'scoring-core-no-node',
      comment: 'The scoring core runs in browsers too: node: modules only in *-node.ts files, src/cli, src/server.',
      severity: 'error',
      from: { path: '^src/(engine|backends|nn|optim|autoencoders|detect|data|io)/', pathNot: '-node\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
  },
};
