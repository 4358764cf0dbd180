"""Scale-out: embedding images with Ray Data actors, one worker against two, beside the single-process extractor.

Run: `.venv/bin/python bench/ray_embed.py` (or `make bench-ray`). The same dev_seen memes of the default
synthetic set go through open_clip ViT-B-32 (random weights, 224 px: no download) three ways, each into
an empty feature cache: the library's single-process extractor (batched, decoding in a DataLoader
worker), and `ray_image_features` with one and with two actors on a local Ray cluster (started once,
its start-up timed apart). Reported: images per second and each as a ratio to the one-worker Ray run,
measured in the same run. On a 2-core machine two actors can at best double one; the single process
already uses both cores through torch's threads.
"""
from __future__ import annotations
import argparse, json, os, tempfile, time
from pathlib import Path

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=128, help='memes to embed')
    ap.add_argument('--model', default='ViT-B-32')
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()
    import ray
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.clip.models import load_clip, image_features
    from hateful_memes.retrieval.scale import ray_image_features
    paths = [m.path for m in load_split(ensure_dataset('default'), 'dev_seen', check_images='none').memes[:args.n]]
    clip = load_clip(args.model, None)
    res = dict(n=len(paths), model=f'{args.model} (random weights, 224 px)', cpus=os.cpu_count(), runs=[])
    def run(name, fn):
        os.environ['HM_CACHE'] = tempfile.mkdtemp(prefix='hm-ray-bench-')      # empty: every image is embedded
        t = time.perf_counter(); fn(); s = time.perf_counter() - t
        res['runs'].append(dict(name=name, seconds=s, img_s=len(paths)/s)); print(f'{name:<28} {s:7.1f} s  {len(paths)/s:6.1f} img/s')
    run('single process', lambda: image_features(clip, paths, progress=False))
    t = time.perf_counter(); ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    res['ray_init_s'] = time.perf_counter() - t
    try:
        for w in (1, 2): run(f'ray, {w} worker' + ('s' if w > 1 else ''), lambda: ray_image_features(clip, paths, workers=w, progress=False))
    finally: ray.shutdown()
    base = next(r['img_s'] for r in res['runs'] if r['name'] == 'ray, 1 worker')
    for r in res['runs']: r['vs_one_ray_worker'] = r['img_s']/base
    for r in res['runs']: print(f"{r['name']:<28} x{r['vs_one_ray_worker']:.2f} one Ray worker")
    print(f"ray.init: {res['ray_init_s']:.1f} s (not counted)")
    if args.out: Path(args.out).parent.mkdir(parents=True, exist_ok=True); Path(args.out).write_text(json.dumps(res, indent=1) + '\n')

if __name__ == '__main__': main()
