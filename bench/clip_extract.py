"""Feature-extraction benchmark: the library's extractor against a seed-style loop, the model alone and the machine.

Run: `.venv/bin/python bench/clip_extract.py` (or `make bench`). Everything is measured in this one run
on this machine, and reported as ratios, so results from different machines compare:

  (a) seed-style loop: open one image, preprocess, encode, one at a time (as the seed's notebooks did)
  (b) the library's `image_features` on the same images (cold cache), then again (warm cache)
  (c) the model alone on ready, preprocessed tensors, at the extractor's batch size
  (d) float32 matmul GFLOP/s, the machine's ceiling for this work

open_clip ViT-B-32 at 224 px with random weights: the speed does not depend on the weights.
"""
from __future__ import annotations
import argparse, json, os, platform, tempfile, time
from pathlib import Path
import torch
from torch.utils.flop_counter import FlopCounterMode

def timed(f, *a, **kw):
    t0 = time.perf_counter(); r = f(*a, **kw); return r, time.perf_counter() - t0

def matmul_gflops(n: int = 2048, reps: int = 10, trials: int = 3, device: str = 'cpu') -> float:
    "Best of `trials` timings of `reps` n×n float32 matmuls: the machine's ceiling"
    a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
    a @ b
    best = 0.0
    for _ in range(trials):
        if device.startswith('cuda'): torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(reps): a @ b
        if device.startswith('cuda'): torch.cuda.synchronize()
        best = max(best, 2*n**3*reps/(time.perf_counter() - t0)/1e9)
    return best

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=300, help='memes to encode')
    ap.add_argument('--batch-size', type=int, default=32)
    ap.add_argument('--model', default='ViT-B-32')
    ap.add_argument('--profile', default='default', help='synthetic set to take the memes from')
    ap.add_argument('--out', default=None, help='also write the figures as JSON here')
    args = ap.parse_args()

    os.environ['HM_CACHE'] = tempfile.mkdtemp(prefix='hm-bench-')      # a cold cache of our own
    from hateful_memes.core.data import load_split, load_image
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.clip.models import load_clip, image_features

    root = ensure_dataset(args.profile)
    memes = [m for s in ('train', 'dev_seen') for m in load_split(root, s, check_images='none').memes][:args.n]
    paths, n = [m.path for m in memes], len(memes)
    clip = load_clip(args.model)
    model, pre, dev = clip.model, clip.preprocess, clip.device
    print(f'{n} memes, {args.model} ({pre.transforms[0].size} px) on {dev}, torch threads {torch.get_num_threads()}')

    def seed_loop():                                   # (a)
        with torch.no_grad():
            for p in paths: model.encode_image(pre(load_image(p)).unsqueeze(0).to(dev))
    def model_alone(x):                                # (c)
        with torch.inference_mode():
            for i in range(0, len(x), args.batch_size): model.encode_image(x[i:i + args.batch_size].to(dev))
        if dev.startswith('cuda'): torch.cuda.synchronize()

    x = torch.stack([pre(load_image(p)) for p in paths])
    model_alone(x[:args.batch_size])                   # warm-up: allocator, kernels
    # counted with autograd on: under no_grad, nn.MultiheadAttention takes a fused fast path that
    # FlopCounterMode cannot see, and the attention projections would go uncounted
    with FlopCounterMode(display=False) as fc: model.encode_image(x[:1].to(dev))
    flops_per_img = fc.get_total_flops()

    _, t_a = timed(seed_loop)
    _, t_c = timed(model_alone, x)
    _, t_b = timed(image_features, clip, paths, batch_size=args.batch_size, progress=False)
    _, t_warm = timed(image_features, clip, paths, batch_size=args.batch_size, progress=False)
    gflops = matmul_gflops(device=dev)

    r = dict(n=n, model=args.model, device=dev, machine=platform.machine(), cpus=os.cpu_count(),
             torch=torch.__version__, batch_size=args.batch_size,
             seed_loop_img_s=n/t_a, library_img_s=n/t_b, model_alone_img_s=n/t_c,
             matmul_gflops=gflops, model_gflop_per_img=flops_per_img/1e9,
             model_achieved_gflops=n/t_c*flops_per_img/1e9, cold_s=t_b, warm_s=t_warm)
    r.update(library_over_seed=r['library_img_s']/r['seed_loop_img_s'],
             library_over_model=r['library_img_s']/r['model_alone_img_s'],
             model_over_matmul=r['model_achieved_gflops']/gflops, cold_over_warm=t_b/t_warm)
    print(f"(a) seed-style loop       {r['seed_loop_img_s']:8.1f} img/s")
    print(f"(b) library extractor     {r['library_img_s']:8.1f} img/s   b/a = {r['library_over_seed']:.2f}x   b/c = {r['library_over_model']:.0%}")
    print(f"(c) model alone           {r['model_alone_img_s']:8.1f} img/s   {r['model_achieved_gflops']:.0f} GFLOP/s "
          f"({r['model_gflop_per_img']:.2f} GFLOP/img)")
    print(f"(d) float32 matmul        {gflops:8.0f} GFLOP/s   model/matmul = {r['model_over_matmul']:.0%}")
    print(f"feature extraction: cold {t_b:.2f} s, warm cache {t_warm:.3f} s   cold/warm = {r['cold_over_warm']:.0f}x")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(r, indent=1) + '\n')

if __name__ == '__main__': main()
