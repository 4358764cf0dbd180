"Two processes that need the same dataset at once (as two nbdev_test workers do in a fresh clone): both get it, made once."
import subprocess, sys, json
from pathlib import Path

CODE = ("import sys; from hateful_memes.core.synth import generate; "
        "print(generate('smoke', out=sys.argv[1], workers=1, progress=False))")

def test_two_processes_generate_one_set(tmp_path):
    out = tmp_path/'smoke-set'
    procs = [subprocess.Popen([sys.executable, '-c', CODE, str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=600) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0], [r[1][-2000:] for r in results]
    assert [r[0].strip() for r in results] == [str(out)]*2
    assert len(list((out/'img').glob('*.png'))) == sum(1 for s in ('train', 'dev_seen', 'dev_unseen', 'test_seen', 'test_unseen', 'pretrain') for _ in open(out/f'{s}.jsonl'))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith('.')) == ['.smoke-set.lock']   # no half-made copy left
    assert not list((out/'img').glob('.*'))                                                             # no temporary files inside
