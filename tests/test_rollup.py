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
