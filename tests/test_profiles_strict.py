"Profiles are strict: a misspelt task under `tasks:` and an unknown profile stop the command with the file and the key named"
import subprocess, sys
from pathlib import Path
import pytest
from hateful_memes.core.base import ConfigError, config_path, get_profile

def test_a_misspelt_task_is_named_with_its_file(tmp_path):
    p = tmp_path/'mine.yaml'
    p.write_text(config_path('profiles', 'smoke.yaml').read_text() + "\n  clip_clasifiers: {train_seeds: 1}\n")
    with pytest.raises(ConfigError, match=r"mine\.yaml: section 'tasks' names unknown task\(s\) 'clip_clasifiers'"): get_profile(str(p))

def test_plan_stops_on_a_misspelt_task(tmp_path):
    p = tmp_path/'mine.yaml'
    p.write_text(config_path('profiles', 'smoke.yaml').read_text() + "\n  zero_shoot: {}\n")
    r = subprocess.run([str(Path(sys.executable).parent/'hm_results'), '--profile', str(p), '--plan'], capture_output=True, text=True)
    assert r.returncode == 1 and "unknown task(s) 'zero_shoot'" in r.stderr, r.stderr

def test_build_of_an_unknown_profile_is_an_error(tmp_path):
    r = subprocess.run([str(Path(sys.executable).parent/'hm_build'), '--profile', 'nope'], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1 and "unknown profile 'nope'" in r.stderr, r.stderr
