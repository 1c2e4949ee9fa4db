"""Dense autoencoder scoring throughput in PyTorch (CPU, inference): beats/s of reconstruction MSE
per beat for the first B standard-scaled ECG5000_TEST beats, layers 140-64-32-16-32-64-140 (the
bench:peers dense workload; weights at PyTorch's default init: throughput does not depend on them).
Times blocks of calls for about `--seconds` per block and prints the fastest block (a preemption
on a shared machine only adds time). usage: torch_dense_score.py DATA_DIR BATCH [--seconds 0.3] [--blocks 5]"""
import argparse, json, time
import numpy as np, torch, torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("data"); p.add_argument("batch", type=int)
p.add_argument("--seconds", type=float, default=0.3); p.add_argument("--blocks", type=int, default=5)
a = p.parse_args()
torch.manual_seed(0)
tr = np.loadtxt(f"{a.data}/ECG5000_TRAIN.txt"); te = np.loadtxt(f"{a.data}/ECG5000_TEST.txt")
xtr = tr[tr[:, 0] == 1, 1:].astype(np.float32)
mu, sd = xtr.mean(0), xtr.std(0) + 1e-8
x = torch.from_numpy(((te[:a.batch, 1:].astype(np.float32) - mu) / sd).astype(np.float32))
dims = [140, 64, 32, 16]
layers = []
for i in range(3): layers += [nn.Linear(dims[i], dims[i + 1]), nn.ReLU()]
rd = dims[::-1]
for i in range(3): layers += [nn.Linear(rd[i], rd[i + 1])] + ([nn.ReLU()] if i < 2 else [])
model = nn.Sequential(*layers).eval()

def score():
    with torch.no_grad():
        return ((model(x) - x) ** 2).mean(1)

for _ in range(20): score()
best = float("inf")
for _ in range(a.blocks):
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < a.seconds:
        score(); n += 1
    best = min(best, (time.perf_counter() - t0) / n)
print(json.dumps({"engine": "pytorch", "batch": a.batch, "s_per_call": best, "beats_per_s": a.batch / best, "threads": torch.get_num_threads()}))
