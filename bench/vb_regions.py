"""Peak memory of VisualBERT's region tokens: written to a file and read a batch at a time (today's `region_tokens`) against
the whole padded array held in memory (how it was built before), then one pass of training-sized batches over it.

Run: `.venv/bin/python bench/vb_regions.py` (defaults: 10,000 memes × 100 regions × 2,048 numbers, the size of
MMF's region features for the Hateful Memes set: 8.2 GB of float32; the fixture takes as much disk, the memory
cache as much again, both removed at the end). Each way runs in a fresh process; its peak resident memory
(`ru_maxrss`) above a process that only imports the same modules is reported, with its ratio to the in-memory
way's, all measured in the same run. `--in_memory_n`
caps the memes of the in-memory way (it needs the whole array in RAM: 8.2 GB at full size), its figure is then
scaled to the full count (what it adds above the imports grows with the memes), and the report says so.
"""
from __future__ import annotations
import argparse, json, os, resource, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import numpy as np
way, region_dir, n, batch = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
from hateful_memes.core.data import Meme
from hateful_memes.memes.visualbert import region_tokens, read_regions
memes = [Meme(i, f'img/{i:05d}.png', '', 0, Path(f'{i:05d}.png')) for i in range(n)]
t0 = time.time()
if way == 'baseline': tokens = np.zeros((0, 1, 1), np.float32)              # the imports alone: what both ways start from
elif way == 'streamed': tokens = region_tokens(memes, region_dir).tokens
else:                                                    # the whole padded array in memory, as region_tokens built it before
    feats = [read_regions(region_dir/f'{i:05d}.npz')[0] for i in range(n)]
    tokens = np.zeros((n, max(len(f) for f in feats), feats[0].shape[1]), np.float32)
    for i, f in enumerate(feats): tokens[i, :len(f)] = f
    del feats
built = time.time() - t0
total = 0.0
for s in range(0, n, batch): total += float(np.asarray(tokens[np.arange(s, min(n, s + batch))]).sum())   # a training pass: one batch at a time
print(json.dumps(dict(way=way, n=n, build_s=round(built, 1), pass_s=round(time.time() - t0 - built, 1),
                      peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024), checksum=total)))
"""

def fixture(folder: Path, n: int, regions: int, dim: int):
    "n region files (uncompressed .npz, as `hm_mmf regions` writes them), each `regions` × `dim` float32"
    import numpy as np
    rng = np.random.default_rng(0)
    block = rng.standard_normal((regions, dim)).astype(np.float32)
    for i in range(n): np.savez(folder/f'{i:05d}.npz', features=block + i, boxes=np.zeros((regions, 4), np.float32))

def run(way: str, folder: Path, n: int, batch: int, env: dict) -> dict:
    r = subprocess.run([sys.executable, '-c', CHILD, way, str(folder), str(n), str(batch)], capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode: raise SystemExit(f"{way} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=10_000, help='memes')
    ap.add_argument('--regions', type=int, default=100)
    ap.add_argument('--dim', type=int, default=2048)
    ap.add_argument('--batch', type=int, default=32, help="memes per batch (the seed's MMF batch)")
    ap.add_argument('--in_memory_n', type=int, default=1_000, help='memes for the in-memory way (its peak scales with them)')
    ap.add_argument('--work', default=None, help='folder for the fixture and the cache (default: a temporary one, removed)')
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix='hm-vb-regions-'))
    try:
        (work/'regions').mkdir(parents=True, exist_ok=True)
        t0 = time.time(); fixture(work/'regions', args.n, args.regions, args.dim)
        print(f"fixture: {args.n} files of {args.regions} x {args.dim} in {time.time() - t0:.0f} s", file=sys.stderr)
        env = dict(os.environ, HM_CACHE=str(work/'cache'))
        base = run('baseline', work/'regions', 0, args.batch, env)
        streamed = run('streamed', work/'regions', args.n, args.batch, env)
        k = min(args.n, args.in_memory_n)
        memory = run('in_memory', work/'regions', k, args.batch, env)
        array_mb = args.n*args.regions*args.dim*4/2**20
        b = base['peak_rss_mb']
        scaled = (memory['peak_rss_mb'] - b)*args.n/k                       # what holding the array adds, scaled to n memes
        r = dict(n=args.n, regions=args.regions, dim=args.dim, batch=args.batch, array_mb=round(array_mb), baseline_rss_mb=b,
                 streamed=streamed, in_memory=memory, streamed_added_mb=streamed['peak_rss_mb'] - b, in_memory_added_at_n_mb=round(scaled),
                 in_memory_note=(f'run on {k} memes, what it added scaled by {args.n}/{k}' if k < args.n else 'run at full size'),
                 streamed_over_in_memory_added=round((streamed['peak_rss_mb'] - b)/max(scaled, 1), 4), cpus=os.cpu_count())
    finally:
        if not args.work: shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(r, indent=1))
    if args.out: Path(args.out).write_text(json.dumps(r, indent=1) + '\n')

if __name__ == '__main__': main()
