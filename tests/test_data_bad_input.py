"Each bad-input case of the data layer, in the real layout: error by default (naming file and line), skip mode where asked."
import json
import pytest
from PIL import Image
from hateful_memes.core.data import load_split, load_image, DatasetError, ImageError
from conftest import write_lines

GOOD = '{"id": 1235, "img": "img/01235.png", "label": 1, "text": "fine"}'
OTHER = '{"id": 42953, "img": "img/42953.png", "label": 0, "text": "also fine"}'

@pytest.mark.parametrize('bad, message', [
    ('{"id": 7, "img": "img/00007.png", "label": 0, "text": "x"', 'malformed JSON'),
    ('{"id": 7, "img": "img/00007.png", "label": 0}', "missing field 'text'"),
    ('{"img": "img/00007.png", "label": 0, "text": "x"}', "missing field 'id'"),
    ('{"id": "7", "img": "img/00007.png", "label": 0, "text": "x"}', "field 'id' should be int, got str"),
    ('{"id": 7, "img": 7, "label": 0, "text": "x"}', "field 'img' should be str, got int"),
    ('{"id": 7, "img": "img/00007.png", "label": 2, "text": "x"}', "field 'label' should be 0 or 1"),
    ('{"id": 7, "img": "img/00007.png", "label": 0, "text": null}', "field 'text' should be str, got NoneType"),
    ('["not", "an", "object"]', 'expected a JSON object'),
    ('{"id": 7, "img": "../../etc/passwd", "label": 0, "text": "x"}', 'escapes the dataset folder'),
    ('{"id": 7, "img": "img/../../x.png", "label": 0, "text": "x"}', 'escapes the dataset folder'),
    ('{"id": 7, "img": "/etc/passwd", "label": 0, "text": "x"}', 'is absolute'),
    ('{"id": 7, "img": "img/99999.png", "label": 0, "text": "x"}', 'image file is missing'),
])
def test_bad_record_names_file_and_line(hm_dir, bad, message):
    write_lines(hm_dir/'dev_seen.jsonl', GOOD, '', bad, OTHER)   # the bad record is on line 3
    with pytest.raises(DatasetError) as e: load_split(hm_dir, 'dev_seen', progress=False)
    assert "dev_seen.jsonl:3: " in str(e.value) and message in str(e.value)
    sp = load_split(hm_dir, 'dev_seen', on_error='skip', progress=False)
    assert [m.id for m in sp] == [1235, 42953]
    assert len(sp.skipped) == 1 and sp.skipped[0].where.endswith('dev_seen.jsonl:3') and message in sp.skipped[0].reason

def test_duplicate_ids_are_named(hm_dir):
    write_lines(hm_dir/'train.jsonl', GOOD, OTHER, GOOD.replace('"fine"', '"again"'), OTHER)
    for mode in ('raise', 'skip'):   # which duplicate is right cannot be guessed: always an error
        with pytest.raises(DatasetError, match=r'train.jsonl: duplicate ids: id 1235 on lines 1, 3; id 42953 on lines 2, 4'):
            load_split(hm_dir, 'train', on_error=mode, progress=False)

def _truncate(p):
    Image.effect_noise((64, 64), 40).convert('RGB').save(p)
    p.write_bytes(p.read_bytes()[:600])

@pytest.mark.parametrize('spoil, message', [
    (lambda p: p.unlink(), 'image file is missing'),
    (lambda p: p.write_text('<html>not an image</html>'), 'not an image file'),
    (_truncate, 'unreadable image'),
    (lambda p: Image.new('1', (12_000, 12_000)).save(p), 'decompression bomb'),
])
def test_bad_images(hm_dir, spoil, message):
    spoil(hm_dir/'img'/'42953.png')
    write_lines(hm_dir/'dev_seen.jsonl', GOOD, OTHER)
    with pytest.raises(DatasetError, match=message) as e: load_split(hm_dir, 'dev_seen', progress=False)
    assert 'dev_seen.jsonl:2: ' in str(e.value) and '42953.png' in str(e.value)
    sp = load_split(hm_dir, 'dev_seen', on_error='skip', progress=False)
    assert [m.id for m in sp] == [1235] and message in sp.skipped[0].reason
    with pytest.raises(ImageError, match=message): load_image(hm_dir/'img'/'42953.png')

def test_header_check_misses_truncation_but_load_image_catches_it(hm_dir):
    _truncate(hm_dir/'img'/'42953.png')
    write_lines(hm_dir/'dev_seen.jsonl', GOOD, OTHER)
    sp = load_split(hm_dir, 'dev_seen', check_images='header', progress=False)
    assert len(sp) == 2
    with pytest.raises(ImageError, match='unreadable image'): load_image(sp[1].path)

def test_pixel_limit_is_configurable(hm_dir):
    write_lines(hm_dir/'dev_seen.jsonl', GOOD)
    with pytest.raises(ImageError, match='over the limit of 1,000'): load_split(hm_dir, 'dev_seen', max_pixels=1000, progress=False)

def test_awkward_but_valid_input_loads(hm_dir):
    text = 'caf\u00e9 na\u00efve \u043f\u0440\u0438\u0432\u0435\u0442 \U0001F600\U0001F44D \u4f60\u597d'
    recs = [dict(id=7, img='img/00007.png', label=0, text=text), dict(id=100, img='img/00100.png', label=1, text='x')]
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    (hm_dir/'dev_seen.jsonl').write_bytes(b'\xef\xbb\xbf' + b'\r\n\r\n'.join(l.encode() for l in lines) + b'\r\n\r\n  \r\n')
    write_lines(hm_dir/'test_unseen.jsonl', json.dumps(dict(id=7, img='img/00007.png', text=text)), eol='\r\n')
    sp = load_split(hm_dir, 'dev_seen', progress=False)
    assert [(m.id, m.path.name, m.label) for m in sp] == [(7, '00007.png', 0), (100, '00100.png', 1)]
    assert sp[0].text == text and sp.skipped == []
    un = load_split(hm_dir, 'test_unseen', progress=False)
    assert un.labels == [None] and not un.has_labels and un[0].text == text

def test_missing_split_file_lists_what_is_there(hm_dir):
    write_lines(hm_dir/'dev_seen.jsonl', GOOD)
    with pytest.raises(DatasetError, match=r'train.jsonl: split file not found \(this folder has: dev_seen\)'):
        load_split(hm_dir, 'train')

def test_utf16_split_says_to_resave_as_utf8(hm_dir):
    (hm_dir/'dev_seen.jsonl').write_text(GOOD + '\n', encoding='utf-16')
    with pytest.raises(DatasetError, match=r'dev_seen.jsonl: UTF-16 text, not UTF-8.*re-save it as UTF-8'):
        load_split(hm_dir, 'dev_seen', progress=False)

def test_latin1_line_is_named_and_skipped_on_request(hm_dir):
    (hm_dir/'dev_seen.jsonl').write_bytes(OTHER.replace('also fine', 'caf\u00e9').encode('latin-1') + b'\n' + GOOD.encode() + b'\n')
    with pytest.raises(DatasetError, match=r'dev_seen.jsonl:1: not UTF-8 \(byte 0xe9 .*Latin-1'):
        load_split(hm_dir, 'dev_seen', progress=False)
    sp = load_split(hm_dir, 'dev_seen', on_error='skip', progress=False)
    assert [m.id for m in sp] == [1235] and [s.where.rsplit(':', 1)[1] for s in sp.skipped] == ['1']

def test_empty_split_is_an_error(hm_dir):
    (hm_dir/'dev_seen.jsonl').write_text('\n\n')
    with pytest.raises(DatasetError, match=r'dev_seen.jsonl: no records \(the file is empty\)'):
        load_split(hm_dir, 'dev_seen', progress=False)

def test_split_path_that_is_a_folder(hm_dir):
    (hm_dir/'dev_seen.jsonl').mkdir()
    with pytest.raises(DatasetError, match=r'dev_seen.jsonl: a folder, not a split file'):
        load_split(hm_dir, 'dev_seen', progress=False)

def test_symlinked_image_folder_loads_but_a_link_out_of_it_is_refused(tmp_path):
    disk, ds = tmp_path/'other_disk', tmp_path/'hm'
    disk.mkdir(); ds.mkdir()
    Image.new('RGB', (40, 30)).save(disk/'01235.png')
    Image.new('RGB', (40, 30)).save(tmp_path/'secret.png')
    (disk/'42953.png').symlink_to(tmp_path/'secret.png')          # a link inside img/ that points out of it
    (ds/'img').symlink_to(disk)                                    # img/ itself on another disk
    write_lines(ds/'dev_seen.jsonl', GOOD)
    assert [m.path for m in load_split(ds, 'dev_seen', progress=False)] == [disk/'01235.png']
    write_lines(ds/'dev_seen.jsonl', GOOD, OTHER)
    with pytest.raises(DatasetError, match=r"dev_seen.jsonl:2: image path 'img/42953.png' escapes the dataset folder"):
        load_split(ds, 'dev_seen', progress=False)
