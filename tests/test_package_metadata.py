"`pip install .` brings everything the library imports: every third-party module any module of the package imports belongs to a distribution settings.ini requires (issue 33; before, twelve were missing and four families failed to import outside tools/setup.sh)"
import ast, configparser, re, sys
from importlib.metadata import packages_distributions
from hateful_memes.core.base import repo_root

def _norm(n: str) -> str: return re.sub(r'[-_.]+', '-', n).lower()

def test_settings_requirements_cover_every_import():
    cfg = configparser.ConfigParser(); cfg.read(repo_root()/'settings.ini')
    required = {_norm(re.split(r'[<>=\[ ]', r)[0]) for r in cfg['DEFAULT']['requirements'].split()}
    dists = packages_distributions()
    mods = set()
    for f in (repo_root()/'hateful_memes').rglob('*.py'):
        for node in ast.walk(ast.parse(f.read_text(encoding='utf-8'))):
            if isinstance(node, ast.Import): mods |= {a.name.split('.')[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module: mods.add(node.module.split('.')[0])
    third = {m for m in mods if m not in sys.stdlib_module_names and m != 'hateful_memes' and m in dists}
    missing = {m: dists[m] for m in third if not {_norm(d) for d in dists[m]} & required}
    assert not missing, f"settings.ini requirements lack the distributions of {missing}"
