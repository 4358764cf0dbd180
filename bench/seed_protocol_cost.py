"""What the seed protocol's rows add to the main job: each seed-000 task that runs them timed with the held-out
protocol's rows only and with the seed protocol's rows only, in one process, on the profile's cached stages.

Run: `.venv/bin/python bench/seed_protocol_cost.py` after `make results` (its stages must be cached). The trained
models' evaluations are memoised (`results/` in the cache): the run works on a copy of the cache without them, so
every row is computed. Reported: seconds per task each way and the seed rows' time as a ratio to the held-out
rows', measured in the same run.
"""
from __future__ import annotations
import argparse, json, os, shutil, tempfile, time
from pathlib import Path

TASKS = {   # task: (the parameters of the held-out rows' run, of the seed rows' run)
    'clip_augment': (dict(modes=['gaussian']), dict(modes=['seed'])),
    'clip_ocr': (dict(protocols=['heldout']), dict(protocols=['seed'])),
    'visualbert_features': (dict(protocols=['heldout']), dict(protocols=['seed'])),
    'visualbert_clip': (dict(protocols=['heldout']), dict(protocols=['seed'])),
}

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--profile', default='default')
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()
    from hateful_memes.core.base import cache_dir
    src = cache_dir()
    work = Path(tempfile.mkdtemp(prefix='hm-seed-cost-'))
    try:
        shutil.copytree(src, work/'cache', ignore=shutil.ignore_patterns('results', '*.lock'), symlinks=True)
        os.environ['HM_CACHE'] = str(work/'cache')
        from hateful_memes.core.results import run_task
        rows = []
        for task, (heldout, both) in TASKS.items():
            t = {}
            for name, params in (('heldout', heldout), ('seed', both)):
                t0 = time.process_time(); w0 = time.time()
                run_task(task, args.profile, work/'out'/task/name, **params)
                t[name] = dict(cpu_s=round(time.process_time() - t0, 1), wall_s=round(time.time() - w0, 1))
            rows.append(dict(task=task, **t, seed_over_heldout=round(t['seed']['wall_s']/max(t['heldout']['wall_s'], 0.1), 2)))
            print(json.dumps(rows[-1]))
        r = dict(profile=args.profile, cpus=os.cpu_count(), tasks=rows, seed_wall_s_total=round(sum(x['seed']['wall_s'] for x in rows), 1),
                 heldout_wall_s_total=round(sum(x['heldout']['wall_s'] for x in rows), 1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(r, indent=1))
    if args.out: Path(args.out).write_text(json.dumps(r, indent=1) + '\n')

if __name__ == '__main__': main()
