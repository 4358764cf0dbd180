"""`hm_predict` as a user runs it: one meme, a Hateful Memes .jsonl, a folder; bad input named or skipped; a submission file
in the challenge's format. On the smoke profile (its encoder ships; its dataset is generated on first use)."""
import csv
from PIL import Image
from conftest import run_cli, write_lines

def test_missing_source_is_named(tmp_path):
    r = run_cli('hm_predict', tmp_path/'nothing.png', '--profile', 'smoke', check=False)
    assert (r.returncode, r.stderr.splitlines()[0]) == (1, f"hm_predict: error: {tmp_path/'nothing.png'}: no such image, .jsonl or folder")

def test_bad_jsonl_line_names_file_and_line(hm_dir):
    f = write_lines(hm_dir/'memes.jsonl', '{"id": 1235, "img": "img/01235.png", "text": "a"}', '{"id": "x", "img": "img/00007.png", "text": "b"}')
    r = run_cli('hm_predict', f, '--profile', 'smoke', check=False)
    assert r.returncode == 1 and f"{f}:2: field 'id' should be int" in r.stderr

def test_scores_a_jsonl_and_writes_a_submission(hm_dir, tmp_path):
    f = write_lines(hm_dir/'memes.jsonl', '{"id": 1235, "img": "img/01235.png", "text": "a cat on a mat", "label": 0}',
                    '{"id": 42953, "img": "img/42953.png", "text": "people cooking", "label": 1}',
                    '{"id": 7, "img": "img/missing.png", "text": "gone"}')
    r = run_cli('hm_predict', f, '--profile', 'smoke', '--skip_bad', '--out', tmp_path/'sub.csv')
    rows = list(csv.reader((tmp_path/'sub.csv').open()))
    assert rows[0] == ['id', 'proba', 'label'] and [x[0] for x in rows[1:]] == ['1235', '42953']
    assert all(0 <= float(x[1]) <= 1 and x[2] in ('0', '1') for x in rows[1:])
    assert 'missing.png' in r.stderr and r.stdout.splitlines()[0].startswith('2 memes scored') and 'too few to score' in r.stdout

def test_a_bomb_in_a_folder_is_refused_from_its_header(tmp_path):
    Image.new('RGB', (40, 30)).save(tmp_path/'ok.png')
    Image.new('1', (9000, 9000)).save(tmp_path/'bomb.png')           # 81 Mpx, a few kB on disk
    r = run_cli('hm_predict', tmp_path, '--profile', 'smoke', check=False)
    assert r.returncode == 1 and 'bomb.png' in r.stderr
