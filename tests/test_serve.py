"The served page (hm_serve), driven end to end in headless Chromium: a meme scored, an image captioned, a video's cuts found, bad uploads refused with their message, nothing left in the temporary folder."
import os, socket, subprocess, time, urllib.request
import numpy as np
import pytest
from PIL import Image
from conftest import BIN, ROOT

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

_SERVER = {}

@pytest.fixture(scope='module')
def server(tmp_path_factory):
    "hm_serve --profile smoke on a free port, its uploads' temporary folders under a folder of their own"
    tmp = tmp_path_factory.mktemp('serve-tmp')
    port = _free_port()
    log = open(tmp.parent/'serve.log', 'w')
    p = subprocess.Popen([str(BIN/'hm_serve'), '--profile', 'smoke', '--port', str(port), '--max_video_mb', '2', '--tmp_dir', str(tmp)], cwd=ROOT,
                         stdout=log, stderr=subprocess.STDOUT)
    url, t0 = f'http://127.0.0.1:{port}/', time.time()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200: break
        except OSError: pass
        if p.poll() is not None or time.time() - t0 > 600:
            p.kill(); raise AssertionError(f"hm_serve did not start:\n{(tmp.parent/'serve.log').read_text()[-3000:]}")
        time.sleep(1)
    _SERVER['pid'] = p.pid
    yield url, tmp
    p.terminate(); p.wait(10)

def _wait_text(d, id_, timeout=120):
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(d, timeout).until(lambda d: d.find_element('id', id_).text not in ('', 'working...'))
    return d.find_element('id', id_).text

def _upload(d, input_id, button_id, path):
    d.find_element('id', input_id).send_keys(str(path))
    d.find_element('id', button_id).click()

def test_page_captions_an_image_and_refuses_a_bad_one(server, browser, tmp_path):
    url, tmp = server
    from hateful_memes.captions.data import load_caption_set
    img = tmp_path/'scene.png'
    Image.open(load_caption_set('smoke', progress=False).take('test')[0][0]).save(img)   # a scene of the smoke caption set
    browser.get(url)
    _upload(browser, 'image-file', 'image-go', img)
    assert _wait_text(browser, 'image-status') == 'done'
    caption = browser.find_element('id', 'caption').text
    assert len(caption.split()) >= 1, caption
    assert browser.find_element('css selector', '#attention img').get_attribute('src').startswith('data:image/png;base64,')
    bad = tmp_path/'notes.png'; bad.write_text('these are notes, not an image')
    browser.get(url)
    _upload(browser, 'image-file', 'image-go', bad)
    msg = _wait_text(browser, 'image-status')
    assert msg.startswith('refused (415): notes.png: not an image'), msg
    assert browser.find_element('id', 'caption').text == ''
    assert list(tmp.iterdir()) == []

def test_meme_tab_scores_a_meme_with_typed_text_and_by_ocr(server, browser, tmp_path):
    "The page's meme form: a smoke dev meme with its text typed gets the probability hm_predict gives it, its caption and three nearest training memes; without text, OCR reads it"
    from hateful_memes.core.synth import ensure_dataset
    from hateful_memes.core.data import load_split
    from hateful_memes.memes.predict import predict_memes
    url, tmp = server
    m = load_split(ensure_dataset('smoke', progress=False), 'dev_seen', check_images='none', progress=False).memes[0]
    want = predict_memes('smoke', [m], progress=False)[0]['proba']
    browser.get(url)
    browser.find_element('id', 'meme-text').send_keys(m.text)
    _upload(browser, 'meme-file', 'meme-go', m.path)
    assert _wait_text(browser, 'meme-status', 300) == 'done'
    score = browser.find_element('id', 'meme-score').text
    assert score.startswith(f'probability {want:.3f}: '), (score, want)
    assert browser.find_element('id', 'meme-read').text == f'text given: "{m.text}"'
    assert len(browser.find_element('id', 'meme-caption').text.split()) >= 2
    assert len(browser.find_elements('css selector', '#meme-nearest .near img')) == 3
    browser.get(url)
    _upload(browser, 'meme-file', 'meme-go', m.path)
    assert _wait_text(browser, 'meme-status', 300) == 'done'
    assert browser.find_element('id', 'meme-read').text.startswith('text read by OCR: "')
    assert list(tmp.iterdir()) == []

def test_page_finds_the_cut_in_a_video_and_refuses_broken_ones(server, browser, tmp_path):
    from hateful_memes.captions.video import write_video
    url, tmp = server
    fr = np.zeros((40, 72, 96, 3), np.uint8); fr[:20, :, :48] = 230; fr[20:, 30:] = (30, 200, 90)
    fr = np.clip(fr + np.random.default_rng(0).normal(0, 3, fr.shape), 0, 255).astype(np.uint8)
    video = write_video(tmp_path/'two_shots.avi', fr, 12.0)
    browser.get(url)
    _upload(browser, 'video-file', 'video-go', video)
    assert _wait_text(browser, 'video-status', 300) == 'done'
    assert browser.find_element('id', 'video-summary').text == '40 frames; cuts at 20'
    assert len(browser.find_elements('css selector', '#key-frames .kf')) >= 2
    cut = tmp_path/'cut.avi'; cut.write_bytes(video.read_bytes()[:len(video.read_bytes())//3])
    browser.get(url)
    _upload(browser, 'video-file', 'video-go', cut)
    msg = _wait_text(browser, 'video-status')
    assert msg.startswith('refused (400): cut.avi: truncated'), msg
    big = tmp_path/'big.mp4'; big.write_bytes(os.urandom(3*2**20))
    browser.get(url)
    _upload(browser, 'video-file', 'video-go', big)
    assert _wait_text(browser, 'video-status').startswith('refused (413): big.mp4: larger than the 2 MB'), browser.find_element('id', 'video-status').text
    assert list(tmp.iterdir()) == []

def _post(url, name, data, timeout=300):
    "POST one file as multipart form data: (status, headers, body)"
    import json, urllib.error, uuid
    b = uuid.uuid4().hex
    body = (f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode() + data + f'\r\n--{b}--\r\n'.encode()
    req = urllib.request.Request(url, body, {'Content-Type': f'multipart/form-data; boundary={b}'})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r: return r.status, {k.lower(): v for k, v in r.headers.items()}, json.loads(r.read())
    except urllib.error.HTTPError as e: return e.code, {k.lower(): v for k, v in e.headers.items()}, json.loads(e.read())

def test_a_burst_of_uploads_leaves_the_page_answering(server, tmp_path):
    "Uploads run off the event loop in a bounded pool: while a video is worked on, the page answers first; a burst of valid, bomb and non-image uploads gets each its own answer (503 + Retry-After once the queue is full); a refused bomb costs no memory and nothing is left in the temporary folder (before: GET / waited 48.6 s behind one video, a 49 Mpx bomb was decoded in full)"
    import io, threading
    from concurrent.futures import ThreadPoolExecutor
    from hateful_memes.captions.video import write_video
    from hateful_memes.captions.data import load_caption_set
    url, tmp = server
    fr = np.clip(np.random.default_rng(1).normal(120, 40, (240, 72, 96, 3)), 0, 255).astype(np.uint8)   # 240 frames of noise: seconds of work
    video = write_video(tmp_path/'noise.avi', fr, 12.0).read_bytes()
    scene = io.BytesIO(); Image.open(load_caption_set('smoke', progress=False).take('test')[0][0]).save(scene, 'PNG')
    bomb = io.BytesIO(); Image.new('1', (8_000, 6_000)).save(bomb, 'PNG')
    done = {}
    def slow(): done['video'] = (_post(url + 'api/video', 'noise.avi', video), time.monotonic())
    t = threading.Thread(target=slow); t.start()
    time.sleep(1.0)                                                   # the video is in the pool now
    with urllib.request.urlopen(url, timeout=300) as r: assert r.status == 200
    page_at = time.monotonic()
    uploads = [('scene.png', scene.getvalue()), ('bomb.png', bomb.getvalue()), ('notes.png', b'not an image')]*4
    with ThreadPoolExecutor(len(uploads)) as ex: answers = list(ex.map(lambda u: (u[0], _post(url + 'api/caption', *u)), uploads))
    t.join(600)
    assert done['video'][0][0] == 200 and page_at < done['video'][1]          # the page answered while the video was still being worked on
    want = {'scene.png': 200, 'bomb.png': 413, 'notes.png': 415}
    assert all(st in (want[n], 503) for n, (st, _, _) in answers), [(n, st, b) for n, (st, _, b) in answers]
    full = [(h, b) for n, (st, h, b) in answers if st == 503]
    assert full and all(h.get('retry-after') == '5' and b['detail'].startswith('busy:') for h, b in full), answers
    assert {n for n, (st, _, _) in answers if st != 503} and all(b.get('detail', '').startswith(n) for n, (st, _, b) in answers if st in (413, 415))
    assert list(tmp.iterdir()) == []
    # the memory a bomb costs, sampled every few milliseconds while three are refused: a 144 Mpx bomb decoded to RGB is 432 MB (before: a 49 Mpx one took the server to 1.67 GB)
    rss = lambda: int(next(l for l in open(f"/proc/{_SERVER['pid']}/status") if l.startswith('VmRSS:')).split()[1])
    big = io.BytesIO(); Image.new('1', (12_000, 12_000)).save(big, 'PNG')
    stop, peak, base = threading.Event(), [0], rss()
    def sample():
        while not stop.is_set(): peak[0] = max(peak[0], rss()); time.sleep(0.003)
    s = threading.Thread(target=sample); s.start()
    try: statuses = [_post(url + 'api/caption', 'huge.png', big.getvalue())[0] for _ in range(3)]
    finally: stop.set(); s.join()
    assert statuses == [413]*3 and peak[0] - base < 100_000, (statuses, base, peak[0])
