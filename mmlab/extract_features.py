"""Pooled VisualBERT features of every meme of a split, from a fine-tuned MMF checkpoint.

Runs *inside an MMF environment* (see README.md), not in this project's: MMF cannot install beside it,
so this script is not run by this project's tests; its output format is (hateful_memes.memes.mmf.read_pooled,
tested on a fixture). It hooks the pooler of MMF's VisualBERT (the seed's "VisualBERT as a feature
extractor") and writes <out>/<split>.npz with `ids` and `features`.

    python mmlab/extract_features.py config=mmlab/configs/hateful_memes/visual_bert/from_coco.yaml \
        model=visual_bert dataset=hateful_memes run_type=val \
        checkpoint.resume_file=save/best.ckpt checkpoint.resume_pretrained=False \
        --out features/ --splits val,test

Written against MMF's main branch (MMFTrainer: build_trainer, load, val_loader/test_loader).
"""
import argparse, os, sys
import numpy as np, torch
from mmf.common.sample import to_device
from mmf.utils.build import build_trainer
from mmf.utils.configuration import Configuration
from mmf.utils.env import setup_imports
from mmf.utils.flags import flags


def main():
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument('--out', default='features')
    own.add_argument('--splits', default='val,test')
    mine, rest = own.parse_known_args()
    args = flags.get_parser().parse_args(['--opts', *rest] if rest and not rest[0].startswith('-') else rest)
    setup_imports()
    config = Configuration(args).get_config()
    trainer = build_trainer(config)
    trainer.load()
    model = trainer.model.eval()
    pooled = []
    model.model.bert.pooler.register_forward_hook(lambda m, i, o: pooled.append(o.detach().float().cpu().numpy()))
    os.makedirs(mine.out, exist_ok=True)
    for split in mine.splits.split(','):
        loader = getattr(trainer, f'{split}_loader')
        pooled.clear(); ids = []
        with torch.no_grad():
            for batch in loader:
                model(to_device(batch, trainer.device))
                ids.extend(int(i) for i in batch['id'].tolist())
        feats = np.concatenate(pooled)
        np.savez(os.path.join(mine.out, f'{split}.npz'), ids=np.array(ids), features=feats)
        print(f'{split}: {len(ids)} memes, {feats.shape[1]}-d pooled features', file=sys.stderr)


if __name__ == '__main__':
    main()
