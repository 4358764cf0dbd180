"The roll-up's declared rules, checked on the committed default results: every headline is a declared row (never the best of many), never an oracle, a row true by construction or a single example, and stands beside its dataset, interval and baseline"
import csv
from pathlib import Path
import pytest
from hateful_memes.core.base import repo_root
from hateful_memes.core.results import task_specs, read_metrics, headline_row, baseline_of, NOT_HEADLINE, ROLLUP_COLUMNS

ROOT = repo_root()/'nbs'/'_results'/'default'
SPECS = task_specs()

@pytest.mark.parametrize('task', list(SPECS))
def test_headline_is_declared(task):
    hl = SPECS[task].headline
    if hl is None: return                                                    # the dataset, single examples: no headline
    assert set(hl) <= {'measure', 'lower', 'row', 'baseline'}, f'{task}: headline keys {sorted(hl)} (a headline is picked by rule, not as the best)'
    assert SPECS[task].dataset.get('embedded'), f'{task}: no dataset label'
    p = ROOT/task/'metrics.json'
    if not p.is_file(): pytest.skip(f'{p} not committed')
    rows = read_metrics(p)['rows']
    groups = {}
    for r in rows: groups.setdefault(r.get('protocol'), []).append(r)
    heads = [headline_row(g, hl) for g in groups.values()]
    assert any(heads), f'{task}: the rule {hl.get("row")} matches no row of {p}'
    for h in filter(None, heads):
        assert h.get('kind') not in NOT_HEADLINE
        if hl.get('baseline'):
            name, value = baseline_of(rows, h, hl)
            assert isinstance(value, (int, float)), f'{task}: no baseline value for {h["name"]} ({hl["baseline"]})'

def test_committed_rollup_has_its_columns():
    p = ROOT/'results.csv'
    rows = list(csv.DictReader(p.open()))
    assert list(rows[0]) == ROLLUP_COLUMNS
    heads = [r for r in rows if r['headline'] == 'True']
    assert {r['task'] for r in heads} == {t for t, s in SPECS.items() if s.headline and (ROOT/t/'metrics.json').is_file()}
    assert all(r['dataset'] for r in rows)
    assert not [r for r in rows if r['reference'] and r['for_scale'] != 'True' and r['dataset'].startswith('embedded')]

def test_rows_carry_their_run_and_unreached_tasks_are_marked(tmp_path):
    "Issue 35: each roll-up row says which commit and time wrote it; after a run that failed or was killed, a task it planned but did not write is marked, never shown as current"
    import json
    from hateful_memes.core.results import write_metrics, build, build_markdown
    write_metrics(tmp_path/'clip_train', 'clip_train', 'smoke', {}, [dict(name='m', zero_shot_accuracy=0.9, chance=0.125)])
    write_metrics(tmp_path/'clip_augment', 'clip_augment', 'smoke', {}, [dict(name='rbf_svm | sigma=0', sigma=0, auroc=0.8, auroc_ci=[0.7, 0.9])])
    old = json.loads((tmp_path/'clip_augment'/'metrics.json').read_text())['written']
    (tmp_path/'run.json').write_text(json.dumps(dict(started='2999-01-01T00:00:00+00:00', tasks=['clip_train', 'clip_augment', 'clip_fusion'],
                                                     finished=None, failed='clip_augment')))
    rows = {r['task']: r for r in build('smoke', tmp_path)}
    assert rows['clip_augment']['status'] == f'failed in the run of 2999-01-01T00:00:00+00:00 (older rows of {old})'
    assert rows['clip_train']['status'].startswith('not reached in the run of 2999') and rows['clip_train']['commit'] is not None
    assert rows['clip_fusion']['status'] == 'not reached in the run of 2999-01-01T00:00:00+00:00' and rows['clip_fusion']['value'] is None
    md = build_markdown(list(rows.values()))
    assert '| `clip_fusion` |  | **not reached in the run of 2999-01-01T00:00:00+00:00: no rows** |' in md and '(failed in the run of 2999' in md
    (tmp_path/'run.json').write_text(json.dumps(dict(started='2000-01-01T00:00:00+00:00', tasks=['clip_train'], finished='2000-01-01T00:01:00+00:00')))
    assert {r['task']: r['status'] for r in build('smoke', tmp_path)} == {'clip_train': 'current', 'clip_augment': 'current'}
