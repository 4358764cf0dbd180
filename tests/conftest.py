import subprocess, sys, os
from pathlib import Path
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

def run_cli(name, *args, env=None, cwd=ROOT, check=True):
    "Run one of the project's console scripts, as a user would"
    r = subprocess.run([str(BIN/name), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                       env={**os.environ, **(env or {})})
    if check and r.returncode: raise AssertionError(f"{name} {' '.join(map(str, args))} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r

@pytest.fixture
def hm_dir(tmp_path):
    "A small dataset in the real Hateful Memes layout"
    (tmp_path/'img').mkdir()
    for i in (1235, 42953, 7, 100):
        Image.new('RGB', (40, 30), (i % 256, 20, 40)).save(tmp_path/'img'/f'{i:05d}.png')
    return tmp_path

def write_lines(path, *lines, eol='\n'):
    Path(path).write_bytes(eol.join(lines).encode('utf-8') + eol.encode())
    return path

def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: runs a full-size model on CPU (still part of `make test`)')
