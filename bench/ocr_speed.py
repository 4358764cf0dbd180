"""OCR throughput: images per second for each engine, with one worker process and with two.

Run: `.venv/bin/python bench/ocr_speed.py` (or `make bench-ocr`). Every reading bypasses the cache
(a fresh, empty cache per measurement), so each figure is real OCR work. Reported as ratios too:
two workers over one, and each engine against tesseract, measured in the same run.
"""
from __future__ import annotations
import argparse, json, os, tempfile, time
from pathlib import Path

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=24, help='memes to read per measurement')
    ap.add_argument('--profile', default='default', help='synthetic set to take the memes from')
    ap.add_argument('--engines', default='tesseract,easyocr')
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()

    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.ocr.engines import Preprocess
    from hateful_memes.ocr.tune import OcrPool
    root = ensure_dataset(args.profile)
    paths = [m.path for m in load_split(root, 'dev_seen', check_images='none').memes[:args.n]]
    r = dict(n=len(paths), cpus=os.cpu_count())
    for engine in args.engines.split(','):
        for workers in (1, 2):
            os.environ['HM_CACHE'] = tempfile.mkdtemp(prefix='hm-ocr-bench-')   # empty: every image is read
            with OcrPool(engine, workers) as pool:
                pool.read(paths[:8], Preprocess(scale=0.999))                    # start every worker's engine (not timed)
                t0 = time.perf_counter(); pool.read(paths); dt = time.perf_counter() - t0
            r[f'{engine}_{workers}w_img_s'] = len(paths)/dt
            print(f'{engine:<10} {workers} worker{"s" if workers > 1 else " "}  {len(paths)/dt:6.2f} img/s', flush=True)
        r[f'{engine}_2w_over_1w'] = r[f'{engine}_2w_img_s']/r[f'{engine}_1w_img_s']
        print(f'{engine:<10} two workers / one = {r[f"{engine}_2w_over_1w"]:.2f}x')
    if 'tesseract_2w_img_s' in r and 'easyocr_2w_img_s' in r:
        r['easyocr_over_tesseract'] = r['easyocr_2w_img_s']/r['tesseract_2w_img_s']
        print(f'easyocr / tesseract (two workers) = {r["easyocr_over_tesseract"]:.2f}x')
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(r, indent=1) + '\n')

if __name__ == '__main__': main()
