"Checkpoints the project wrote: an unreadable one is an error that names its path and says what to do, never advice to unpickle it (issue 35)"
import pytest, torch
from hateful_memes.core.base import CheckpointError

def test_a_truncated_sr_network_names_its_file(tmp_path, monkeypatch):
    "Before: safetensors' raw SafetensorError, without the path"
    monkeypatch.setenv('HM_DATA', str(tmp_path/'data')); monkeypatch.setenv('HM_CACHE', str(tmp_path/'cache'))
    from hateful_memes.hotel.superres import sr_net
    sr_net('smoke', progress=False)
    f = next((tmp_path/'cache').rglob('*.safetensors'))
    f.write_bytes(f.read_bytes()[:100])
    with pytest.raises(CheckpointError, match=rf"{f}: not a readable checkpoint \(SafetensorError.*delete it and run again"): sr_net('smoke', progress=False)

def test_a_resume_state_with_pickled_objects_is_refused_by_name(tmp_path):
    "Before: torch's raw UnpicklingError, which suggests weights_only=False"
    from hateful_memes.memes.visualbert_train import _load_resume
    p = tmp_path/'resume.pt'
    torch.save({'epoch': 2, 'odd': tmp_path}, p)
    with pytest.raises(CheckpointError) as e: _load_resume(p)
    assert str(p) in str(e.value) and 'weights_only=False' not in str(e.value) and 'afresh' in str(e.value), str(e.value)
