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
    from hateful_memes.memes.features import main_model
    assert main_model('default', pretrained='/ckpt.safetensors') == ('hm-ViT-T-16', '/ckpt.safetensors')
