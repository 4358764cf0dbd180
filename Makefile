# The two commands. Each sets up what it needs on first use (tools/setup.sh).
.PHONY: results pretrain test setup bench bench-ocr bench-retrieval bench-ray bench-vb-regions docs

## make results: run every result notebook on the embedded default profile (the main job), then regenerate the README from its results
results: setup
	.venv/bin/hm_results --profile default
	.venv/bin/hm_readme

## make pretrain: pretrain the embedded default's encoders (the LiT encoder over 3 seeds, its strict control, the from-scratch
## control) into hateful_memes/weights/ with their record; ~10 min on 2 cores, uses the GPU when there is one. Their weights ship:
## run it only after changing the synthetic corpus, configs/clip/pretrain*.json or clip.pretrain (the main job says so)
pretrain: setup
	.venv/bin/hm_pretrain --profile default

## make test: library/notebook sync checks, then nbdev_test beside pytest (with the smoke pipeline); expensive fixtures are kept
## in .cache/test/<key> between runs (the key: code, tests, packages, tools, media); `make test COLD=1` makes them afresh
test: setup
	bash tools/test.sh

## make bench: CLIP feature-extraction benchmark (ratios against a seed-style loop and the model alone)
bench: setup
	.venv/bin/python bench/clip_extract.py --out bench/results/clip_extract.json

## make bench-ocr: OCR images per second and distance: today's easyocr path, the faster one (detector capped at 320 px), tesseract
bench-ocr: setup
	.venv/bin/python bench/ocr_speed.py --out bench/results/ocr_speed.json

## make bench-retrieval: per-query latency and recall@10 of faiss flat / IVF against NumPy, galleries of 10k and 100k
bench-retrieval: setup
	.venv/bin/python bench/retrieval_search.py --out bench/results/retrieval_search.json

## make bench-ray: embedding images with Ray Data actors, one worker against two, beside the single-process extractor
bench-ray: setup
	.venv/bin/python bench/ray_embed.py --out bench/results/ray_embed.json

## make bench-vb-regions: peak memory of VisualBERT's region tokens written to disk and read a batch at a time, against held in memory
## (10,000 memes x 100 regions x 2,048: a 8.2 GB fixture and as much again for the map, both removed at the end)
bench-vb-regions: setup
	.venv/bin/python bench/vb_regions.py --out bench/results/vb_regions.json

## make docs: the docs site from the notebooks and committed results (_site/; with Quarto installed, _docs/)
docs: setup
	.venv/bin/hm_docs

setup:
	bash tools/setup.sh
