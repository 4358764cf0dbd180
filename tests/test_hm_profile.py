"The `hm` profile end to end: the real Hateful Memes layout, a full-size open_clip architecture, no download."
import json, shutil, pytest
import numpy as np
from pathlib import Path
from hateful_memes.core.base import kept_dirs
from hateful_memes.core.synth import ensure_dataset
from hateful_memes.core.data import load_split, write_split
from conftest import run_cli

CLIP_NOTEBOOKS = ['clip_train', 'clip_classifiers', 'clip_models', 'clip_augment', 'clip_fusion', 'clip_ocr']
OCR_NOTEBOOKS = ['ocr_optuna', 'ocr_images', 'ocr_predict', 'ocr_inpaint']
NOTEBOOKS = ['dataset', *CLIP_NOTEBOOKS, *OCR_NOTEBOOKS]

@pytest.fixture(scope='module')
def hm_dirs():
    "HM_DATA and HM_CACHE for the hm runs, kept between runs of `make test` (`kept_dirs`)"
    return tuple(map(Path, kept_dirs('hm')))

@pytest.fixture(scope='module')
def hm_fixture(hm_dirs):
    "A small dataset in the real layout: img/ and the five split files (no labels in test_unseen), no synthetic extras; kept with `hm_dirs`"
    src, dst = ensure_dataset('smoke', progress=False), hm_dirs[0]/'hateful_memes'
    if (dst/'test_unseen.jsonl').is_file(): return dst            # written last: a complete copy from an earlier run
    shutil.rmtree(dst, ignore_errors=True); (dst/'img').mkdir(parents=True)
    for split, n in (('train', 64), ('dev_seen', 32), ('dev_unseen', 8), ('test_seen', 8), ('test_unseen', 8)):
        memes = load_split(src, split, check_images='none').memes[:n]
        for m in memes: shutil.copy(m.path, dst/'img'/m.path.name)
        if split == 'test_unseen':
            for m in memes: m.label = None
        write_split(dst/f'{split}.jsonl', memes)
    return dst

def _hm_env(fixture, dirs):
    return dict(HM_DATASET=str(fixture), HM_DATA=str(dirs[0]), HM_CACHE=str(dirs[1]))

@pytest.mark.slow
def test_hm_profile_runs_every_notebook(hm_fixture, hm_dirs, tmp_path):
    params = dict(model='ViT-B-32-quickgelu', pretrained='random', models=[['ViT-B-32-quickgelu', 'random']],
                  classifiers=['logreg', 'mlp'], sigmas=[0.0, 0.5], seed_levels=[0.0, 0.5], n_resamples=100, epochs=20,
                  engines=['tesseract', 'easyocr'], n_tune=4, n_trials=3, n_heldout=4, n_unseen=4, n_examples=2, n_train=32, n_eval=16,
                  variants=['clean', 'clean+true', 'clean+easyocr', 'clean+tesseract', 'captioned'])
    out = tmp_path/'results'
    run_cli('hm_results', '--profile', 'hm', '--only', ','.join(NOTEBOOKS), '--out', out, '--params', json.dumps(params),
            env=_hm_env(hm_fixture, hm_dirs))
    m = {nb: json.loads((out/nb/'metrics.json').read_text()) for nb in NOTEBOOKS}
    assert all(d['profile'] == 'hm' for d in m.values())
    assert {r['name']: r['n'] for r in m['dataset']['rows']} == dict(train=64, dev_seen=32, dev_unseen=8, test_seen=8)   # no concepts, no baselines
    assert m['clip_train']['rows'] == []                                   # real weights: nothing to train
    assert [r['name'] for r in m['clip_classifiers']['rows']] == [f'{c} | {f}' for c in ('logreg', 'mlp', 'seed MLP') for f in ('image', 'text', 'image+text')]
    assert [r['protocol'] for r in m['clip_classifiers']['rows']] == ['heldout']*6 + ['seed']*3   # hm runs the seed's protocol beside ours
    assert {r.get('train_seeds') for r in m['clip_classifiers']['rows']} == {None, 3}               # the seed's MLP: spread over 3 training seeds
    assert m['clip_classifiers']['parameters']['model'] == 'ViT-B-32-quickgelu'
    assert [(r['protocol'], r['dim']) for r in m['clip_models']['rows']] == [('heldout', 512), ('heldout', 512), ('heldout', 2*512), ('seed', 1024)]   # ViT-B-32's 512-d
    assert [r['features'] for r in m['clip_models']['rows'][:3]] == ['image', 'text', 'image+text']   # image, text, both; hm runs the seed's protocol beside ours
    assert m['clip_models']['rows'][3]['selected_on'] == 'the evaluation split (as the seed did)'
    assert 'ViT-L/14 openai (reference, Hateful Memes dev_seen)' in m['clip_models']['references']
    assert [(r['mode'], r['sigma'], r['protocol']) for r in m['clip_augment']['rows']] == [('gaussian', 0.0, 'heldout'), ('gaussian', 0.5, 'heldout'),
                                                                                           ('seed', 0.0, 'seed'), ('seed', 0.5, 'seed')]
    assert {(r['classifier'], r['mlp_epochs'], r['mlp_floor']) for r in m['clip_augment']['rows'] if r['protocol'] == 'seed'} == {('seed MLP', 100, 0.3)}   # the seed's MLP, its noise redrawn
    assert {r['mlp_epochs'] for r in m['clip_ocr']['rows'] if r['protocol'] == 'seed'} == {200, 300}   # its CLIP+OCR notebooks' runs: captionless 200, with caption 300
    assert (out/'clip_augment'/'clip_augment_seed.png').stat().st_size > 1000   # the seed's own noise experiment, its own chart
    assert [(r['name'], r['train_seeds']) for r in m['clip_fusion']['rows']] == [('concat', 3), ('align', 3), ('cross', 3), ('bilinear', 3),
                                                                                  ('Hate-CLIPper align', 3), ('Hate-CLIPper cross', 3)]
    hc = m['clip_fusion']['rows'][-1]                                       # the authors' run: pre-projection features (ViT-B-32: 768 + 512)
    assert (hc['dim'], hc['selected_on'], 'test_seen_auroc' in hc) == (768 + 512, 'the evaluation split (as the authors did)', True)
    for nb in CLIP_NOTEBOOKS: assert (out/nb/f'{nb}.png').stat().st_size > 1000, nb
    # OCR: the real layout has no clean images, so clip_ocr inpaints the captions away and runs the clean variants on those
    assert [r['name'] for r in m['ocr_optuna']['rows']] == ['tesseract | raw', 'tesseract | reference', 'tesseract | tuned',   # the seed's annotation setting too
                                                            'tesseract | raw | unseen styles', 'tesseract | tuned | unseen styles',   # embedded memes in unseen styles
                                                            'easyocr | raw', 'easyocr | reference', 'easyocr | seed annotations', 'easyocr | tuned',
                                                            'easyocr | raw | unseen styles', 'easyocr | tuned | unseen styles']
    assert {r['n'] for r in m['ocr_optuna']['rows']} == {4}
    assert [(r['name'], r['dim']) for r in m['clip_ocr']['rows'] if r['protocol'] == 'heldout'] == [('inpainted image', 512),   # all five variants
        ('inpainted image + true text', 1024), ('inpainted image + easyocr text', 1024), ('inpainted image + tesseract text', 1024), ('image with caption', 512)]
    assert [(r['name'], r['dim']) for r in m['clip_ocr']['rows'] if r['protocol'] == 'seed'] == [  # and the seed's way: raw features, its MLP
        (r['name'], r['dim']) for r in m['clip_ocr']['rows'] if r['protocol'] == 'heldout']
    assert m['clip_ocr']['skipped'] == []
    inpainted = list((hm_dirs[0]/'inpaint').glob('*/mask-*/telea-r5/*.png'))
    assert len(inpainted) == 32 + 16                                        # the train and dev_seen memes clip_ocr read
    assert m['ocr_inpaint']['rows'] == [] and 'no true clean images' in m['ocr_inpaint']['skipped'][0]
    assert sorted(r['name'] for r in m['ocr_predict']['rows']) == sorted(f'{s} | {e}' for s in ('train.sample32', 'dev_seen.sample16') for e in ('tesseract', 'easyocr'))
    copy = hm_dirs[0]/'ocr'/hm_fixture.name/'dev_seen.sample16.jsonl'
    assert all({'ocr_text_tesseract', 'ocr_text_easyocr'} <= set(json.loads(l)) for l in copy.read_text().splitlines())
    assert {r['name'].split(' | ')[-1] for r in m['ocr_images']['rows']} == {'tesseract', 'easyocr'}
    for nb in OCR_NOTEBOOKS[:-1]: assert (out/nb/f'{nb}.png').stat().st_size > 1000, nb


@pytest.mark.slow
def test_hm_visualbert_from_mmf_regions_and_a_checkpoint(hm_fixture, hm_dirs, tmp_path):
    "Under hm as a user with MMF outputs runs it: region features converted by hm_mmf, a pretrained checkpoint with its vocab.txt"
    from transformers import VisualBertForPreTraining
    from hateful_memes.memes.visualbert import small_config, train_tokenizer
    rng, mmf = np.random.default_rng(0), tmp_path/'mmf_features'
    mmf.mkdir()
    for p in (hm_fixture/'img').glob('*.png'):            # MMF's extract_features_vmb.py output: <image>.npy + <image>_info.npy
        n = int(rng.integers(3, 9))
        np.save(mmf/f'{p.stem}.npy', rng.normal(size=(n, 24)).astype(np.float32))
        np.save(mmf/f'{p.stem}_info.npy', dict(bbox=rng.uniform(0, 100, (n, 4)).astype(np.float32), num_boxes=n, image_width=300))
    run_cli('hm_mmf', 'regions', mmf, '--out', tmp_path/'regions')
    ckpt = tmp_path/'visualbert-small'                      # a uclanlp-style folder: config, weights, BERT vocab.txt
    texts = [json.loads(l)['text'] for l in (hm_fixture/'train.jsonl').read_text().splitlines()]
    vocab = train_tokenizer(texts, 200, min_frequency=1).get_vocab()
    VisualBertForPreTraining(small_config(len(vocab), 24, hidden=32, layers=1, heads=2)).save_pretrained(ckpt)
    (ckpt/'vocab.txt').write_text('\n'.join(sorted(vocab, key=vocab.get)) + '\n')
    params = dict(model='ViT-B-32-quickgelu', pretrained='random', region_dir=str(tmp_path/'regions'), vb_pretrained=str(ckpt),
                  epochs=2, classifiers=['logreg'], classifier='logreg', n_resamples=100, train_seeds=2)
    out = tmp_path/'results'
    run_cli('hm_results', '--profile', 'hm', '--only', 'visualbert_features,visualbert_clip', '--out', out, '--params', json.dumps(params),
            env=_hm_env(hm_fixture, hm_dirs))     # the CLIP features of the test above are reused; the checkpoint is new, so VisualBERT is fine-tuned
    m = {nb: json.loads((out/nb/'metrics.json').read_text()) for nb in ('visualbert_features', 'visualbert_clip')}
    run = m['visualbert_features']['run']
    assert run['pretrained'] == str(ckpt) and run['key']['visual'].startswith('regions:') and run['epochs_run'] == 2
    assert run['stop_memes'] == 8 and run['load_report']['layout'] == 'hf' and run['load_report']['reinitialised'] == []
    assert [(r['name'], r['protocol']) for r in m['visualbert_features']['rows']] == [('fine-tuned head', 'heldout'), ('logreg | VisualBERT', 'heldout'),
                                                                                     ('seed MLP | VisualBERT', 'seed')]   # the seed's MLP: 300 epochs, floor 0.64
    assert (m['visualbert_features']['rows'][2]['mlp_epochs'], m['visualbert_features']['rows'][2]['train_seeds']) == (300, 2)
    assert m['visualbert_features']['rows'][0]['train_seeds'] == 2                        # two fine-tunings: their spread beside the interval
    assert m['visualbert_features']['parameters']['feature'] == 'head'                   # hm: HeadTransform(pooled), the seed's features
    assert run['load_report']['visual_token_type_id'] == 1                                # a Hugging Face checkpoint: transformers' visual type
    assert [(r['name'], r['dim']) for r in m['visualbert_clip']['rows']] == [('CLIP image+text', 1024), ('VisualBERT', 32), ('VisualBERT + CLIP', 1056),
        ('seed MLP | CLIP image+text', 1024), ('seed MLP | VisualBERT', 32), ('seed MLP | VisualBERT + CLIP', 1056)]   # and the seed's way: raw features, its MLP (30 epochs)
    assert {r['mlp_epochs'] for r in m['visualbert_clip']['rows'] if r['protocol'] == 'seed'} == {30}
    assert set(m['visualbert_clip']['references']) == {'seed MLP | CLIP image+text', 'seed MLP | VisualBERT', 'seed MLP | VisualBERT + CLIP'}   # the seed's figures beside its protocol's rows
    for nb in m: assert (out/nb/f'{nb}.png').stat().st_size > 1000, nb


def test_phase1_file_names_are_read_and_missing_splits_named(tmp_path, monkeypatch, capsys):
    "A copy of the phase-1 release (train.jsonl, dev.jsonl, test.jsonl): dev is dev_seen, test is test_seen, the rest are named as missing"
    from hateful_memes.core.results import run_task
    src, dst = ensure_dataset('smoke', progress=False), tmp_path/'phase1'
    (dst/'img').mkdir(parents=True)
    for split, name, n in (('train', 'train', 16), ('dev_seen', 'dev', 8), ('test_seen', 'test', 8)):
        memes = load_split(src, split, check_images='none').memes[:n]
        for m in memes: shutil.copy(m.path, dst/'img'/m.path.name)
        write_split(dst/f'{name}.jsonl', memes)
    monkeypatch.setenv('HM_DATASET', str(dst)); monkeypatch.setenv('HM_DATA', str(tmp_path/'data')); monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    res = run_task('dataset', 'hm', tmp_path/'out', stages='run')
    assert res.parameters['sizes'] == dict(train=16, dev_seen=8, test_seen=8)
    assert res.metrics['missing_splits'] == ['dev_unseen', 'test_unseen']
    assert 'splits missing from' in capsys.readouterr().out
