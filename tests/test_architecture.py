"""The house's layering, read from the source: studies are siblings on a shared floor.

`core` (paths, profiles, keys, stats, vision, the synthetic set) imports nothing above it; `clip` (the
encoders, their taps and text embeddings) only `core`; `ocr` (shared by the meme, product-photo and hotel
studies) only `core` and `clip`; each study only the floor and itself; `tools` (pipeline, docs, the served
page) may import anything. Every import counts, the ones inside functions too. No module imports another
module's private name, every hash is made in `core.keys`, and no notebook imports one numbered after it."""
import ast, json, re
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT/'hateful_memes'
FLOOR = {'core': set(), 'clip': {'core'}, 'ocr': {'core', 'clip'}}
STUDIES = ('memes', 'retrieval', 'captions', 'infographics', 'hotel')


def _modules():
    for p in sorted(PKG.rglob('*.py')):
        if p.name in ('_modidx.py', 'all.py') or len(p.relative_to(PKG).parts) < 2: continue
        yield '.'.join(p.relative_to(ROOT).with_suffix('').parts), p


def _imports(mod: str, path: Path):
    "(target module, imported name or None) for every import of this package in `path`"
    pkg = mod.split('.')[:-1] if path.name != '__init__.py' else mod.split('.')
    for n in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(n, ast.ImportFrom):
            base = '.'.join(pkg[:len(pkg) - n.level + 1] + ([n.module] if n.module else [])) if n.level else n.module or ''
            for a in n.names:
                if base.startswith('hateful_memes'): yield base, a.name
        elif isinstance(n, ast.Import):
            for a in n.names:
                if a.name.startswith('hateful_memes'): yield a.name, None


def _family(mod: str) -> str: return mod.split('.')[1] if mod.count('.') else ''


def _allowed(src: str, dst: str) -> bool:
    if dst == src or dst == '' or src == 'tools': return True
    if src in FLOOR: return dst in FLOOR[src]
    return dst in FLOOR


def test_layers_hold():
    bad = []
    for mod, path in _modules():
        for target, name in _imports(mod, path):
            if not _allowed(_family(mod), _family(target)): bad.append(f'{mod} imports {target}' + (f'.{name}' if name else ''))
    assert bad == []


def test_the_test_sees_a_study_importing_a_study(tmp_path):
    "The rule is not vacuous: a made-up import of one study by another breaks it, and the floor's do not"
    assert not _allowed('infographics', 'hotel')
    assert not _allowed('core', 'memes')
    assert not _allowed('clip', 'ocr')
    assert _allowed('memes', 'ocr') and _allowed('captions', 'clip') and _allowed('tools', 'memes')
    f = tmp_path/'x.py'; f.write_text('def f():\n    from ..hotel.tags import tagging_metrics\n')
    assert list(_imports('hateful_memes.infographics.x', f)) == [('hateful_memes.hotel.tags', 'tagging_metrics')]


def test_every_study_exists():
    assert sorted(p.name for p in PKG.iterdir() if p.is_dir() and (p/'__init__.py').exists()) == sorted(
        [*FLOOR, *STUDIES, 'tools'])


def test_no_private_name_crosses_a_module():
    bad = [f'{mod} imports {t}.{n}' for mod, path in _modules() for t, n in _imports(mod, path)
           if n and n.startswith('_') and not n.startswith('__') and t != mod]
    assert bad == []


def test_every_hash_is_made_in_core_keys():
    assert [str(p.relative_to(ROOT)) for _, p in _modules() if 'hashlib' in p.read_text(encoding='utf-8')] == [
        'hateful_memes/core/keys.py']


def _number(nb: Path) -> tuple:
    m = re.match(r'(\d+)([a-z]?)_', nb.name)
    return (int(m[1]), m[2])


def test_no_notebook_imports_a_later_one():
    "Sorted by number, the notebooks are in dependency order (nbs/<family>/NN_name.ipynb), tests' imports included"
    home = {}
    nbs = [p for p in sorted((ROOT/'nbs').glob('*/*.ipynb')) if re.match(r'\d', p.name)]
    for nb in nbs:
        for c in json.loads(nb.read_text(encoding='utf-8'))['cells']:
            m = re.search(r'#\|\s*default_exp\s+(\S+)', ''.join(c['source']))
            if m: home['hateful_memes.' + m[1]] = nb
    bad = []
    for nb in nbs:
        for c in json.loads(nb.read_text(encoding='utf-8'))['cells']:
            if c['cell_type'] != 'code': continue
            for mod in re.findall(r'^\s*from (hateful_memes(?:\.\w+)+) import', ''.join(c['source']), re.M):
                if mod in home and _number(home[mod]) > _number(nb):
                    bad.append(f'{nb.relative_to(ROOT)} imports {mod} ({home[mod].name})')
    assert sorted(set(bad)) == []


def test_readme_is_a_five_minute_read():
    "The README is the home page: what this is, the two commands, the results, where to go next (the detail is the guide's)"
    lines = (ROOT/'README.md').read_text(encoding='utf-8').splitlines()
    assert len(lines) <= 250, len(lines)
    assert [l for l in lines if l.startswith('## ')] == ['## Two commands', '## Results', '## Where to go next']


def _export_cells():
    for nb in sorted((ROOT/'nbs').glob('*/*.ipynb')):
        if nb.parent.name == 'results': continue
        for c in json.loads(nb.read_text(encoding='utf-8'))['cells']:
            s = ''.join(c['source'])
            if c['cell_type'] == 'code' and s.startswith('#| export'):
                yield nb, [l for l in s.splitlines() if not l.startswith('#|')]


def test_cells_hold_one_definition_each():
    "fastcore's notebooks are the model: one public definition per export cell, short cells (the median at most 10 lines)"
    import statistics
    cells = list(_export_cells())
    two = [f'{nb.relative_to(ROOT)}: {", ".join(names)}' for nb, body in cells
           if len(names := [n.name for n in ast.parse('\n'.join(body)).body
                            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not n.name.startswith('_')]) > 1]
    assert len(two) <= 10, two
    assert statistics.median(len(b) for _, b in cells) <= 10


def test_no_public_name_in_two_library_modules():
    "A name means one thing across the library (a task's module may share its function's name with the task)"
    import collections, importlib
    seen = collections.defaultdict(list)
    for mod, _ in _modules():
        if mod.endswith('.tasks'): continue
        for n in getattr(importlib.import_module(mod), '__all__', []): seen[n].append(mod)
    assert {n: m for n, m in seen.items() if len(m) > 1} == {}
