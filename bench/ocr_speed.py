"""OCR throughput and accuracy: today's easyocr path against the faster one, and tesseract, on the same memes.

Run: `.venv/bin/python bench/ocr_speed.py` (or `make bench-ocr`). Each engine spec reads the same
dev_seen memes of the default synthetic set with two worker processes (as the pipeline reads), at
the preprocessing the committed default results tuned for each engine (raw if there are none), through
a fresh, empty cache, so every figure is real OCR work. Reported: images per second, the seed's OCR
distance, and each spec's speed and distance as ratios to the first spec's, measured in the same run.
"""
from __future__ import annotations
import argparse, json, os, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def tuned_setting(engine: str = 'easyocr') -> dict:
    "The committed default results' tuned preprocessing for `engine` ({} if there are none)"
    p = ROOT/'nbs'/'_results'/'default'/'ocr_optuna'/'metrics.json'
    if not p.exists(): return {}
    rows = json.loads(p.read_text())['rows']
    return next((r['preprocess'] for r in rows if r['name'] == f'{engine} | tuned'), {})

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=48, help='memes to read per spec')
    ap.add_argument('--specs', default='easyocr;easyocr:detect_side=320,margin=0.05;easyocr:backend=onnx,detect_side=320,margin=0.05;tesseract',
                    help="engine specs (get_engine) separated by ;, the first the baseline: today's path")
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()

    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.ocr.engines import Preprocess, ocr_distance, parse_engine
    from hateful_memes.ocr.tune import OcrPool
    memes = load_split(ensure_dataset('default'), 'dev_seen', check_images='none').memes[:args.n]
    paths, truths = [m.path for m in memes], [m.text for m in memes]
    r = dict(n=len(paths), cpus=os.cpu_count(), workers=args.workers, specs={})
    for spec in args.specs.split(';'):
        name = parse_engine(spec)[0]
        p = Preprocess(**tuned_setting(name))                               # each engine at its own tuned setting
        os.environ['HM_CACHE'] = tempfile.mkdtemp(prefix='hm-ocr-bench-')   # empty: every image is read
        with OcrPool(spec, args.workers) as pool:
            pool.read(paths[:2*args.workers], Preprocess(scale=0.999))       # start every worker's engine (not timed)
            t0 = time.perf_counter(); preds = pool.read(paths, p, progress=True); dt = time.perf_counter() - t0
        r['specs'][spec] = d = dict(img_s=len(paths)/dt, ocr_distance=ocr_distance(truths, preds), preprocess=p.key())
        print(f'{spec:<32} {d["img_s"]:6.2f} img/s  OCR distance {d["ocr_distance"]:.4f}', flush=True)
    base = next(iter(r['specs']))
    for spec, d in r['specs'].items():
        d['speed_vs_first'] = d['img_s']/r['specs'][base]['img_s']
        d['distance_vs_first'] = d['ocr_distance']/max(r['specs'][base]['ocr_distance'], 1e-12)
    print(f'\nagainst {base} (same run):')
    for spec, d in r['specs'].items():
        print(f'  {spec:<32} speed {d["speed_vs_first"]:5.2f}x   distance {d["distance_vs_first"]:5.2f}x')
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(r, indent=1) + '\n')

if __name__ == '__main__': main()
