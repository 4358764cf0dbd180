"The hotel family (seed 001) on a real KPhotoAlbum database: Debian's demo runs through tagging and tag clustering, and a broken photo is named, or left out and listed on request."
import json, shutil
import pytest
from hateful_memes.core.base import config_path
from hateful_memes.core.media import media_file
from hateful_memes.core.results import run_task
from hateful_memes.hotel.data import make_hotel_set, load_hotel_set

@pytest.fixture
def demo(tmp_path):
    "A copy of KPhotoAlbum's demo database (fetched by set-up), its index.xml beside the photos"
    src = media_file('debian:kphotoalbum:/usr/share/kphotoalbum/demo/index.xml').parent
    dst = tmp_path/'kpa'
    shutil.copytree(src, dst)
    return dst

def _profile(tmp_path, demo, name='kpa', **hotel):
    "The smoke profile with its hotel section reading the database `demo`"
    cfg = dict(kphotoalbum=str(demo), categories=['Places', 'Events', 'People'], min_count=3, size=[128, 176], sr_steps=20, sr_batch=4, **hotel)
    lines = [l for l in config_path('profiles', 'smoke.yaml').read_text().replace('name: smoke', f'name: {name}').splitlines() if not l.startswith('hotel:')]
    p = tmp_path/f'{name}.yaml'
    p.write_text('\n'.join(lines) + f"\nhotel: {json.dumps(cfg)}\n")
    return p

def test_kphotoalbum_demo_runs_through_tagging(tmp_path, demo, monkeypatch):
    monkeypatch.setenv('HM_DATA', str(tmp_path/'data')); monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    prof = _profile(tmp_path, demo)
    hs = load_hotel_set(make_hotel_set(prof, progress=False))
    assert len(hs.scenes) == 24                                            # index.xml lists 25 files: movie.avi is not a photo
    assert 'People: Jesper' in hs.tags and all(t.split(': ')[0] in ('Places', 'Events', 'People') for t in hs.tags)
    r = run_task('hotel_tags', prof, tmp_path/'out', stages='run', n_resamples=50, inputs=['original', 'degraded'], ks=[2, 3],
                 model='hm-ViT-T-16', pretrained='random')         # a random-initialised CLIP: the path, not the figures, is under test
    tg = [x for x in r.rows if 'tagger' in x]
    assert len(tg) == 8 and {x['n'] for x in tg} == {len(hs.split('test'))}
    assert {x['input'] for x in r.rows if 'method' in x} == {'tags'}        # its own tags clustered, grouped by category
    assert (tmp_path/'out'/'hotel_tag_clusters.png').stat().st_size > 1000

def test_unreadable_photo_is_named_or_skipped_on_request(tmp_path, demo, monkeypatch):
    monkeypatch.setenv('HM_DATA', str(tmp_path/'data')); monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    (demo/'skagen.jpg').write_bytes((demo/'skagen.jpg').read_bytes()[:200])   # a truncated download
    with pytest.raises(ValueError, match=r'skagen.jpg: unreadable image .*on_error: skip'):
        make_hotel_set(_profile(tmp_path, demo), progress=False)
    assert not (tmp_path/'data'/'hotel'/'kpa-seed0').exists()               # nothing half-made is left as a set
    root = make_hotel_set(_profile(tmp_path, demo, on_error='skip'), progress=False)
    done = json.loads((root/'done.json').read_text())
    assert len(load_hotel_set(root).scenes) == 23 and [s.split(' (')[0].split(': ')[0] for s in done['skipped']] == [str(demo/'movie.avi'), str(demo/'skagen.jpg')]

def test_bad_hotel_setting_names_the_file(tmp_path, demo):
    with pytest.raises(Exception, match=r"kpa.yaml: section 'hotel' has unknown setting\(s\) 'colour'"):
        make_hotel_set(_profile(tmp_path, demo, colour=1), progress=False)

def test_a_bomb_in_the_album_is_refused_by_name(tmp_path, demo, monkeypatch):
    "Before: a raw DecompressionBombError naming no file, even with on_error='skip'"
    from PIL import Image
    monkeypatch.setenv('HM_DATA', str(tmp_path/'data')); monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    (demo/'skagen.jpg').unlink(); Image.new('1', (12_000, 12_000)).save(demo/'skagen.jpg', format='PNG')   # 144 Mpx in a few kB
    with pytest.raises(ValueError, match=r'skagen.jpg: refused as a decompression bomb.*on_error: skip'):
        make_hotel_set(_profile(tmp_path, demo), progress=False)
    root = make_hotel_set(_profile(tmp_path, demo, on_error='skip'), progress=False)
    assert [s for s in json.loads((root/'done.json').read_text())['skipped'] if 'skagen' in s][0].startswith(f"{demo/'skagen.jpg'}: refused as a decompression bomb")

def test_album_entries_outside_the_folder_or_missing_are_named(tmp_path, demo, monkeypatch):
    "Before: `..` paths were read, and a missing photo was skipped even with on_error=raise"
    monkeypatch.setenv('HM_DATA', str(tmp_path/'data')); monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    (tmp_path/'outside.jpg').write_bytes((demo/'spiff.jpg').read_bytes())
    idx = demo/'index.xml'
    idx.write_text(idx.read_text().replace('file="spiff.jpg"', 'file="../outside.jpg"', 1))
    with pytest.raises(ValueError, match=r"index.xml: image \d+ \(file='../outside.jpg'\): outside the album folder"):
        make_hotel_set(_profile(tmp_path, demo), progress=False)
    (demo/'bar55.jpg').unlink()
    root = make_hotel_set(_profile(tmp_path, demo, on_error='skip'), progress=False)
    sk = json.loads((root/'done.json').read_text())['skipped']
    assert any("outside.jpg') (outside the album folder)" in s for s in sk) and f"{demo/'bar55.jpg'} (missing)" in sk, sk
