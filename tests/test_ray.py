"Scale-out: Ray Data on a local two-worker cluster writes the same content-keyed features as the single-process extractor."
import numpy as np
from hateful_memes.core.synth import ensure_dataset
from hateful_memes.core.data import load_split
from hateful_memes.clip.models import load_clip, image_features
from hateful_memes.retrieval.pool import layer_features
from hateful_memes.retrieval.scale import ray_image_features

def test_two_ray_workers_give_the_single_process_features(tmp_path, monkeypatch):
    paths = [m.path for m in load_split(ensure_dataset('smoke', progress=False), 'dev_seen', check_images='none').memes[:40]]
    clip = load_clip('hm-ViT-T-16', None)
    monkeypatch.setenv('HM_CACHE', str(tmp_path/'one'))
    one = image_features(clip, paths, workers=0, progress=False)
    conv = layer_features(clip, paths, 'conv1', ('mac',), workers=0, progress=False)['mac']
    monkeypatch.setenv('HM_CACHE', str(tmp_path/'ray'))
    import ray
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        two = ray_image_features(clip, paths, workers=2, batch_size=8, progress=False)
        maps = ray_image_features(clip, paths, workers=2, batch_size=8, layer='conv1', progress=False)
        assert ray.cluster_resources()['CPU'] == 2
    finally: ray.shutdown()
    np.testing.assert_allclose(two, one, atol=1e-4)
    # the maps went into the cache the single-process path reads: pooling them gives its MAC, computing nothing
    np.testing.assert_allclose(layer_features(clip, paths, 'conv1', ('mac',), workers=0, progress=False)['mac'], conv, atol=1e-4)
    assert maps.shape == (40, 192*6*6)
    # and a rerun finds everything cached: no cluster is started
    again = ray_image_features(clip, paths, workers=2, progress=False)
    np.testing.assert_array_equal(again, two)
    assert not ray.is_initialized()
