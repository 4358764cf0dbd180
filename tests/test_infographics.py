"The infographics family (seed 002) on a user's folder of photos: a broken file stops the run with its name before anything trains, or is skipped and listed; a folder that is not in the class layout is named."
import pytest
from PIL import Image
from hateful_memes.infographics.data import product_folder

def _folder(root):
    (root/'good_infographics').mkdir(parents=True)
    Image.new('RGB', (120, 90), (200, 40, 40)).save(root/'good_infographics'/'ok.jpg')
    (root/'good_infographics'/'cut.jpg').write_bytes((root/'good_infographics'/'ok.jpg').read_bytes()[:150])   # a broken download
    (root/'readme.md').write_text('not a photo')
    return root

def test_broken_photo_stops_the_task_before_training(tmp_path, monkeypatch):
    monkeypatch.setenv('HM_DATA', str(tmp_path/'data')); monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    from hateful_memes.infographics.tasks import infographics_classify    # the task itself, before any stage: it reads the folder first
    with pytest.raises(ValueError, match=r"cut.jpg: unreadable image .*on_error='skip'"):
        infographics_classify('smoke', folder=str(_folder(tmp_path/'photos')), on_error='raise')
    assert not (tmp_path/'data'/'infographics').exists() and not (tmp_path/'cache'/'infographics').exists()   # nothing was made or trained

def test_skip_lists_every_bad_file_with_its_reason(tmp_path):
    paths, labels, skipped = product_folder(_folder(tmp_path), on_error='skip')
    assert ([p.name for p in paths], labels) == (['ok.jpg'], [0])
    assert [s.split(' (')[0] for s in skipped] == [str(tmp_path/'good_infographics'/'cut.jpg'), str(tmp_path/'readme.md')]
    assert 'unreadable' in skipped[0] and 'not an image file' in skipped[1]

def test_folder_layout_errors_name_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=r'photos: no such folder'): product_folder(tmp_path/'photos')
    (tmp_path/'photos'/'kitchen').mkdir(parents=True)
    with pytest.raises(ValueError, match=r'photos: subfolder\(s\) kitchen are not classes: good_infographics'): product_folder(tmp_path/'photos')
