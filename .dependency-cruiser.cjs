/** Layer rules for src/ (issue 21 item 2). Run: npm run lint:deps. */

// The layers, lowest first. A module may import its own layer and the layers below it, never one
// above (rules `upward-from-*`). Within the engine layer the engine and the particular backends
// are strangers: both implement or use the contract below them and neither imports the other.
//
//   kernel-math        strides and scalar functions (σ, gelu, ...) the engine and the kernels share
//   backend-contract   src/backends/*.ts: the Backend interface, the registry, completeBackend,
//                      and the default compositions of the fused methods (backends/composed/)
//   engine-backends    src/engine (tensors, autodiff, ops) | backends/cpu, wasm, gpujs (kernels)
//   models-formats     nn, optim, io (generic formats), evaluation (metrics)
//   autoencoders-data  model kinds; ECG datasets and parsers
//   detect             detector, scoring, thresholds, the model folder
//   training-report    training pipeline; HTML reports
//   monitor-signals    the continuous monitor; signal file readers (which name its beat classes)
//   apps               cli, server and the package entries (src/*.ts)
const { builtinModules } = require('node:module');

const LAYERS = [
  { name: 'kernel-math', path: '^src/kernel-math/' },
  { name: 'backend-contract', path: '^src/backends/([^/]+\\.ts$|composed/)' },
  { name: 'engine-backends', path: '^src/(engine|backends/(cpu|wasm|gpujs))/' },
  { name: 'models-formats', path: '^src/(nn|optim|io|evaluation)/' },
  { name: 'autoencoders-data', path: '^src/(autoencoders|data)/' },
  { name: 'detect', path: '^src/detect/' },
  { name: 'training-report', path: '^src/(training|report)/' },
  { name: 'monitor-signals', path: '^src/(monitor|signals)/' },
  { name: 'apps', path: '^src/((cli|server)/|[^/]+\\.ts$)' },
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `upward-from-${layer.name}`,
  comment: `${layer.name} imports only its own layer and those below (${LAYERS.slice(0, i).map((l) => l.name).join(', ') || 'none'}).`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).map((l) => l.path) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles, except engine/tensor.ts with its own ops (engine/ops/*).',
      severity: 'error',
      from: { pathNot: '^src/engine/(tensor\\.ts|ops/)' },
      to: { circular: true },
    },
    ...upward,
    {
      name: 'engine-no-particular-backend',
      comment: 'The engine talks to the backend contract (src/backends/*.ts) only, never to one backend.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/backends/(cpu|wasm|gpujs)/' },
    },
    {
      name: 'backends-no-engine',
      comment: 'Backends implement the contract below the engine; what they share with it is in src/kernel-math.',
      severity: 'error',
      from: { path: '^src/backends/' },
      to: { path: '^src/engine/' },
    },
    {
      name: 'layer-unknown',
      comment: 'Every folder under src/ belongs to a layer: add a new one to LAYERS in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map((l) => l.path) },
      to: {},
    },
    {
      name: 'scoring-core-no-node',
      comment: 'The scoring core runs in browsers too: node: modules only in *-node.ts files, src/cli, src/server.',
      severity: 'error',
      from: { path: '^src/(kernel-math|engine|backends|nn|optim|autoencoders|detect|data|io)/', pathNot: '-node\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'embedding-entries-no-node',
      comment: 'cardiograd/detector, cardiograd/monitor and cardiograd/server run in any JavaScript runtime: nothing they reach, however indirectly, is a Node module.',
      severity: 'error',
      from: { path: '^src/(detector|monitor-entry|server-entry)\\.ts$' },
      // A reachable rule matches on paths only: Node's built-in modules by name, with or without node:.
      to: { path: `^(node:)?(${builtinModules.join('|')})$`, reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
  },
};
