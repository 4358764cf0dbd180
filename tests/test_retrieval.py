"Retrieval data: the real layouts' bad input (named file and line), the restricted pickle loader, and the revisited scores on a hand-made ranking."
import pickle
import numpy as np
import pytest
from PIL import Image
from hateful_memes.core.data import DatasetError
from hateful_memes.retrieval.data import load_retrieval, read_plain_pickle
from hateful_memes.retrieval.evaluate import revisited_map

def _images(root, *names):
    (root/'jpg').mkdir(exist_ok=True)
    for n in names: Image.new('RGB', (8, 8)).save(root/'jpg'/f'{n}.jpg')

class RunsCode:
    def __init__(self, path): self.path = path
    def __reduce__(self): return (open, (self.path, 'w'))      # would create a file if it ran

def test_pickle_that_would_run_code_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path/'ran'
    with open(tmp_path/'gnd_roxford5k.pkl', 'wb') as f: pickle.dump(dict(imlist=['a'], qimlist=[], gnd=[RunsCode(str(marker))]), f)
    _images(tmp_path, 'a')
    with pytest.raises(DatasetError, match=r'gnd_roxford5k.pkl: refused \((io|builtins).open is not allowed'):
        load_retrieval(tmp_path, 'roxford5k')
    assert not marker.exists()

def test_revisited_pickle_loads_as_distributed(tmp_path):
    _images(tmp_path, 'a', 'b', 'c', 'd', 'q')
    gnd = [dict(bbx=np.array([0., 0, 4, 4]), easy=np.array([2]), hard=np.array([0]), junk=np.array([1]))]
    with open(tmp_path/'gnd_rparis6k.pkl', 'wb') as f: pickle.dump(dict(imlist=['a', 'b', 'c', 'd'], qimlist=['q'], gnd=gnd), f, protocol=2)
    rs = load_retrieval(tmp_path)
    assert (rs.name, rs.gnd, rs.bbx) == ('rparis6k', [dict(easy=[2], hard=[0], junk=[1])], [[0.0, 0.0, 4.0, 4.0]])
    # ranked d, b, a, c. Easy: b and a removed, c second: AP (0 + 1/2)/2. Medium: b removed, a and c second and third:
    # (0 + 1/2)/2/2 + (1/2 + 2/3)/2/2. Hard: b and c removed, a second: (0 + 1/2)/2.
    m = revisited_map(np.array([[3, 1, 0, 2]]), rs.gnd, n_resamples=10)
    assert [m[p]['map'] for p in ('easy', 'medium', 'hard')] == pytest.approx([25.0, 100*(0.125 + 7/24), 25.0])

@pytest.mark.parametrize('spoil, message', [
    (lambda d: (d/'jpg'/'b.jpg').unlink(), r'image 1 \(b\) is missing'),
    (lambda d: pickle.dump(dict(imlist=['a', '../../etc/passwd'], qimlist=[], gnd=[]), open(d/'gnd_x.pkl', 'wb')), 'escapes the dataset folder'),
    (lambda d: pickle.dump(dict(imlist=['a'], qimlist=['q'], gnd=[dict(easy=np.array([5]))]), open(d/'gnd_x.pkl', 'wb')), r'gnd\[0\].easy: database index 5 out of range'),
    (lambda d: pickle.dump(['not', 'a', 'mapping'], open(d/'gnd_x.pkl', 'wb')), 'expected a mapping with imlist, qimlist and gnd'),
    (lambda d: (d/'gnd_x.pkl').write_bytes(b'\x80\x04truncated'), 'gnd_x.pkl: refused'),
])
def test_revisited_bad_input_names_the_file(tmp_path, spoil, message):
    _images(tmp_path, 'a', 'b', 'q')
    with open(tmp_path/'gnd_x.pkl', 'wb') as f: pickle.dump(dict(imlist=['a', 'b'], qimlist=['q'], gnd=[dict(easy=np.array([0]))]), f)
    spoil(tmp_path)
    with pytest.raises(DatasetError, match=message): load_retrieval(tmp_path, 'x')

def _oxford(d):
    _images(d, 'all_souls_000013', 'all_souls_000026', 'magdalen_000001')
    (d/'gt_files').mkdir()
    (d/'gt_files'/'all_souls_1_query.txt').write_text('oxc1_all_souls_000013 136.5 34.1 648.5 955.4\n')
    (d/'gt_files'/'all_souls_1_good.txt').write_text('all_souls_000026\n')
    (d/'gt_files'/'all_souls_1_ok.txt').write_text('\n')
    (d/'gt_files'/'all_souls_1_junk.txt').write_text('magdalen_000001\n')

@pytest.mark.parametrize('spoil, message', [
    (lambda g: (g/'all_souls_1_query.txt').write_text('oxc1_all_souls_000013 136.5 34.1\n'), r"all_souls_1_query.txt:1: expected one line '<image> x1 y1 x2 y2'"),
    (lambda g: (g/'all_souls_1_query.txt').write_text('oxc1_all_souls_000013 a b c d\n'), r'all_souls_1_query.txt:1: the box .* is not four numbers'),
    (lambda g: (g/'all_souls_1_ok.txt').unlink(), r'all_souls_1_ok.txt: missing'),
    (lambda g: (g/'all_souls_1_good.txt').write_text('all_souls_000026\n\nhertford_000015\n'), r"all_souls_1_good.txt:3: image 'hertford_000015' is not in"),
])
def test_oxford_text_lists_bad_input_names_file_and_line(tmp_path, spoil, message):
    _oxford(tmp_path)
    assert load_retrieval(tmp_path).gnd == [dict(easy=[1], hard=[], junk=[2])]
    spoil(tmp_path/'gt_files')
    with pytest.raises(DatasetError, match=message): load_retrieval(tmp_path)

def test_missing_folder_and_layout(tmp_path):
    with pytest.raises(DatasetError, match='no such retrieval data folder'): load_retrieval(tmp_path/'nope')
    with pytest.raises(DatasetError, match=r'no gnd_<name>.json, gnd_<name>.pkl or gt_files/ here'): load_retrieval(tmp_path)

def test_plain_pickle_reader_refuses_other_classes(tmp_path):
    import collections
    with open(tmp_path/'x.pkl', 'wb') as f: pickle.dump(collections.OrderedDict(a=1), f)
    with pytest.raises(DatasetError, match='collections.OrderedDict is not allowed'): read_plain_pickle(tmp_path/'x.pkl')

def test_image_folder_and_fer_csv_bad_input(tmp_path, monkeypatch):
    from hateful_memes.retrieval.data import image_folder, fer_csv
    monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    with pytest.raises(DatasetError, match='no such image folder'): image_folder(tmp_path/'nope')
    (tmp_path/'set').mkdir()
    with pytest.raises(DatasetError, match='no class sub-folders'): image_folder(tmp_path/'set')
    (tmp_path/'fer.csv').write_text('label,image\n1,2\n')
    with pytest.raises(DatasetError, match=r"fer.csv:1: expected the header emotion,pixels"): fer_csv(tmp_path/'fer.csv')
    (tmp_path/'fer.csv').write_text('emotion,pixels,Usage\n' + '2,' + ' '.join(['7']*2304) + ',Training\n' + 'x,1 2,Training\n')
    with pytest.raises(DatasetError, match=r'fer.csv:3: expected an emotion 0-6'): fer_csv(tmp_path/'fer.csv')
    with pytest.raises(DatasetError, match=r"no rows with Usage 'PrivateTest'"): fer_csv(tmp_path/'fer.csv', 'PrivateTest')

def test_retrieval_set_made_over_a_killed_runs_leftovers(tmp_path):
    "A .partial folder left by a killed run is cleared and the set is made afresh"
    from hateful_memes.retrieval.data import make_retrieval_set
    (tmp_path/'.r.partial'/'jpg').mkdir(parents=True)
    (tmp_path/'.r.partial'/'jpg'/'db_00000.jpg').write_bytes(b'half')
    out = make_retrieval_set('smoke', tmp_path/'r', progress=False)
    assert not (tmp_path/'.r.partial').exists() and len(load_retrieval(out)) > 0
