"VisualBERT and the MMF converters: untrusted files, interrupted fine-tuning, and the hm_mmf command line."
import json, os, signal, subprocess, sys, textwrap, time
from pathlib import Path
import numpy as np, pytest, torch
from conftest import run_cli
from hateful_memes.memes.visualbert import VisualBertClassifier, small_config, load_visualbert, CheckpointError
from hateful_memes.memes.mmf import read_mmf_info, MmfFormatError
from hateful_memes.core.data import write_split


class Payload:
    "Pickles to a call that would create `marker` when unpickled"
    def __init__(self, marker): self.marker = marker
    def __reduce__(self): return (Path.touch, (Path(self.marker),))


def tiny_model(vocab=50, visual_dim=8):
    torch.manual_seed(0)
    return VisualBertClassifier(small_config(vocab, visual_dim, hidden=16, layers=1, heads=2))


def test_pickled_checkpoint_is_refused_and_never_runs(tmp_path):
    marker, ckpt = tmp_path/'ran', tmp_path/'best.ckpt'
    torch.save({'model': {'bert.embeddings.word_embeddings.weight': torch.zeros(3, 4)}, 'note': Payload(marker)}, ckpt)
    with pytest.raises(CheckpointError, match='best.ckpt: refused'): load_visualbert(ckpt)
    assert not marker.exists()


def test_mmf_info_payload_never_runs(tmp_path):
    marker, info = tmp_path/'ran', tmp_path/'00001_info.npy'
    np.save(info, np.array(Payload(marker), dtype=object), allow_pickle=True)
    with pytest.raises(MmfFormatError, match='00001_info.npy.*not allowed'): read_mmf_info(info)
    assert not marker.exists()


def test_corrupt_and_wrong_checkpoints_name_the_file(tmp_path):
    (tmp_path/'model.safetensors').write_bytes(b'\x00' * 20)
    with pytest.raises(CheckpointError, match='model.safetensors: not a readable safetensors'): load_visualbert(tmp_path)
    other = tmp_path/'resnet.pt'
    torch.save({'conv1.weight': torch.zeros(2, 3)}, other)
    with pytest.raises(CheckpointError, match='not a VisualBERT checkpoint'): load_visualbert(other)
    with pytest.raises(FileNotFoundError, match='x: no such checkpoint'): load_visualbert(tmp_path/'x')
    (tmp_path/'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='empty: no model.safetensors or pytorch_model.bin'): load_visualbert(tmp_path/'empty')


def test_hm_mmf_checkpoint_cli_converts_an_mmf_checkpoint(tmp_path):
    m = tiny_model()
    mmf = {}   # MMF's names for a VisualBertClassifier's weights, as mmf/models/visual_bert.py has them
    for k, v in m.state_dict().items():
        k = (k.replace('visual_bert.embeddings.visual_token_type_embeddings', 'bert.embeddings.token_type_embeddings_visual')
              .replace('visual_bert.embeddings.visual_position_embeddings', 'bert.embeddings.position_embeddings_visual')
              .replace('visual_bert.embeddings.visual_projection', 'bert.embeddings.projection')
              .replace('visual_bert.', 'bert.'))
        mmf['model.' + k] = v
    torch.save({'model': mmf, 'config': {'model': 'visual_bert'}}, tmp_path/'best.ckpt')
    out = tmp_path/'vb.safetensors'
    r = run_cli('hm_mmf', 'checkpoint', tmp_path/'best.ckpt', '--out', out)
    assert json.loads(r.stdout)['layout'] == 'mmf'
    loaded, rep = load_visualbert(out, heads=2)
    assert rep['missing'] == [] and rep['unexpected'] == []
    assert all(torch.equal(loaded.state_dict()[k], v) for k, v in m.state_dict().items())


def test_hm_mmf_predictions_cli(tmp_path):
    (tmp_path/'img').mkdir()
    write_split(tmp_path/'dev_seen.jsonl', [dict(id=i, img=f'img/{i:05d}.png', label=i % 2, text='t') for i in range(1, 11)])
    (tmp_path/'p.csv').write_text('id,proba,label\n' + ''.join(f'{i},{0.2 + 0.6*(i % 2)},{i % 2}\n' for i in range(1, 11)))
    r = run_cli('hm_mmf', 'predictions', tmp_path/'p.csv', '--root', tmp_path, '--out', tmp_path/'m')
    assert json.loads(r.stdout.splitlines()[0])['auroc'] == 1.0
    assert json.loads((tmp_path/'m'/'metrics.json').read_text())['rows'][0]['n'] == 10
    (tmp_path/'p.csv').write_text('id,proba,label\n1,0.3,0\n2,1.7,1\n')
    r = run_cli('hm_mmf', 'predictions', tmp_path/'p.csv', '--root', tmp_path, check=False)
    assert r.returncode != 0 and 'p.csv:3: bad row' in r.stderr


TRAIN = textwrap.dedent("""
    import os, sys
    from hateful_memes.memes.visualbert_train import visualbert_features
    run, _ = visualbert_features('smoke', 'hm-ViT-T-16', 'random', progress=False, epochs=int(sys.argv[1]), patience=50)
    print('EPOCHS', [h['epoch'] for h in run.history])
""")

def test_killed_fine_tuning_resumes(tmp_path):
    "A fine-tuning run killed mid-way continues from its last finished epoch"
    env = {**os.environ, 'HM_CACHE': str(tmp_path/'cache')}
    p = subprocess.Popen([sys.executable, '-c', TRAIN, '12'], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    resume = None
    for _ in range(600):
        time.sleep(0.5)
        found = list((tmp_path/'cache'/'visualbert').glob('*/resume.pt'))
        if found and torch.load(found[0], weights_only=True)['stopping']['epoch'] >= 2: resume = found[0]; break
        assert p.poll() is None, p.communicate()
    p.send_signal(signal.SIGKILL); p.wait()
    done = torch.load(resume, weights_only=True)['stopping']['epoch']
    r = subprocess.run([sys.executable, '-c', TRAIN, '12'], env=env, capture_output=True, text=True, check=True)
    assert f'resuming after epoch {done}' in r.stderr
    assert 'EPOCHS ' + str(list(range(12))) in r.stdout
    assert not resume.exists() and (resume.parent/'run.json').is_file()
