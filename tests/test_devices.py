"Every training loop runs on the device `get_device` names (`device=`, else $HM_DEVICE, else cuda when present): asked for cuda on a machine without one, each fails in torch's CUDA set-up rather than training quietly on the CPU (issue 33). On a GPU machine these would train, so they are skipped there."
import numpy as np, pytest, torch
from PIL import Image

pytestmark = pytest.mark.skipif(torch.cuda.is_available(), reason='a GPU is present: asking for cuda would train')
NO_CUDA = 'CUDA|NVIDIA|cuda'

def test_seed_mlp():
    from hateful_memes.memes.protocol import seed_mlp
    X, y = np.random.default_rng(0).normal(size=(8, 4)), np.array([0, 1]*4)
    assert seed_mlp(X, y, X, y, epochs=1, device='cpu')['history'][0]['epoch'] == 0      # the same call on the CPU trains
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA): seed_mlp(X, y, X, y, epochs=1, device='cuda')

def test_fusion_and_hateclipper():
    from hateful_memes.memes.fusion import train_fusion
    from hateful_memes.memes.hateclipper import train_hateclipper
    r = np.random.default_rng(0); I, T, y = r.normal(size=(20, 4)), r.normal(size=(20, 3)), np.array([0, 1]*10)
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA): train_fusion(I, T, y, 'concat', epochs=1, device='cuda')
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA): train_hateclipper(I, T, y, I, T, y, epochs=1, device='cuda')

def test_visualbert_follows_hm_device(tmp_path, monkeypatch):
    from hateful_memes.memes.visualbert import VisualTokens
    from hateful_memes.memes.visualbert_train import VBInputs, VBTrainConfig, ensure_visualbert
    monkeypatch.setenv('HM_CACHE', str(tmp_path)); monkeypatch.setenv('HM_DEVICE', 'cuda')
    vis = VisualTokens(np.zeros((6, 2, 8), np.float32), np.ones((6, 2), np.int64), 'test')
    d = VBInputs([f'text number {i}' for i in range(6)], vis, np.array([0, 1]*3), list(range(6)))
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA):
        ensure_visualbert(dict(train=d, dev_unseen=d), VBTrainConfig(hidden=16, layers=1, heads=2, epochs=1), progress=False)

def test_superres(tmp_path):
    from hateful_memes.hotel.superres import train_sr
    Image.new('RGB', (64, 64), 'red').save(tmp_path/'hi.png'); Image.new('RGB', (16, 16), 'red').save(tmp_path/'lo.png')
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA): train_sr([tmp_path/'hi.png'], [tmp_path/'lo.png'], steps=1, progress=False, device='cuda')

def test_infographics_net():
    from hateful_memes.infographics.classify import train_classifier
    X = dict(image=np.zeros((4, 3, 64, 64), np.float32), meet=np.zeros((4, 1, 64, 64), np.float32), soft=np.zeros((4, 1, 128, 128), np.float32))
    y = np.array([0, 1, 2, 3])
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA): train_classifier(X, y, X, y, progress=False, device='cuda')

def test_captioner():
    from hateful_memes.captions.data import Vocab, CaptionConfig
    from hateful_memes.captions.model import train_captioner
    refs = [['a red cup'], ['a blue dog']]; X = np.zeros((2, 4, 8), np.float32)
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA):
        train_captioner(X, refs, X, refs, Vocab.build(refs), CaptionConfig(epochs=1), progress=False, device='cuda')

def test_clip_pretraining_loop(monkeypatch):
    import hateful_memes.clip.train as ct
    monkeypatch.setattr(ct, 'training_pairs', lambda root: (['a.png', 'b.png'], ['one', 'two']))
    monkeypatch.setattr(ct, 'preprocessed', lambda paths, preprocess, seed, progress: torch.zeros(2, 3, 32, 32))
    with pytest.raises((RuntimeError, AssertionError), match=NO_CUDA):
        ct.train_clip('hm-ViT-T-16', 'unused', ct.TrainConfig(epochs=1, batch_size=2), progress=False, device='cuda')
