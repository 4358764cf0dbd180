"""Gallery search: per-query latency (p50 / p95) and recall@10 of faiss flat and IVF against a NumPy baseline.

Run: `.venv/bin/python bench/retrieval_search.py` (or `make bench-retrieval`). For galleries of 10k and
100k random unit vectors (512-d, the size of CLIP ViT-B embeddings; clustered, as real embeddings are),
200 queries (noisy copies of gallery rows) are searched one at a time, as a retrieval service answers
them: NumPy (a matrix-vector product and argpartition: the baseline), faiss's exact flat index and
faiss's IVF index (nlist = 4·sqrt(N) cells, at most N/39 so that each has the 39 training points faiss
asks for; nprobe 8). Then all queries in one batch (throughput), where faiss's flat index uses BLAS. Reported per gallery and method: p50 and p95
latency in milliseconds, queries per second, recall@10 against the exact top-10, and the speed-up over
NumPy measured in the same run. Past one machine's memory, faiss's IVF-PQ (compressed codes) or sharded
indexes (faiss.IndexShards) are the next steps; not measured here.
"""
from __future__ import annotations
import argparse, json, os, time
from pathlib import Path
import numpy as np

def gallery(n: int, d: int, rng) -> np.ndarray:
    "Unit vectors around 64 centres, as embeddings of many kinds of images are"
    centres = rng.normal(size=(64, d)).astype(np.float32)
    X = centres[rng.integers(0, 64, n)] + 0.6*rng.normal(size=(n, d)).astype(np.float32)
    return X/np.linalg.norm(X, axis=1, keepdims=True)

def numpy_top(X, q, k):
    s = X @ q
    i = np.argpartition(-s, k)[:k]
    return i[np.argsort(-s[i])]

def timed(fn, Q):
    lat, out = [], []
    for q in Q:
        t = time.perf_counter(); out.append(fn(q)); lat.append(time.perf_counter() - t)
    lat = 1000*np.array(lat)
    return np.array(out), dict(p50_ms=float(np.percentile(lat, 50)), p95_ms=float(np.percentile(lat, 95)), qps=float(1000/lat.mean()))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sizes', default='10000,100000')
    ap.add_argument('--dim', type=int, default=512)
    ap.add_argument('--queries', type=int, default=200)
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()
    import faiss
    from hateful_memes.retrieval.evaluate import exact_index, ivf_index, recall_at
    rng, k, res = np.random.default_rng(0), 10, dict(dim=args.dim, queries=args.queries, cpus=os.cpu_count(), faiss=faiss.__version__, galleries=[])
    for n in map(int, args.sizes.split(',')):
        X = gallery(n, args.dim, rng)
        Q = X[rng.integers(0, n, args.queries)] + 0.05*rng.normal(size=(args.queries, args.dim)).astype(np.float32)
        Q /= np.linalg.norm(Q, axis=1, keepdims=True)
        flat = exact_index(X)
        nlist = int(min(4*np.sqrt(n), n/39))
        t = time.perf_counter(); ivf = ivf_index(X, nlist=nlist, nprobe=8); build = time.perf_counter() - t
        exact, base = timed(lambda q: numpy_top(X, q, k), Q)
        rows = [dict(method='numpy', **base, recall_at_10=1.0)]
        for name, idx in (('faiss flat', flat), ('faiss IVF', ivf)):
            found, m = timed(lambda q: idx.search(q[None], k)[1][0], Q)
            rows.append(dict(method=name, **m, recall_at_10=recall_at(found, exact, k)))
        for r in rows: r['speedup_vs_numpy'] = r['qps']/base['qps']
        def batch(fn, reps=3):
            t = time.perf_counter()
            for _ in range(reps): fn()
            return reps*len(Q)/(time.perf_counter() - t)
        nb = batch(lambda: np.argpartition(-(Q @ X.T), k, axis=1)[:, :k])
        batched = [dict(method='numpy (batch)', qps=nb), dict(method='faiss flat (batch)', qps=batch(lambda: flat.search(Q, k)))]
        for r in batched: r['speedup_vs_numpy'] = r['qps']/nb
        res['galleries'].append(dict(n=n, ivf_nlist=nlist, ivf_nprobe=8, ivf_build_s=build, methods=rows, batched=batched))
        for r in batched: print(f"{n:>7} {r['method']:<19} {r['qps']:8.0f} q/s  x{r['speedup_vs_numpy']:.2f} numpy (batch)")
        for r in rows: print(f"{n:>7} {r['method']:<11} p50 {r['p50_ms']:7.3f} ms  p95 {r['p95_ms']:7.3f} ms  {r['qps']:8.0f} q/s  "
                             f"recall@10 {r['recall_at_10']:.3f}  x{r['speedup_vs_numpy']:.2f} numpy")
    if args.out: Path(args.out).parent.mkdir(parents=True, exist_ok=True); Path(args.out).write_text(json.dumps(res, indent=1) + '\n')

if __name__ == '__main__': main()
