"""OCR throughput and accuracy: today's easyocr path against the faster one, and tesseract, on the same memes.

Run: `.venv/bin/python bench/ocr_speed.py` (or `make bench-ocr`). Each path in `bench/ocr_paths.json`
(an engine spec and the preprocessing it runs with) reads the same dev_seen memes of the default
synthetic set with two worker processes (as the pipeline reads) through a fresh, empty cache, so
every figure is real OCR work. Reported: images per second, the seed's OCR distance, and each path's
speed and distance as ratios to the first path's, all measured in the same run.
"""
from __future__ import annotations
import argparse, json, os, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def tuned_setting(engine: str) -> dict:
    "The committed default results' tuned preprocessing for `engine`"
    p = ROOT/'nbs'/'_results'/'default'/'ocr_optuna'/'metrics.json'
    rows = json.loads(p.read_text())['rows']
    return next(r['preprocess'] for r in rows if r['name'] == f'{engine} | tuned')

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=96, help='memes to read per path')
    ap.add_argument('--paths', default=str(ROOT/'bench'/'ocr_paths.json'), help='the paths to compare, the first the baseline')
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()

    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.ocr.engines import Preprocess, ocr_distance, parse_engine
    from hateful_memes.ocr.tune import OcrPool
    memes = load_split(ensure_dataset('default'), 'dev_seen', check_images='none').memes[:args.n]
    paths, truths = [m.path for m in memes], [m.text for m in memes]
    r = dict(n=len(paths), cpus=os.cpu_count(), workers=args.workers, paths=[])
    for d in json.loads(Path(args.paths).read_text())['paths']:
        pre = tuned_setting(parse_engine(d['spec'])[0]) if d['preprocess'] == 'tuned' else d['preprocess']
        p = Preprocess(**pre)
        os.environ['HM_CACHE'] = tempfile.mkdtemp(prefix='hm-ocr-bench-')   # empty: every image is read
        with OcrPool(d['spec'], args.workers) as pool:
            pool.read(paths[:2*args.workers], Preprocess(scale=0.999))       # start every worker's engine (not timed)
            t0 = time.perf_counter(); preds = pool.read(paths, p, progress=True); dt = time.perf_counter() - t0
        r['paths'].append(dict(d, preprocess=pre, img_s=len(paths)/dt, ocr_distance=ocr_distance(truths, preds)))
        print(f"{d['name']}\n    {d['spec']} {pre}: {len(paths)/dt:6.2f} img/s, OCR distance {r['paths'][-1]['ocr_distance']:.4f}", flush=True)
    base = r['paths'][0]
    print(f"\nagainst {base['name']} (same run, {len(paths)} memes):")
    for d in r['paths']:
        d['speed_vs_first'], d['distance_vs_first'] = d['img_s']/base['img_s'], d['ocr_distance']/max(base['ocr_distance'], 1e-12)
        print(f"  {d['speed_vs_first']:5.2f}x the speed, {d['distance_vs_first']:5.2f}x the distance   {d['name']}")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(r, indent=1) + '\n')

if __name__ == '__main__': main()
