"The synthetic set and the pipeline through their command lines, as a user runs them."
import hashlib, json
import pytest
from hateful_memes.core.base import SPLITS, repo_root, kept_dirs
from hateful_memes.core.data import load_split
from hateful_memes.core.synth import ensure_dataset
from hateful_memes.memes.dataset import label_rates, concept_baselines
from conftest import run_cli

def _digest(d):
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob('*')) if p.is_file()}

@pytest.fixture(scope='module')
def smoke_set(tmp_path_factory):
    out = tmp_path_factory.mktemp('synth')/'smoke'
    r = run_cli('hm_synth', '--profile', 'smoke', '--out', out)
    assert 'train 128, dev_seen 64' in r.stdout
    return out

def test_same_seed_same_bytes(smoke_set, tmp_path):
    again = tmp_path/'again'
    run_cli('hm_synth', '--profile', 'smoke', '--out', again, '--workers', '1')
    assert _digest(again) == _digest(smoke_set)

def test_layout_and_confounders(smoke_set):
    for s in SPLITS:
        sp = load_split(smoke_set, s, progress=False)
        assert len(sp) and sp.has_labels == (s != 'test_unseen')
        if sp.has_labels:
            r = label_rates(smoke_set, s)
            assert r['max_gap_image'] <= 0.10 and r['max_gap_text'] <= 0.10, r
    assert concept_baselines(smoke_set) == dict(image=0.5, text=0.5, pair=1.0)
    assert len(list((smoke_set/'img_clean').iterdir())) == len(list((smoke_set/'img').iterdir()))

def test_heldout_photos_and_wordings_never_in_train(smoke_set):
    "dev and test memes show photos and use caption templates that train never has; every caption style is in train; the pretraining corpus uses every photo"
    from hateful_memes.core.synth import load_meta, caption_styles
    from hateful_memes.core.photos import image_concepts
    meta = load_meta(smoke_set)
    train = [m for m in meta.values() if m['split'] == 'train']
    other = [m for m in meta.values() if m['split'] not in ('train', 'pretrain')]     # the corpus draws on every photo, by design
    assert {m['photo'] for m in train}.isdisjoint({m['photo'] for m in other})
    assert {(m['text_concept'], m['template']) for m in train}.isdisjoint({(m['text_concept'], m['template']) for m in other})
    assert {m['style'] for m in train} == set(caption_styles()['styles'])
    assert len({m['photo'] for m in meta.values()}) == sum(len(c['photos']) for c in image_concepts().values())   # every photo is used

def test_bad_profile_is_a_clear_error():
    r = run_cli('hm_synth', '--profile', 'nope', check=False)
    assert r.returncode != 0 and 'choose one of default, hm, smoke' in r.stderr

STAGES = ['synth_set', 'clip_weights', 'clip_features', 'ocr_tuning', 'ocr_readings', 'inpainting', 'visualbert_run', 'retrieval_set',
          'hotel_set', 'hotel_sr', 'infographics_set', 'infographics_inputs', 'caption_set', 'captioner_train', 'video_set', 'video_curves']

def _plan(out, env):
    "[(stage, 'cached' or 'to'), ...] as `hm_results --plan` prints them, and the plan's text"
    plan = run_cli('hm_results', '--profile', 'smoke', '--out', out, '--plan', env=env).stdout
    return [tuple(l.split()[2:4]) for l in plan.splitlines() if l.strip().startswith('stage ')], plan

def test_smoke_pipeline_end_to_end(tmp_path):
    "Every result notebook on smoke. Its stages' caches are kept between runs of `make test` (`kept_dirs`: cold on a fresh clone and after any change)"
    out, env = tmp_path/'results', dict(HM_CACHE=kept_dirs('smoke-pipeline')[1], TMPDIR=str(tmp_path/'tmp'))
    (tmp_path/'tmp').mkdir()
    src = ensure_dataset('smoke', progress=False)
    before = {p.name: p.read_bytes() for p in src.glob('*.jsonl')}
    was, _ = _plan(out, env)
    assert [s for s, _ in was] == STAGES, was
    r = run_cli('hm_results', '--profile', 'smoke', '--out', out, '--params', '{"n_resamples": 200}', env=env)
    assert 'dataset' in r.stdout
    # the terminal: an end summary (time, roll-up, a headline per task) and none of the third-party chatter (it goes to the logs)
    assert f"done: 22 notebooks in " in r.stdout and f"the roll-up: {out/'results.md'}" in r.stdout, r.stdout[-3000:]
    assert sum(l.startswith('  ') for l in r.stdout.split('headlines:\n')[1].splitlines()) >= 22, r.stdout[-3000:]
    for noise in ('No pretrained weights loaded', 'PTBTokenizer', 'KeyboardInterrupt caught in kernel', 'pyscenedetect', 'Traceback'):
        assert noise not in r.stdout + r.stderr, noise
    assert sorted(p.name for p in (tmp_path/'tmp').iterdir()) == []          # the run's temporary files (kernels, uploads, workers) are all gone
    import os
    mask = os.umask(0); os.umask(mask)
    if mask == 0o022:                                                         # every file the run wrote keeps the umask's mode
        assert {oct(p.stat().st_mode & 0o777) for p in out.rglob('*') if p.is_file()} <= {'0o644', '0o755'}
    m = json.loads((out/'dataset'/'metrics.json').read_text())
    assert (m['schema'], m['family'], m['task'], m['profile'], m['parameters']['band']) == (2, 'memes', 'dataset', 'smoke', 0.1)
    assert m['versions']['git'] and m['versions']['torch']
    rows = {r['name']: r for r in m['rows']}
    assert all(rows[s]['max_gap_image'] <= 0.1 and rows[s]['max_gap_text'] <= 0.1 for s in ('train', 'dev_seen'))
    assert rows['majority by pair (train -> dev_seen)']['accuracy'] > rows['majority by image (train -> dev_seen)']['accuracy'] + 0.3
    assert sorted(r['style'] for r in m['rows'] if r['name'].startswith('style | train |')) == ['band', 'classic', 'middle', 'panel', 'yellow']
    for f in ('examples.png', 'concept_photos.png', 'caption_styles.png', 'label_rates.png', 'label_matrix.png', 'dataset.ipynb'):
        assert (out/'dataset'/f).stat().st_size > 1000, f
    for nb in ('clip_train', 'clip_classifiers', 'clip_models', 'clip_augment', 'clip_fusion'):
        m = json.loads((out/nb/'metrics.json').read_text())
        assert m['profile'] == 'smoke' and m['rows'] and (out/nb/f'{nb}.png').stat().st_size > 1000, nb
        assert all(0 <= r['auroc_ci'][0] <= r['auroc'] <= r['auroc_ci'][1] <= 1 for r in m['rows'] if 'auroc' in r), nb
    cc = json.loads((out/'clip_classifiers'/'metrics.json').read_text())['rows']
    pred = (out/'clip_classifiers'/'predictions.csv').read_text().splitlines()    # per-meme predictions of the scorer hm_predict uses
    assert pred[0] == 'id,proba,label,true_label,text' and len(pred) == 1 + 64, pred[:2]
    assert [r['protocol'] for r in cc] == ['heldout']*7*3 + ['seed']*3       # seven classifiers x three feature sets, and the seed's MLP on each (smoke profile)
    aug = json.loads((out/'clip_augment'/'metrics.json').read_text())['rows']          # both noise experiments: ours and the seed's
    assert [r['mode'] for r in aug] == ['gaussian']*7 + ['seed']*10 and (out/'clip_augment'/'clip_augment_seed.png').stat().st_size > 1000
    # OCR: both engines, raw / reference (the seed's setting) / tuned, tuned never worse than raw on the memes it was tuned on
    m = {nb: json.loads((out/nb/'metrics.json').read_text()) for nb in ('ocr_optuna', 'ocr_images', 'ocr_predict', 'clip_ocr')}
    rows = {r['name']: r for r in m['ocr_optuna']['rows']}
    settings = [f'{e} | {s}' for e in ('easyocr', 'tesseract') for s in ('raw', 'reference', 'tuned', 'per style')] + ['easyocr | seed annotations']
    assert sorted(rows) == sorted(settings + [f'{x} | unseen styles' for x in settings])   # each again on memes in caption styles the set never draws
    assert all(rows[f'{e} | tuned']['tune_distance'] <= rows[f'{e} | raw']['tune_distance'] for e in ('easyocr', 'tesseract'))
    assert (out/'ocr_optuna'/'ocr_optuna_history_easyocr.png').stat().st_size > 1000
    assert sum(v['n'] for v in rows['easyocr | tuned']['by_style'].values()) == rows['easyocr | tuned']['n']   # held-out memes by caption style
    assert (out/'ocr_optuna'/'ocr_styles.png').stat().st_size > 1000
    clean = ['clean image', 'clean image + true text', 'clean image + easyocr text', 'clean image + tesseract text']
    assert [r['name'] for r in m['clip_ocr']['rows']] == ['clean image', 'clean image (dev inpainted)', 'image with caption',
                                                          *[x for v in clean[1:] for x in (v, f'{v} (dev inpainted)')]]
    inp = {r['name']: r for r in m['clip_ocr']['rows'] if r['name'].endswith('(dev inpainted)')}
    assert all(abs(r['auroc_vs_clean'] - (r['auroc'] - r['clean_auroc'])) < 1e-9 and r['n_eval'] == 8 for r in inp.values())
    ip = json.loads((out/'ocr_inpaint'/'metrics.json').read_text())    # captions inpainted away, scored against the true clean photos
    assert [r['name'] for r in ip['rows']] == ['captioned (not inpainted)', 'telea', 'ns']
    assert all(r['psnr'] > ip['rows'][0]['psnr'] for r in ip['rows'][1:])
    assert (out/'ocr_inpaint'/'inpaint_examples.png').stat().st_size > 1000
    assert m['clip_ocr']['skipped'] == [] and m['clip_ocr']['references']['clean image + true text']['auroc'] == 0.748976
    for p in m['ocr_predict']['annotations'].values():                     # the copies carry both texts ...
        recs = [json.loads(l) for l in open(repo_root()/p)]                # paths in metrics.json are relative to the checkout
        assert recs and all({'ocr_text_easyocr', 'ocr_text_tesseract'} <= set(r) for r in recs)
    assert {p.name: p.read_bytes() for p in src.glob('*.jsonl')} == before  # ... and the originals are untouched
    for nb in m: assert (out/nb/f'{nb}.png').stat().st_size > 1000, nb
    # the retrieval family: E/M/H mAP with intervals for an early layer and the final embedding, and its gallery
    m = {nb: json.loads((out/nb/'metrics.json').read_text()) for nb in ('retrieval', 'clustering', 'zero_shot')}
    ret = {(r['layer'], r['pooling'], r['whitened']): r for r in m['retrieval']['rows'] if r['model'] == 'hm-LiT-RN' and r['pretrained'] == 'hm_lit'}
    assert {('act3', p, False) for p in ('mac', 'rmac', 'gem')} | {('final', 'none', False)} <= set(ret)
    assert all(0 <= r[f'{p}_map'] <= 100 and len(r[f'{p}_map_ci']) == 2 for r in ret.values() for p in ('easy', 'medium', 'hard'))
    for f in ('retrieval/retrieval.png', 'retrieval/retrieval_gallery.png', 'clustering/clustering.png', 'zero_shot/zero_shot.png'):
        assert (out/f).stat().st_size > 1000, f
    assert [r['k'] for r in m['clustering']['rows']] and all(0 <= r['nmi'] <= 1 for r in m['clustering']['rows'])
    assert sorted({r['templates'] for r in m['zero_shot']['rows']}) == [1, 12]
    # the hotel family (seed 001): trained and zero-shot tagging on every input with per-tag and global thresholds, tag clusters;
    # the upscalers against the originals, GrabCut against the true masks, the filters inside GrabCut's masks
    m = {nb: json.loads((out/nb/'metrics.json').read_text()) for nb in ('hotel_tags', 'hotel_enhance')}
    tg = [r for r in m['hotel_tags']['rows'] if 'tagger' in r]
    assert [(r['tagger'], r['input'], r['thresholds']) for r in tg] == [(t, i, th) for i in ('original', 'degraded', 'bicubic', 'srnet')
                                                                      for t in ('trained', 'zero-shot') for th in ('per_tag', 'global')]
    assert all(0 <= r['map_ci'][0] <= r['map_ci'][1] <= 1 and 0 <= r['map'] <= 1 and r['n'] == 12 for r in tg)
    assert [r['method'] for r in m['hotel_tags']['rows'] if 'method' in r] == ['k-means', 'HDBSCAN']*4 and m['hotel_tags']['family'] == 'hotel'
    assert [r['input'] for r in m['hotel_tags']['rows'] if r['name'].startswith('photo clusters')] == ['predicted tags (original photos)']*2 + ['true tags']*2
    en = {r['name']: r for r in m['hotel_enhance']['rows']}
    assert list(en)[:4] == ['nearest', 'bicubic', 'lanczos', 'srnet'] and en['bicubic']['psnr'] > en['nearest']['psnr']
    assert abs(en['srnet']['psnr_vs_bicubic'] - (en['srnet']['psnr'] - en['bicubic']['psnr'])) < 1e-9
    assert 0.5 < en['GrabCut mask (from the box) vs true mask']['iou'] <= 1 and sum(n.startswith('filter | ') for n in en) == 5
    assert en['srnet']['train_seeds'] == 3 and en['srnet | unseen degradation (blur 1.5 px, JPEG 60)']['train_seeds'] == 3   # smoke keeps the default's three seeds
    assert en['GrabCut mask (from the box) vs true mask | labelme objects']['n'] == 16
    for f in ('hotel_tags/hotel_tagging.png', 'hotel_tags/hotel_tag_f1.png', 'hotel_tags/hotel_tag_clusters.png', 'hotel_enhance/hotel_sr.png',
              'hotel_enhance/hotel_sr_examples.png', 'hotel_enhance/hotel_filters.png', 'hotel_enhance/hotel_sr_unseen.png', 'hotel_tags/hotel_photo_clusters.png'):
        assert (out/f).stat().st_size > 1000, f
    # the infographics family (seed 002): the three-input network, its ablations and CLIP + logistic regression with macro-F1 intervals;
    # infographics inpainted away against the clean photo, the product's mask against the true one
    m = {nb: json.loads((out/nb/'metrics.json').read_text()) for nb in ('infographics_classify', 'infographics_removal')}
    cl = m['infographics_classify']['rows']
    assert [r['name'].split(' (')[0] for r in cl] == ['three inputs', 'image only', 'no text mask', 'no soft map', 'CLIP features + logistic regression']
    assert all(0 <= r['macro_f1_ci'][0] <= r['macro_f1_ci'][1] <= 1 and r['n'] == 20 for r in cl) and m['infographics_classify']['family'] == 'infographics'
    rm = {r['name']: r for r in m['infographics_removal']['rows']}
    assert rm["inpainted: true text mask"]['psnr'] > rm['as is (with infographics)']['psnr'] and 0 <= rm["inpainted: detector's text mask"]['called_clean'] <= 1
    assert 0.3 < rm['product mask: GrabCut + alpha matting vs true']['iou'] <= 1
    for f in ('infographics_classify/infographics_f1.png', 'infographics_classify/infographics_confusion.png', 'infographics_removal/infographics_backgrounds.png'):
        assert (out/f).stat().st_size > 1000, f
    # the captions-and-video family (seed 003): COCO's metrics with intervals for beam, greedy and the nearest-caption floor;
    # cut F1 of every novelty method and both peers on the synthetic and the real videos
    m = {nb: json.loads((out/nb/'metrics.json').read_text()) for nb in ('captioner', 'video_novelty')}
    cp = m['captioner']['rows']
    assert [r['beam'] for r in cp] == [3, 1, 0] and m['captioner']['family'] == 'captions'
    assert all(0 <= r[f'{k}_ci'][0] <= r[k] + 1e-9 and r[k] <= r[f'{k}_ci'][1] + 1e-9 for r in cp for k in ('bleu4', 'meteor', 'rouge_l', 'cider'))
    vn = {r['name']: r for r in m['video_novelty']['rows']}
    methods = ['caption words (word2vec)', 'caption sentences (MiniLM)', 'CLIP image', 'frame difference', 'PySceneDetect adaptive', 'PySceneDetect content', 'TransNetV2']
    assert all(f'{x} | all {g}' in vn for x in methods for g in ('held-out synthetic', 'real')), sorted(vn)
    assert vn['caption words (word2vec) | all real']['train_seeds'] == 3 
    assert vn['frame difference | all held-out synthetic']['bait_alarms'] == sum(r['bait_alarms'] for n, r in vn.items() if n.startswith('frame difference | synthetic test'))
    assert vn['TransNetV2 | all real']['tp'] + vn['TransNetV2 | all real']['fn'] == 5    # Megamind 3, Calais 1, cityCC0 1, cockatoo none
    for f in ('captioner/captioner_metrics.png', 'captioner/captioner_examples.png', 'video_novelty/video_novelty_f1.png', 'video_novelty/video_novelty_curves.png'):
        assert (out/f).stat().st_size > 1000, f
    # the shared work ran first as named stages: cold exactly where the plan before the run said "to run"
    # (every stage on a fresh cache), and a plan afterwards finds every stage cached
    rec = json.loads((out/'pipeline.json').read_text())
    assert [(s['stage'], s['cold']) for s in rec['stages']] == [(s, state != 'cached') for s, state in was]
    assert rec['cold'] is any(state != 'cached' for _, state in was) and not (out/'pipeline.cold.json').exists()   # a run with --params keeps the profile's full-run records
    assert [n['notebook'] for n in rec['notebooks']][:2] == ['dataset', 'clip_train'] and rec['versions']['git']
    now, plan = _plan(out, env)
    assert now == [(s, 'cached') for s in STAGES], plan
    assert 'estimate: none yet' in plan, plan
    # another clone's data folder sharing this cache (or this one's data deleted): every stage is to run, none "cached"
    other, plan = _plan(out, dict(env, HM_DATA=str(tmp_path/'another-clone-data')))
    assert other == [(s, 'to') for s in STAGES], plan

def _notebooks(folder, **bodies):
    import nbformat
    for name, body in bodies.items():
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("profile = 'x'\nout_dir = None", metadata=dict(tags=['parameters'])),
            nbformat.v4.new_code_cell(body)])
        nb.metadata['kernelspec'] = dict(name='python3', display_name='python3', language='python')
        nbformat.write(nb, folder/f'{name}.ipynb')

def test_pipeline_stops_at_first_failure(tmp_path):
    from hateful_memes.tools.pipeline import run_results, PipelineError
    _notebooks(tmp_path, a_fails="raise RuntimeError('boom')", b_never="open(out_dir + '/ran', 'w')")
    with pytest.raises(PipelineError, match=r"a_fails.ipynb failed in cell 2 \(starting \"raise RuntimeError\('boom'\)\"\): RuntimeError: boom"):
        run_results('smoke', folder=tmp_path, out_root=tmp_path/'out', progress=False, jobs=1)
    assert not (tmp_path/'out'/'b_never').exists()

def test_a_killed_runs_rollup_is_rebuilt_at_the_next_start_and_kernels_leave_nothing(tmp_path):
    "Issue 35: a run that was killed leaves run.json unfinished; the next run's start rebuilds the roll-up with what it did not reach marked; the kernels' connection files live in a folder of the run's own, gone afterwards"
    import json
    from pathlib import Path
    from hateful_memes.core.results import write_metrics
    from hateful_memes.core.base import cache_dir
    from hateful_memes.tools.pipeline import run_results
    out = tmp_path/'out'
    write_metrics(out/'clip_train', 'clip_train', 'smoke', {}, [dict(name='m', zero_shot_accuracy=0.9, chance=0.125)])
    (out/'run.json').write_text(json.dumps(dict(started='2999-01-01T00:00:00+00:00', tasks=['clip_train'], finished=None, failed=None)))   # killed
    (out/'results.md').write_text('stale')
    _notebooks(tmp_path, a_ok="import os; open(out_dir + '/runtime', 'w').write(os.environ.get('JUPYTER_RUNTIME_DIR', ''))")
    run_results('smoke', folder=tmp_path, out_root=out, progress=False, jobs=1)
    assert '(not reached in the run of 2999-01-01T00:00:00+00:00' in (out/'results.md').read_text()
    run = json.loads((out/'run.json').read_text())
    assert run['finished'] and run['tasks'] == [] and run['failed'] is None
    rt = Path((out/'a_ok'/'runtime').read_text())
    assert rt.parent == cache_dir()/'kernels' and not rt.exists()

def test_side_by_side_failure_lets_the_running_one_finish_and_starts_no_more(tmp_path):
    "Two at a time: when one fails, the one already running finishes; no further notebook starts"
    from hateful_memes.tools.pipeline import run_results, PipelineError
    _notebooks(tmp_path, a_fails="raise RuntimeError('boom')", b_slow="import time; time.sleep(6); open(out_dir + '/ran', 'w')",
               c_never="open(out_dir + '/ran', 'w')")
    with pytest.raises(PipelineError, match='a_fails.ipynb failed'):
        run_results('smoke', folder=tmp_path, out_root=tmp_path/'out', progress=False, jobs=2)
    assert (tmp_path/'out'/'b_slow'/'ran').exists() and not (tmp_path/'out'/'c_never').exists()

def test_failed_task_leaves_no_stale_results(tmp_path):
    "A run that fails (here on a misspelt parameter) removes the folder's earlier metrics and charts, so nothing reads them as current"
    from hateful_memes.core.results import run_task
    from hateful_memes.core.base import ConfigError
    out = tmp_path/'clip_fusion'; out.mkdir()
    (out/'metrics.json').write_text('{"rows": []}'); (out/'clip_fusion.png').write_bytes(b'old')
    with pytest.raises(ConfigError, match="task 'clip_fusion' takes no parameter 'hiden'"):
        run_task('clip_fusion', 'smoke', out, hiden=3)
    assert sorted(p.name for p in out.iterdir()) == []

def test_unknown_override_stops_the_pipeline_before_it_starts(tmp_path):
    r = run_cli('hm_results', '--profile', 'smoke', '--only', 'dataset,clip_augment', '--out', tmp_path, '--params', '{"sigma": [0.1]}', check=False)
    assert r.returncode != 0 and "no selected task takes 'sigma'" in r.stderr
    assert not (tmp_path/'dataset').exists()

def test_one_study_plans_its_notebooks_and_the_stages_they_need(tmp_path):
    plan = run_cli('hm_results', '--profile', 'smoke', '--study', 'captions', '--out', tmp_path, '--plan', env=dict(HM_CACHE=str(tmp_path/'cache'))).stdout
    assert [l.split()[1] for l in plan.splitlines() if l.strip().startswith('notebook ')] == ['captioner', 'video_novelty'], plan
    assert [l.split()[2] for l in plan.splitlines() if l.strip().startswith('stage ')] == ['synth_set', 'clip_weights', 'caption_set', 'captioner_train', 'video_set', 'video_curves'], plan   # the captioner reads the small CLIP's grid
    r = run_cli('hm_results', '--profile', 'smoke', '--study', 'memes', '--only', 'dataset', '--out', tmp_path, check=False)
    assert r.returncode != 0 and '--only and --study both pick notebooks' in r.stderr
    r = run_cli('hm_results', '--profile', 'smoke', '--study', 'cats', '--out', tmp_path, check=False)
    assert r.returncode != 0 and "unknown study 'cats': the studies are memes, retrieval, hotel, infographics, captions" in r.stderr

_INTERRUPTIBLE = """
from hateful_memes.core.base import user_errors
from hateful_memes.tools.pipeline import run_results
@user_errors                                 # as the console scripts (without call_parse, which would run it at once in __main__)
def main(folder: str, out: str): run_results('smoke', folder=folder, out_root=out, progress=False, jobs=2)
main()
"""

def test_ctrl_c_interrupts_the_running_kernels_and_exits_130(tmp_path):
    "Ctrl-C (SIGINT to the command's process group: the kernels, in sessions of their own, miss it) interrupts both running notebooks' kernels, removes their partial outputs, starts nothing more, and exits 130 with one line instead of a traceback (before: 30-80 s waiting for the notebooks, then a raw KeyboardInterrupt)"
    import os, signal, subprocess, sys, time
    folder, out = tmp_path/'nbs', tmp_path/'out'; folder.mkdir()
    body = "open(out_dir + '/partial.png', 'w').write('x')\nimport time; time.sleep(600)"
    _notebooks(folder, a_long=body, b_long=body, c_never="open(out_dir + '/ran', 'w')")
    (tmp_path/'run.py').write_text(_INTERRUPTIBLE)                # a file: the argument parser reads the command's source
    p = subprocess.Popen([sys.executable, str(tmp_path/'run.py'), str(folder), str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    deadline = time.monotonic() + 300
    while not all((out/n/'partial.png').exists() for n in ('a_long', 'b_long')):     # both kernels are in their long cell
        assert p.poll() is None and time.monotonic() < deadline, p.communicate()
        time.sleep(0.5)
    os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=300)                    # far below the 600 s the cells would sleep
    assert p.returncode == 130, err
    assert 'Traceback' not in err and err.rstrip().endswith('interrupted'), err
    assert 'interrupted: stopping a_long, b_long (2 notebook kernels interrupted)' in err.replace('b_long, a_long', 'a_long, b_long'), err
    assert sorted(x.name for x in out.iterdir() if x.is_dir()) == [] and (out/'results.md').is_file()   # no partial outputs; the roll-up rebuilt
