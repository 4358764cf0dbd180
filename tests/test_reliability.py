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
