"One image gate for every reader and for uploads (issue 35): the pixel count read from the header before decoding, the file named, a skip on request; and every text reader decodes like the split loader"
import io
import pytest
from PIL import Image
from hateful_memes.core.data import DatasetError

def _bomb(w=8_000, h=6_000) -> bytes:
    b = io.BytesIO(); Image.new('1', (w, h)).save(b, 'PNG'); return b.getvalue()

def test_an_uploaded_bomb_is_413_before_decoding():
    "Before: a 48 Mpx PNG was decoded in full (1.67 GB peak) and answered 500; a 900 Mpx one was called 'not an image'"
    from hateful_memes.tools.serve import check_image, UploadError
    for data, name in ((_bomb(), 'big.png'), (_bomb(30_000, 30_000), 'huge.png')):
        with pytest.raises(UploadError) as e: check_image(data, name)
        assert e.value.status == 413 and str(e.value).startswith(f'{name}: '), str(e.value)

def test_product_folder_and_image_folder_name_a_bomb_or_skip_it(tmp_path):
    from hateful_memes.infographics.data import product_folder
    from hateful_memes.retrieval.data import image_folder
    (tmp_path/'p').mkdir(); (tmp_path/'p'/'bomb.png').write_bytes(_bomb(12_000, 12_000))
    with pytest.raises(ValueError, match=r'bomb.png: refused as a decompression bomb'): product_folder(tmp_path/'p')
    assert product_folder(tmp_path/'p', on_error='skip')[2][0].startswith(str(tmp_path/'p'/'bomb.png'))
    (tmp_path/'f'/'cats').mkdir(parents=True); Image.new('RGB', (9, 9)).save(tmp_path/'f'/'cats'/'ok.png')
    (tmp_path/'f'/'cats'/'bomb.png').write_bytes(_bomb(12_000, 12_000))
    with pytest.raises(DatasetError, match=r'bomb.png: refused as a decompression bomb'): image_folder(tmp_path/'f')
    assert [p.name for p in image_folder(tmp_path/'f', on_error='skip')[0]] == ['ok.png']

def test_fer_csv_decodes_like_the_split_loader(tmp_path, monkeypatch):
    "Before: Latin-1 / UTF-16 gave a raw UnicodeDecodeError, a pixel of 300 a raw OverflowError, an Excel BOM was refused; no skip"
    monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    from hateful_memes.retrieval.data import fer_csv
    row = lambda e, v='7': f"{e}," + ' '.join([v]*2304) + ",PublicTest\n"
    f = tmp_path/'fer.csv'
    f.write_bytes(b'\xef\xbb\xbf' + ('emotion,pixels,Usage\n' + row(1)).encode()); assert fer_csv(f)[1] == [1]
    f.write_bytes(('emotion,pixels,Usage\n' + row(1)).encode('utf-16'))
    with pytest.raises(DatasetError, match=r'fer.csv: UTF-16 text, not UTF-8'): fer_csv(f)
    f.write_bytes(('emotion,pixels,Usage\n' + row(1)).encode() + row(2).replace('Public', 'Públic').encode('latin-1'))
    with pytest.raises(DatasetError, match=r'fer.csv:3: not UTF-8'): fer_csv(f)
    f.write_text('emotion,pixels,Usage\n' + row(1) + row(2, '300'))
    with pytest.raises(DatasetError, match=r'fer.csv:3: pixel value 300 is out of range 0-255'): fer_csv(f)
    assert fer_csv(f, on_error='skip')[1:] == ([1], [f'{f}:3: pixel value 300 is out of range 0-255'])

def test_caption_and_retrieval_readers_name_a_broken_image(tmp_path):
    "Before: a non-image or a bomb listed by a Karpathy file or a revisited gallery was accepted by the reader and failed later in a feature worker's traceback"
    import json, pickle
    import numpy as np
    from hateful_memes.captions.data import read_karpathy
    from hateful_memes.retrieval.data import load_retrieval
    (tmp_path/'val2014').mkdir(); Image.new('RGB', (8, 8)).save(tmp_path/'val2014'/'a.jpg')
    (tmp_path/'val2014'/'b.jpg').write_bytes(_bomb(12_000, 12_000))
    (tmp_path/'k.json').write_text(json.dumps(dict(images=[dict(filepath='val2014', filename=f, split='test', sentences=[dict(raw='x')]) for f in ('a.jpg', 'b.jpg')])))
    with pytest.raises(ValueError, match=r'b.jpg: listed by k.json images\[1\]: refused as a decompression bomb'): read_karpathy(tmp_path/'k.json')
    assert [s['file'] for s in read_karpathy(tmp_path/'k.json', on_error='skip').skipped] == [str(tmp_path/'val2014'/'b.jpg')]
    r = tmp_path/'ox'; (r/'jpg').mkdir(parents=True)
    for n in ('a', 'q'): Image.new('RGB', (8, 8)).save(r/'jpg'/f'{n}.jpg')
    (r/'jpg'/'b.jpg').write_text('<html>404</html>')
    with open(r/'gnd_roxford5k.pkl', 'wb') as f:
        pickle.dump(dict(imlist=['a', 'b'], qimlist=['q'], gnd=[dict(easy=np.array([0]), hard=np.array([], int), junk=np.array([], int))]), f)
    with pytest.raises(DatasetError, match=r'image 1 \(b\): not an image file'): load_retrieval(r, 'roxford5k')
