"What a killed run leaves behind: no live workers, no temporary files in a finished dataset; and worker counts as given."
import hashlib, os, signal, subprocess, time
from pathlib import Path
from conftest import run_cli, BIN

def _children(pid):
    "Live (not zombie) processes whose parent is `pid`"
    out = []
    for st in Path('/proc').glob('[0-9]*/stat'):
        try: f = st.read_text().rsplit(')', 1)[1].split()
        except OSError: continue
        if int(f[1]) == pid and f[0] != 'Z': out.append(int(st.parent.name))
    return out

def _alive(pid):
    try: return Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError: return False

def _digest(d):
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob('*')) if p.is_file()}

def test_killed_synth_leaves_no_workers_and_a_rerun_leaves_no_temporaries(tmp_path):
    out = tmp_path/'smoke'
    p = subprocess.Popen([str(BIN/'hm_synth'), '--profile', 'smoke', '--out', str(out), '--workers', '2'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial, kids = tmp_path/'.smoke.partial', []
    for _ in range(600):                                   # until both workers are writing images
        kids = _children(p.pid)
        if len(kids) >= 2 and len(list((partial/'img').glob('*.png'))) > 4: break
        time.sleep(0.05)
    assert len(kids) >= 2, 'the workers never started'
    p.send_signal(signal.SIGKILL); p.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(k) for k in kids): time.sleep(0.1)
    assert not [k for k in kids if _alive(k)], 'pool workers outlived the killed hm_synth'
    (partial/'img'/'.00001.png.left0ver.png').write_bytes(b'')   # what a kill in the middle of a write leaves
    run_cli('hm_synth', '--profile', 'smoke', '--out', out)
    assert [f.name for f in out.rglob('.*') if f.parent.name in ('img', 'img_clean')] == []
    fresh = tmp_path/'fresh'
    run_cli('hm_synth', '--profile', 'smoke', '--out', fresh, '--workers', '0')   # 0: in this process
    assert _digest(out) == _digest(fresh)                 # the resumed set is byte-identical to one made in one go

def test_negative_workers_is_a_clear_error(tmp_path):
    r = run_cli('hm_synth', '--profile', 'smoke', '--out', tmp_path/'x', '--workers', '-1', check=False)
    assert r.returncode != 0 and 'workers must be 0 or more' in r.stderr

def test_files_keep_the_umask_mode(tmp_path):
    "Datasets, caches and results are written with the mode a plain open() gives (0644 under umask 022), not mkstemp's 0600"
    out = tmp_path/'smoke'
    subprocess.run([str(BIN/'hm_synth'), '--profile', 'smoke', '--out', str(out)], check=True, capture_output=True,
                   preexec_fn=lambda: os.umask(0o022))
    modes = {oct(p.stat().st_mode & 0o777) for p in out.rglob('*') if p.is_file()}
    assert modes == {'0o644'}

def test_cli_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    r = run_cli('hm_results', '--profile', 'nope', '--out', tmp_path, check=False)
    assert r.returncode == 1 and 'Traceback' not in r.stderr
    assert r.stderr.splitlines()[-2:] == ["hm_results: error: unknown profile 'nope': choose one of default, hm, smoke, or give the path of a profile file",
                                          '(run again with --debug for the traceback)']
    r = run_cli('hm_results', '--profile', 'nope', '--out', tmp_path, '--debug', check=False)
    assert r.returncode == 1 and 'Traceback' in r.stderr and "unknown profile 'nope'" in r.stderr

def test_read_command_creates_nothing_beside_a_missing_input(tmp_path):
    r = run_cli('hm_mmf', 'regions', tmp_path/'missing', check=False)
    assert r.returncode == 1 and 'missing: no such folder of MMF region features' in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []

def test_pretrained_without_model_is_used_not_ignored():
    "A checkpoint given without its architecture runs on the profile's architecture (before: silently replaced by the synthetic weights)"
    from hateful_memes.clip.train import main_model
    assert main_model('default', pretrained='/ckpt.safetensors') == ('hm-LiT-RN', '/ckpt.safetensors')

def _descendants(pid):
    "Every live process below `pid`"
    out, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids; todo += kids
    return out

OCR_SEARCH = """
import sys
from hateful_memes.core.synth import ensure_dataset
from hateful_memes.core.data import load_split
from hateful_memes.ocr.tune import tune
memes = load_split(ensure_dataset('smoke', progress=False), 'train', check_images='none').memes[:8]
tune('tesseract', [m.path for m in memes], [m.text for m in memes], n_trials=500, storage=sys.argv[1], workers=2, progress=False)
"""

import contextlib

@contextlib.contextmanager
def cpu_burner(n: int = 4, seconds: int = 60):
    "`n` processes spinning on the CPU beside the test (each stops by itself after `seconds`; all are killed when the block ends)"
    import sys
    code = f"import time\nt = time.time()\nwhile time.time() - t < {seconds}: pass"
    ps = [subprocess.Popen([sys.executable, '-c', code]) for _ in range(n)]
    try: yield
    finally:
        for q in ps: q.kill(); q.wait()

def test_killed_ocr_search_leaves_no_workers(tmp_path):
    "The OCR workers go with the search even on a loaded machine (four CPU burners beside it): the kernel signals them (PR_SET_PDEATHSIG, set before they import torch and easyocr)"
    with cpu_burner(): _killed_ocr_search(tmp_path)

def _killed_ocr_search(tmp_path):
    import sys
    env = {**os.environ, 'HM_CACHE': str(tmp_path/'cache')}
    p = subprocess.Popen([sys.executable, '-c', OCR_SEARCH, str(tmp_path/'optuna.sqlite')], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids = []
    for _ in range(1200):                                  # until both OCR workers are up
        kids = _children(p.pid)
        if len(kids) >= 2: break
        time.sleep(0.05)
    assert len(kids) >= 2, 'the OCR workers never started'
    time.sleep(1)
    p.send_signal(signal.SIGKILL); p.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(k) for k in kids): time.sleep(0.1)
    assert not [k for k in kids if _alive(k)], 'OCR workers outlived the killed search'

def test_killed_pipeline_leaves_no_kernel(tmp_path):
    "kill -9 of hm_results while a notebook runs: its kernel (papermill's, through jupyter_client) goes too"
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("profile = 'x'\nout_dir = None", metadata=dict(tags=['parameters'])),
                                         nbformat.v4.new_code_cell("import time; time.sleep(120)")])
    nb.metadata['kernelspec'] = dict(name='python3', display_name='python3', language='python')
    (tmp_path/'nbs').mkdir(); nbformat.write(nb, tmp_path/'nbs'/'sleepy.ipynb')
    code = ("import sys; from hateful_memes.tools.pipeline import run_results\n"
            f"run_results('smoke', folder={str(tmp_path/'nbs')!r}, out_root={str(tmp_path/'out')!r}, progress=False)")
    import sys
    p = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids = []
    for _ in range(1200):                                  # until the kernel runs
        kids = _descendants(p.pid)
        if kids and (tmp_path/'out'/'sleepy').exists(): break
        time.sleep(0.05)
    time.sleep(3)
    kids = _descendants(p.pid)
    assert kids, 'no kernel started'
    p.send_signal(signal.SIGKILL); p.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(k) for k in kids): time.sleep(0.2)
    assert not [k for k in kids if _alive(k)], 'a kernel outlived the killed pipeline'
