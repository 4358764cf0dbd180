"Photos and fonts from Debian packages: present after set-up, and a clear error naming the package when they are not."
import pytest
from hateful_memes.core import media
from hateful_memes.core.photos import image_concepts, load_photo
from hateful_memes.core.synth import generate
from hateful_memes.core.base import get_profile
from conftest import run_cli

def test_setup_fetched_every_configured_file():
    assert media.missing_media() == {}
    assert run_cli('hm_media', '--check').stdout.strip() == 'media: all present'

def test_missing_debian_photo_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(media, 'media_roots', lambda: [tmp_path])
    load_photo.cache_clear()
    spec = image_concepts()['dog']['photos'][0]['src']
    with pytest.raises(FileNotFoundError, match=r"comes with the Debian package 'kphotoalbum': run `bash tools/setup.sh`"):
        load_photo(spec)
    with pytest.raises(FileNotFoundError, match="kphotoalbum"):
        generate(get_profile('smoke'), tmp_path/'set', workers=1, progress=False)
    assert not (tmp_path/'set').exists()
    load_photo.cache_clear()
