"The docs site, built with MkDocs (no network, no Quarto), opened page by page in headless Chromium."
import functools, http.server, json, threading, urllib.error, urllib.request
from urllib.parse import urlparse
import pytest
from conftest import run_cli, ROOT
from hateful_memes.core.results import task_specs

SHOTS = ROOT/'_docs_screenshots'


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "The site as `hm_docs` builds it, served on localhost"
    out = tmp_path_factory.mktemp('docs')/'site'
    run_cli('hm_docs', '--out', out, '--no_quarto')
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield out, f'http://127.0.0.1:{srv.server_port}/'
    srv.shutdown()


def _ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url.split('#')[0], timeout=10) as r: return r.status == 200
    except urllib.error.URLError: return False


BROKEN_IMAGES = "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
LINKS = "return [...document.querySelectorAll('a[href]')].map(a => a.href)"


def test_every_page_in_a_real_browser(site, browser):
    "Every page opens with no console error, no broken image and no broken local link"
    out, base = site
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob('*.html'))
    assert len(pages) >= 30, pages
    problems, checked = [], {}
    for page in pages:
        browser.get(base + page)
        problems += [f'{page}: console {e["level"]}: {e["message"]}' for e in browser.get_log('browser') if e['level'] in ('SEVERE', 'WARNING')]
        problems += [f'{page}: broken image {src}' for src in browser.execute_script(BROKEN_IMAGES)]
        for href in browser.execute_script(LINKS):
            if urlparse(href).netloc != urlparse(base).netloc: continue          # the outside world is not reachable here
            target = href.split('#')[0]
            if target not in checked: checked[target] = _ok(target)
            if not checked[target]: problems.append(f'{page}: broken link {href}')
    assert not problems, '\n'.join(problems)
    assert len(checked) >= len(pages)                   # the sidebar links every page from every page


def test_every_chart_is_on_its_page(site, browser):
    "Each chart the pipeline wrote for the default profile is shown, loaded, on its result page, with its metrics"
    out, base = site
    results = ROOT/'nbs'/'_results'/'default'
    for res in sorted(p for p in results.iterdir() if (p/'metrics.json').is_file()):
        browser.get(f'{base}results/{res.name}.html')
        shown = browser.execute_script("return [...document.images].filter(i => i.naturalWidth > 0).map(i => i.src.split('/').pop())")
        assert sorted(p.name for p in res.glob('*.png')) == sorted(shown), res.name
        spec = task_specs().get(res.name)
        head = f"{spec.chart or spec.name}.png"                       # the headline chart (tasks.yaml) comes first, with a caption under each
        assert (res/head).is_file() and shown[0] == head, (res.name, shown)
        caps = browser.execute_script("return [...document.querySelectorAll('figure.chart figcaption')].map(c => c.textContent)")
        assert len(caps) == len(shown) and all(caps) and caps[0].endswith('(headline chart)'), (res.name, caps)
        assert browser.execute_script("return [...document.querySelectorAll('figure.chart a')].every(a => a.href === a.querySelector('img').src)")
        rows = json.loads((res/'metrics.json').read_text())['rows']
        text = browser.find_element('tag name', 'main').text
        assert all(str(r['name']) in text for r in rows), res.name
        assert 'Parameters' in text and 'profile' in text


def test_screenshots(site, browser):
    "A screenshot of the home page and of one result page, for people to look at"
    out, base = site
    SHOTS.mkdir(exist_ok=True)
    for page, name in (('index.html', 'home.png'), ('results/visualbert_clip.html', 'visualbert_clip.png')):
        browser.get(base + page)
        assert browser.save_screenshot(str(SHOTS/name))
        assert (SHOTS/name).stat().st_size > 20_000, name
    browser.get(base + 'index.html')
    active = [a.get_attribute('textContent').strip() for a in browser.find_elements('css selector', '.md-nav__link--active')]
    assert 'hateful_memes' in browser.title and any(active), active
    heads = [e.get_attribute('textContent').strip() for e in browser.find_elements('css selector', '.md-nav--primary > .md-nav__list > .md-nav__item > label.md-nav__link, .md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link')]
    assert [h for h in heads if h.startswith('Seed ')] == ['Seed 000: hateful memes', 'Seed 004: retrieval, clustering, zero-shot', 'Seed 001: hotel photos',
                                                          'Seed 002: infographics', 'Seed 003: captions and video'], heads   # the sidebar by study


def test_search_and_table_of_contents(site, browser):
    "MkDocs' search finds a library function and a result page has its own table of contents"
    out, base = site
    index = json.loads((out/'search'/'search_index.json').read_text())
    assert any('run_task' in d.get('text', '') + d.get('title', '') for d in index['docs'])
    browser.get(base + 'results/clip_fusion.html')
    toc = [a.get_attribute('textContent').strip() for a in browser.find_elements('css selector', '.md-sidebar--secondary .md-nav__link')]
    assert 'Charts' in toc and 'Metrics' in toc, toc
