"""Every row a trained model made, in every task's committed default result, carries its spread over training seeds
(issue 31): `train_seeds` >= 3 with the mean and sd of the measure, or `training: deterministic` where the fit has no seed.
Which rows a trained model made is declared per task in `configs/tasks.yaml` (`trained`)."""
import json
from pathlib import Path
import pytest
from hateful_memes.core.results import task_specs, seed_problems, trained_rows

ROOT = Path(__file__).resolve().parents[1]/'nbs'/'_results'/'default'
SPECS = task_specs()

@pytest.mark.parametrize('task', list(SPECS))
def test_trained_rows_have_three_seeds(task):
    spec = SPECS[task]
    rows = json.loads((ROOT/task/'metrics.json').read_text())['rows']
    measure = (spec.trained or {}).get('measure') or (spec.headline or {}).get('measure')
    if spec.trained:
        assert trained_rows(rows, spec.trained), f"{task}: the `trained` rule in tasks.yaml matches no row of its metrics.json"
    assert seed_problems(rows, spec.trained, measure) == []

def test_a_model_row_without_seeds_is_caught():
    spec = SPECS['clip_fusion']
    rows = json.loads((ROOT/'clip_fusion'/'metrics.json').read_text())['rows']
    stripped = [{k: v for k, v in r.items() if 'seeds' not in k} for r in rows]
    assert len(seed_problems(stripped, spec.trained, spec.headline['measure'])) == len(rows)

def test_declared_deterministic_rows_are_the_unseeded_classifiers():
    from hateful_memes.memes.classify import classifier_specs
    rows = json.loads((ROOT/'clip_classifiers'/'metrics.json').read_text())['rows']
    det = {r['classifier'] for r in rows if r.get('training') == 'deterministic'}
    assert det == {n for n, s in classifier_specs().items() if not s['seeded']}
