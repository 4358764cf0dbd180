"Files the project writes atomically keep the umask's mode, whichever library writes them (safetensors replaces the prepared file with a 0600 one)"
import os, stat
import torch
from safetensors.torch import save_file
from hateful_memes.core.base import atomic_path

def test_safetensors_written_through_atomic_path_keep_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        dst = tmp_path/'w.safetensors'
        with atomic_path(dst, suffix='.safetensors') as tmp: save_file({'w': torch.zeros(2)}, tmp)
        assert stat.S_IMODE(dst.stat().st_mode) == 0o644
    finally: os.umask(old)
