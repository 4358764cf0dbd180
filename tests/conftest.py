import shutil, subprocess, sys, os
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


CHROMIUM, DRIVER = shutil.which('chromium') or '/usr/bin/chromium', shutil.which('chromedriver') or '/usr/bin/chromedriver'

@pytest.fixture(scope='module')
def browser():
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.fail(f"Debian's chromium and chromium-driver are needed for the browser tests ({CHROMIUM}, {DRIVER}); "
                    "tools/setup.sh installs them with apt-get: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
              '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1280,900'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    d = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield d
    d.quit()
