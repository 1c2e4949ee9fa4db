// The demo page: pick a sample beat file or drop your own, have the worker score it, and draw
// each beat (black) with its reconstruction (blue, dashed) and its score against the threshold.

import type { DemoReply, DemoRequest, DemoResult } from './worker.ts';

interface Sample { file: string; title: string }
declare global { interface Window { demoResult?: DemoResult } }

const MAX_DRAWN = 200; // drawing thousands of SVGs would freeze the page; every beat is scored
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const worker = new Worker(new URL('worker.js', location.href), { type: 'module' });
let busy = false;

function setStatus(state: 'idle' | 'busy' | 'done' | 'error', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function score(req: DemoRequest): void {
  if (busy) return;
  busy = true;
  setStatus('busy', `Scoring ${req.name}…`);
  worker.postMessage(req);
}

worker.onmessage = (e: MessageEvent<DemoReply>) => {
  busy = false;
  if (!e.data.ok) { setStatus('error', e.data.error); return; }
  render(e.data.result);
  window.demoResult = e.data.result;
  const r = e.data.result;
  setStatus('done', `${r.name}: ${r.n} beats scored, ${r.flags.reduce((s, f) => s + f, 0)} flagged ` +
    `(${r.modelKind} model, ${r.backend} kernels).`);
};
worker.onerror = (e) => { busy = false; setStatus('error', `the scoring worker failed: ${e.message}`); };

const SVG = 'http://www.w3.org/2000/svg';
function polyline(values: Float32Array, lo: number, hi: number, cls: string): SVGPolylineElement {
  const p = document.createElementNS(SVG, 'polyline');
  const span = hi - lo || 1;
  const pts: string[] = [];
  for (let i = 0; i < values.length; i++) pts.push(`${((i / (values.length - 1)) * 100).toFixed(2)},${(38 - ((values[i] - lo) / span) * 36).toFixed(2)}`);
  p.setAttribute('points', pts.join(' '));
  p.setAttribute('class', cls);
  p.setAttribute('vector-effect', 'non-scaling-stroke');
  return p;
}

function render(r: DemoResult): void {
  const summary = $<HTMLElement>('summary');
  summary.replaceChildren();
  const p = document.createElement('p');
  p.className = 'legend';
  p.innerHTML = '<span class="k-raw">━ beat</span> · <span class="k-rec">┅ reconstruction</span> · bar: score vs threshold (black mark)';
  const t = document.createElement('p');
  t.textContent = `Threshold ${r.threshold.toPrecision(4)} (${r.thresholdMethod}).` +
    (r.n > MAX_DRAWN ? ` Showing the first ${MAX_DRAWN} of ${r.n} beats.` : '');
  summary.append(t, p);

  const list = $<HTMLElement>('beats');
  list.replaceChildren();
  const maxScore = Math.max(r.threshold * 2, ...r.scores.filter(Number.isFinite).slice(0, MAX_DRAWN));
  for (let i = 0; i < Math.min(r.n, MAX_DRAWN); i++) {
    const beat = r.beats.subarray(i * r.length, (i + 1) * r.length);
    const rec = r.reconstructions.subarray(i * r.length, (i + 1) * r.length);
    let lo = Infinity, hi = -Infinity;
    for (const v of [...beat, ...rec]) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const card = document.createElement('article');
    card.className = r.flags[i] ? 'beat flagged' : 'beat';
    card.dataset.index = String(i);
    card.dataset.score = String(r.scores[i]);
    const h = document.createElement('h3');
    const label = r.labels[i] ? ` (label ${r.labels[i]})` : '';
    h.innerHTML = '<span></span><span class="verdict"></span>';
    h.children[0].textContent = `beat ${i + 1}${label}`;
    h.children[1].textContent = `${r.flags[i] ? 'anomaly' : 'normal'} · ${r.scores[i].toPrecision(3)}`;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 100 40');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.append(polyline(beat, lo, hi, 'raw'), polyline(rec, lo, hi, 'rec'));
    const bar = document.createElement('div');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = `${Math.min(100, (Math.min(r.scores[i], maxScore) / maxScore) * 100)}%`; // CSSOM: allowed by the CSP
    const mark = document.createElement('i');
    mark.style.left = `${(r.threshold / maxScore) * 100}%`;
    bar.append(fill, mark);
    card.append(h, svg, bar);
    list.append(card);
  }
}

async function init(): Promise<void> {
  const samples = (await (await fetch('samples/index.json')).json()) as Sample[];
  const select = $<HTMLSelectElement>('sample');
  const unlabelled = $<HTMLInputElement>('unlabelled');
  for (const s of samples) select.append(new Option(s.title, s.file));
  $<HTMLButtonElement>('score-sample').onclick = async () => {
    const file = select.value;
    const res = await fetch(`samples/${encodeURIComponent(file)}`);
    if (!res.ok) { setStatus('error', `samples/${file}: HTTP ${res.status}`); return; }
    score({ name: file, text: await res.text(), unlabelled: unlabelled.checked });
  };
  const input = $<HTMLInputElement>('file');
  const readFile = async (f: File | undefined) => { if (f) score({ name: f.name, text: await f.text(), unlabelled: unlabelled.checked }); };
  input.onchange = () => { void readFile(input.files?.[0]); };
  const drop = $<HTMLLabelElement>('drop');
  drop.ondragover = (e) => { e.preventDefault(); drop.classList.add('over'); };
  drop.ondragleave = () => drop.classList.remove('over');
  drop.ondrop = (e) => { e.preventDefault(); drop.classList.remove('over'); void readFile(e.dataTransfer?.files[0]); };
  setStatus('idle', samples.length ? 'Pick a sample and press Score, or drop a file.' : 'Drop a file of beats to score it.');
}

init().catch((e: Error) => setStatus('error', e.message));
