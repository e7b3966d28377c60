"""The detector on a thin, wide strip (a caption squeezed between two tables): found, and cheap.

rapidocr scales an image up until its short side is 736 px; a 48 px high strip
2400 px wide became 36000 px wide and took 4 GB. The engine pads instead.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
from PIL import Image, ImageDraw

from samples.synth.fonts import FontSet

STRIP = (48, 2400)


def caption_strip() -> np.ndarray:
    image = Image.new("L", (STRIP[1], STRIP[0]), 255)
    ImageDraw.Draw(image).text((60, 24), "部门名称：某某局", font=FontSet().pil(30, False), fill=0, anchor="lm")
    return np.asarray(image)


def test_a_thin_strip_is_read_where_its_text_is():
    from flows.core.engine_cache import shared_engine

    lines = shared_engine("rapidocr", None).detect(caption_strip())
    assert len(lines) == 1
    line = lines[0]
    assert 40 <= line.x0 <= 70 and 250 <= line.x1 <= 330 and line.y0 < 15 and line.y1 > 33


def test_a_thin_strip_costs_no_gigabytes():
    script = textwrap.dedent(
        """
        from flows.core.engine_cache import shared_engine
        from tests.test_rapid_detect import caption_strip
        shared_engine("rapidocr", None).detect(caption_strip())
        # VmHWM belongs to this process image alone; ru_maxrss would carry over the peak of a
        # large parent (pytest after many OCR tests) through fork and exec.
        status = open("/proc/self/status").read().split("VmHWM:")[1]
        print(int(status.split()[0]) // 1024)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert int(done.stdout.strip().splitlines()[-1]) < 1000  # MB; 4 GB before padding
