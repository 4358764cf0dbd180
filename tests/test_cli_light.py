"""The command-line tools answer `--help` without importing the heavy stacks (torch, open_clip, transformers, gensim):
those load when a command does the work that needs them (issue 33: `hm_serve --help` took 18 s, `hm_mmf --help` 21.6 s)."""
import subprocess, sys
import pytest
from conftest import run_cli

HEAVY = ('torch', 'open_clip', 'transformers', 'gensim')

@pytest.mark.parametrize('module', ['hateful_memes.tools.serve', 'hateful_memes.memes.mmf', 'hateful_memes.memes.predict', 'hateful_memes.tools.pipeline'])
def test_a_command_module_imports_no_heavy_stack(module):
    code = f"import sys, {module}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == '[]'

@pytest.mark.parametrize('cmd', ['hm_serve', 'hm_mmf', 'hm_predict', 'hm_results'])
def test_help_answers(cmd):
    r = run_cli(cmd, '--help')
    assert r.stdout.startswith('usage: ' + cmd)
