"""The pretraining job (make pretrain / hm_pretrain) and the weights it ships: retrained at smoke size, accepted by the pipeline;
a stale or changed record stops the main job with a message that says to run `make pretrain`."""
import json
from conftest import run_cli

def test_shipped_weights_match_this_checkout():
    "The weights in the package were made from this checkout's corpus, recipe and code (else: run make pretrain, and commit them)"
    from hateful_memes.clip.models import pretrained_tags, weights_dir
    from hateful_memes.clip.pretrain import check_weights
    rec = check_weights(list(pretrained_tags()))
    assert rec['profile'] == 'default' and sorted(rec['tags']) == sorted(pretrained_tags())
    sizes = {t: (weights_dir()/f'{t}.safetensors').stat().st_size for t in pretrained_tags()}
    assert sum(sizes.values()) < 20e6, sizes                               # the shipped part stays small
    main = rec['tags']['hm_lit']['scores']
    assert main['image_concept'] > rec['tags']['hm_lit_strict']['scores']['image_concept']   # seen photos, named; the strict control's, less

def test_pretrain_at_smoke_size_is_accepted_by_the_pipeline(tmp_path):
    w, cache = tmp_path/'weights', tmp_path/'cache'
    env = dict(HM_CACHE=str(cache))
    r = run_cli('hm_pretrain', '--profile', 'smoke', '--steps', '2', '--out', w, env=env)
    rec = json.loads((w/'pretrain.json').read_text())
    assert rec['profile'] == 'smoke' and rec['recipe']['steps'] == 2 and len(rec['tags']) == 5, r.stdout
    assert all(0 <= t['scores']['image_concept'] <= 1 and t['history'][-1]['step'] == 2 for t in rec['tags'].values())
    again = run_cli('hm_pretrain', '--profile', 'smoke', '--steps', '2', '--out', w, '--tags', 'hm_lit', env=env)
    assert 'hm_lit: up to date' in again.stdout                            # a rerun resumes: done tags are skipped
    env['HM_WEIGHTS'] = str(w)
    out = tmp_path/'results'
    run_cli('hm_results', '--profile', 'smoke', '--only', 'clip_train', '--out', out, env=env)
    m = json.loads((out/'clip_train'/'metrics.json').read_text())
    assert [r['name'] for r in m['rows']] == ['hm-LiT-RN (hm_lit)', 'hm-RN-T (hm_scratch)', 'hm-LiT-RN (random)']
    assert m['rows'][0]['final_loss'] == rec['tags']['hm_lit']['history'][-1]['loss']   # the record of these weights, not the shipped ones

def test_stale_weights_stop_the_main_job_with_what_to_do(tmp_path):
    w = tmp_path/'weights'
    run_cli('hm_pretrain', '--profile', 'smoke', '--steps', '1', '--out', w, '--tags', 'hm_lit', env=dict(HM_CACHE=str(tmp_path/'c')))
    rec = json.loads((w/'pretrain.json').read_text())
    rec['key']['corpus']['sizes']['train'] += 1                             # as if the synthetic corpus had changed since
    (w/'pretrain.json').write_text(json.dumps(rec))
    r = run_cli('hm_results', '--profile', 'smoke', '--only', 'clip_train', '--out', tmp_path/'r', check=False,
                env=dict(HM_CACHE=str(tmp_path/'c'), HM_WEIGHTS=str(w)))
    assert r.returncode != 0 and 'run `make pretrain`' in r.stdout + r.stderr, r.stdout[-2000:] + r.stderr[-2000:]
    r = run_cli('hm_pretrain', '--profile', 'smoke', '--tags', 'nope', '--out', w, check=False)
    assert r.returncode == 1 and 'unknown tag(s) nope' in r.stderr and 'Traceback' not in r.stderr
