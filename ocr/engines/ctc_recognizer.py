"""PP-OCR's line recognizer on ONNX Runtime alone, without importing rapidocr.

Importing rapidocr builds its model-download catalogue (a 1,600-line YAML
file, turned into OmegaConf nodes twice): about 0.5 s before any model is
loaded, more than a born-digital page takes to read. A trusted text layer
still needs the recognizer (a few sampled cells are OCR'd to check the
layer) but never the detector, so the tuned engine reads line crops through
this session and imports rapidocr only when a page must be detected.

The session is built as rapidocr builds it (same session options and CPU
provider settings) and its output is decoded as rapidocr's ``CTCLabelDecode``
decodes it (greedy CTC: best class per step, repeats collapsed, blanks
dropped, confidence the mean of the kept steps' probabilities rounded to 5
places), with the character list the model carries in its metadata;
``tests/test_rec_batches.py`` checks the two agree on real crops.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

# rapidocr's EngineConfig.onnxruntime defaults (config.yaml), which its sessions are built with.
CPU_PROVIDER = ("CPUExecutionProvider", {"arena_extend_strategy": "kSameAsRequested"})
BLANK = 0


class CtcRecognizer:
    """One ONNX Runtime session of a PP-OCR recognition model and its CTC decoding."""

    def __init__(self, model_path: Path, threads: int | None = None) -> None:
        from onnxruntime import GraphOptimizationLevel, InferenceSession, SessionOptions

        options = SessionOptions()
        options.log_severity_level = 4
        options.enable_cpu_mem_arena = False
        options.graph_optimization_level = GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            if 1 <= threads <= (os.cpu_count() or 1):
                options.intra_op_num_threads = int(threads)
            options.inter_op_num_threads = 1
        self.session = InferenceSession(str(model_path), sess_options=options, providers=[CPU_PROVIDER])
        characters = self.session.get_modelmeta().custom_metadata_map["character"].splitlines()
        self.characters = np.array(["", *characters, " "], dtype=object)
        self._input = self.session.get_inputs()[0].name

    def __call__(self, batch: np.ndarray) -> list[tuple[str, float]]:
        """(text, confidence) for each normalized crop in a (n, 3, 48, width) float32 batch."""
        probabilities = self.session.run(None, {self._input: batch})[0]
        return [decode(step_probabilities, self.characters) for step_probabilities in probabilities]


def decode(probabilities: np.ndarray, characters: np.ndarray) -> tuple[str, float]:
    """Greedy CTC decoding of one line's (steps, classes) probabilities, as rapidocr does it."""
    best, scores = probabilities.argmax(axis=1), probabilities.max(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != BLANK
    kept = [round(score, 5) for score in scores[keep].tolist()] or [0]
    return "".join(characters[best[keep]]), float(np.mean(kept).round(5))
