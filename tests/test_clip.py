"Feature extraction: an interrupted run resumes; bad inputs and checkpoints fail clearly."
import numpy as np, pytest, torch
from hateful_memes.core.synth import ensure_dataset
from hateful_memes.core.data import load_split, ImageError
from hateful_memes.clip.models import load_clip, image_features, FeatureCache

@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    return tmp_path/'cache'

@pytest.fixture(scope='module')
def paths():
    root = ensure_dataset('smoke', progress=False)
    return [m.path for m in load_split(root, 'train', check_images='none').memes[:40]]

class Interrupt(Exception): pass

def count_encodes(clip, fail_after=None):
    "Wrap the model's image encoder to count images encoded and optionally fail after some batches"
    seen, orig = [], clip.model.encode_image
    def encode(x, *a, **kw):
        if fail_after is not None and len(seen) >= fail_after: raise Interrupt('killed mid-run')
        seen.append(len(x)); return orig(x, *a, **kw)
    clip.model.encode_image = encode
    return seen

def test_interrupted_extraction_resumes_with_only_the_missing(cache, paths):
    clip = load_clip('hm-ViT-T-16')
    reference = image_features(clip, paths, batch_size=4, cache=False, workers=0, progress=False)
    assert not cache.joinpath('features').exists()                        # cache=False wrote nothing

    seen = count_encodes(clip, fail_after=5)                              # dies in the 6th batch of 10
    with pytest.raises(Interrupt):
        image_features(clip, paths, batch_size=4, shard_batches=2, workers=0, progress=False)
    assert sum(seen) == 20
    shards = list(cache.glob('features/*/shard-*.npz'))
    assert len(shards) == 2                                               # batches 1-4 saved; batch 5 was lost with the run
    assert not list(cache.glob('features/*/*.tmp*'))                      # no half-written files

    clip2 = load_clip('hm-ViT-T-16')
    seen2 = count_encodes(clip2)
    again = image_features(clip2, paths, batch_size=4, shard_batches=2, workers=0, progress=False)
    assert sum(seen2) == 40 - 16                                          # only what was missing
    np.testing.assert_allclose(again, reference, atol=1e-5)

    seen3 = count_encodes(clip2)
    np.testing.assert_array_equal(image_features(clip2, paths, batch_size=4, workers=0, progress=False), again)
    assert seen3 == []                                                    # warm: nothing computed

def test_other_weights_do_not_reuse_the_cache(cache, paths):
    a, b = load_clip('hm-ViT-T-16', seed=0), load_clip('hm-ViT-T-16', seed=1)
    fa = image_features(a, paths[:4], workers=0, progress=False)
    seen = count_encodes(b)
    fb = image_features(b, paths[:4], workers=0, progress=False)
    assert sum(seen) == 4 and not np.allclose(fa, fb)

def test_broken_image_names_the_file(cache, paths, tmp_path):
    bad = tmp_path/'img'/'00001.png'; bad.parent.mkdir()
    bad.write_bytes(paths[0].read_bytes()[:200])                          # truncated PNG
    with pytest.raises(ImageError, match='00001.png'):
        image_features(load_clip('hm-ViT-T-16'), [paths[1], bad], workers=0, progress=False)

def test_pickled_checkpoint_is_refused(tmp_path):
    clip = load_clip('hm-RN-T')
    class Evil:
        def __reduce__(self): return (exec, ("open('owned', 'w')",))
    torch.save(dict(clip.model.state_dict(), extra=Evil()), tmp_path/'evil.pt')
    with pytest.raises(ValueError, match=r'evil.pt: refused: this checkpoint holds objects other than tensors') as e:
        load_clip('hm-RN-T', tmp_path/'evil.pt')
    assert 'weights_only=False' not in str(e.value)       # never advise the unsafe load
    assert not (tmp_path/'owned').exists()

def test_shards_are_read_without_pickle(tmp_path):
    # a well-formed shard whose keys are a pickled object array: loads with allow_pickle=True, must not here
    np.savez(tmp_path/'shard-evil.npz', keys=np.array([object()], dtype=object), feats=np.zeros((1, 2), np.float32))
    with np.load(tmp_path/'shard-evil.npz', allow_pickle=True) as z: assert z['keys'].dtype == object
    with pytest.raises(ValueError, match=r'shard-evil.npz: not a readable feature shard'):
        FeatureCache(tmp_path)
