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

def _plan(p):
    return subprocess.run([str(Path(sys.executable).parent/'hm_results'), '--profile', str(p), '--plan'], capture_output=True, text=True)

def test_plan_stops_on_a_misspelt_setting_in_any_section(tmp_path):
    "Before: `clip: {mian: ...}` passed --plan and failed later inside a notebook as KeyError: 'main', naming no file"
    p = tmp_path/'mine.yaml'
    p.write_text(config_path('profiles', 'smoke.yaml').read_text().replace('  main: [hm-LiT-RN, hm_lit]', '  mian: [hm-LiT-RN, hm_lit]', 1))
    r = _plan(p)
    assert r.returncode == 1 and f"{p}: section 'clip' has unknown setting(s) 'mian': it takes main, models" in r.stderr, r.stderr
    p.write_text(config_path('profiles', 'smoke.yaml').read_text().replace('sr_steps: 30', 'sr_stpes: 30', 1))
    r = _plan(p)
    assert r.returncode == 1 and "section 'hotel' has unknown setting(s) 'sr_stpes'" in r.stderr, r.stderr

def test_plan_stops_on_a_task_parameter_the_task_does_not_take(tmp_path):
    p = tmp_path/'mine.yaml'
    p.write_text(config_path('profiles', 'smoke.yaml').read_text() + "\n  clip_augment: {sigmas: [0, 1], noise_seed: 3}\n")
    r = _plan(p)
    assert r.returncode == 1 and f"{p}: tasks.clip_augment: task 'clip_augment' takes no parameter" in r.stderr and "'noise_seed'" in r.stderr, r.stderr

def test_a_model_without_its_weights_is_resolved_or_refused():
    "Before: --params '{\"model\": \"hm-RN-T\"}' ran on random weights with no word although the profile has weights for it"
    from hateful_memes.clip.train import main_model
    assert main_model('default', 'hm-RN-T') == ('hm-RN-T', 'hm_scratch')
    with pytest.raises(ConfigError, match=r"model 'ViT-B-32' is given without pretrained"): main_model('default', 'ViT-B-32')
