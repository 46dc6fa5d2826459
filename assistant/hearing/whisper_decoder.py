"""Whisper's text decoder in numpy, one token at a time for many hypotheses at once.

A search over the command grammar asks, at every step, how likely each allowed token is after
each hypothesis so far. CTranslate2 answers that only by decoding each prefix again, with the
utterance's keys and values projected anew for every hypothesis; here they are projected once
per utterance (`memory`) and each hypothesis keeps its own self-attention cache, so a step
costs one token's work per hypothesis. The weights are read from the same CTranslate2 model
folder the encoder runs from (`model.bin`, the format of CTranslate2's `model_spec.py`).
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]
LN_EPS = np.float32(1e-5)
_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}
"""Stored types (weights are float; CTranslate2 quantizes when it loads, not in the file)."""


class ModelFileError(RuntimeError):
    """model.bin could not be read as a CTranslate2 Whisper model."""


def read_variables(path: Path, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The variables whose names start with `prefix` (copied out), and every alias.

    Layout: version, spec name, revision; per variable its name, rank, dims, type and bytes;
    then aliases. Strings are a uint16 length (with the NUL) and the bytes."""
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        at = 0

        def number(fmt: str) -> int:
            nonlocal at
            (value,) = struct.unpack_from("<" + fmt, buf, at)
            at += struct.calcsize(fmt)
            return int(value)

        def text() -> str:
            nonlocal at
            size = number("H")
            at += size
            return bytes(buf[at - size : at - 1]).decode("utf-8")

        version = number("I")
        if not 3 <= version <= 6:
            raise ModelFileError(f"model.bin format {version} is not one this reader knows")
        text()
        number("I")
        found: dict[str, np.ndarray] = {}
        for _ in range(number("I")):
            name = text()
            shape = tuple(number("I") for _ in range(number("B")))
            dtype = _DTYPES.get(number("B"))
            size = number("I")
            if name.startswith(prefix):
                if dtype is None:
                    raise ModelFileError(f"{name} has a type this reader does not know")
                count = size // np.dtype(dtype).itemsize
                found[name] = np.frombuffer(buf, dtype, count, at).reshape(shape).copy()
            at += size
        aliases = {text(): text() for _ in range(number("I"))}
    return found, aliases


@dataclass(frozen=True)
class _Layer:
    ln_self: tuple[Array, Array]
    qkv: tuple[Array, Array]
    self_out: tuple[Array, Array]
    ln_cross: tuple[Array, Array]
    query: tuple[Array, Array]
    key_value: tuple[Array, Array]
    cross_out: tuple[Array, Array]
    ln_mlp: tuple[Array, Array]
    up: tuple[Array, Array]
    down: tuple[Array, Array]


@dataclass(frozen=True)
class Memory:
    """One utterance as each layer's cross-attention sees it."""

    keys: list[Array]
    """Per layer, (heads, head_dim, frames)."""
    values: list[Array]
    """Per layer, (heads, frames, head_dim)."""


@dataclass(frozen=True)
class Hypotheses:
    """Token prefixes decoded so far, their caches, and what each thinks comes next."""

    keys: list[Array]
    """Per layer, (hypotheses, length, heads, head_dim)."""
    values: list[Array]
    log_probs: Array
    """(hypotheses, vocabulary): log probability of each next token."""

    @property
    def length(self) -> int:
        return int(self.keys[0].shape[1])


class WhisperDecoder:
    """Whisper's pre-LayerNorm decoder: learned positions, output tied to the embedding."""

    def __init__(self, model_dir: Path) -> None:
        weights, aliases = read_variables(Path(model_dir) / "model.bin", "decoder/")

        def get(name: str) -> Array:
            value: Array = np.ascontiguousarray(weights[aliases.get(name, name)], np.float32)
            return value

        def linear(scope: str) -> tuple[Array, Array]:
            weight = get(f"{scope}/weight")
            bias = weights.get(f"{scope}/bias")
            zeros = np.zeros(weight.shape[0], np.float32)
            return np.ascontiguousarray(weight.T), zeros if bias is None else get(f"{scope}/bias")

        def norm(scope: str) -> tuple[Array, Array]:
            return get(f"{scope}/gamma"), get(f"{scope}/beta")

        count = len({n.split("/")[1] for n in weights if re.match(r"decoder/layer_\d+/", n)})
        self._layers = [
            _Layer(
                norm(f"decoder/layer_{i}/self_attention/layer_norm"),
                linear(f"decoder/layer_{i}/self_attention/linear_0"),
                linear(f"decoder/layer_{i}/self_attention/linear_1"),
                norm(f"decoder/layer_{i}/attention/layer_norm"),
                linear(f"decoder/layer_{i}/attention/linear_0"),
                linear(f"decoder/layer_{i}/attention/linear_1"),
                linear(f"decoder/layer_{i}/attention/linear_2"),
                norm(f"decoder/layer_{i}/ffn/layer_norm"),
                linear(f"decoder/layer_{i}/ffn/linear_0"),
                linear(f"decoder/layer_{i}/ffn/linear_1"),
            )
            for i in range(count)
        ]
        if count == 0:
            raise ModelFileError("model.bin has no decoder layers")
        self._embedding = get("decoder/embeddings/weight")
        self._positions = get("decoder/position_encodings/encodings")
        self._final = norm("decoder/layer_norm")
        heads = weights.get("decoder/num_heads")
        if heads is None:
            raise ModelFileError("model.bin does not say how many attention heads it has")
        self._heads = int(heads.reshape(-1)[0])
        self._dim = self._embedding.shape[1]
        self.max_length = len(self._positions)

    def memory(self, encoded: npt.ArrayLike) -> Memory:
        """The utterance's keys and values for every layer: once per utterance."""
        x = np.asarray(encoded, np.float32).reshape(-1, self._dim)
        keys, values = [], []
        for layer in self._layers:
            both = _apply(x, layer.key_value)
            k, v = (part.reshape(len(x), self._heads, -1) for part in np.split(both, 2, axis=1))
            keys.append(np.ascontiguousarray(k.transpose(1, 2, 0)))
            values.append(np.ascontiguousarray(v.transpose(1, 0, 2)))
        return Memory(keys, values)

    def begin(self, prompt: list[int], memory: Memory) -> Hypotheses:
        """One hypothesis: the prompt (start tokens), decoded token by token."""
        empty = [np.zeros((1, 0, self._heads, self._dim // self._heads), np.float32)] * len(
            self._layers
        )
        found = Hypotheses(empty, list(empty), np.zeros((1, 0), np.float32))
        for token in prompt:
            found = self.advance(found, np.zeros(1, np.int64), np.array([token]), memory)
        return found

    def advance(
        self,
        before: Hypotheses,
        parents: npt.NDArray[np.int64],
        tokens: npt.NDArray[np.int64],
        memory: Memory,
    ) -> Hypotheses:
        """New hypotheses: each `parents[i]`'s prefix followed by `tokens[i]`."""
        n, heads = len(tokens), self._heads
        x = self._embedding[tokens] + self._positions[before.length]
        keys, values = [], []
        for index, layer in enumerate(self._layers):
            q, k, v = np.split(_apply(_norm(x, layer.ln_self), layer.qkv), 3, axis=1)
            k_all = np.concatenate([before.keys[index][parents], k.reshape(n, 1, heads, -1)], 1)
            v_all = np.concatenate([before.values[index][parents], v.reshape(n, 1, heads, -1)], 1)
            keys.append(k_all)
            values.append(v_all)
            x = x + _apply(_attend(q.reshape(n, heads, -1), k_all, v_all), layer.self_out)
            q = _apply(_norm(x, layer.ln_cross), layer.query).reshape(n, heads, -1)
            x = x + _apply(_cross(q, memory, index), layer.cross_out)
            x = x + _apply(_gelu(_apply(_norm(x, layer.ln_mlp), layer.up)), layer.down)
        logits = (self._embedding @ _norm(x, self._final).T).T
        return Hypotheses(keys, values, _log_softmax(logits))


def _apply(x: Array, linear: tuple[Array, Array]) -> Array:
    out: Array = x @ linear[0] + linear[1]
    return out


def _norm(x: Array, gamma_beta: tuple[Array, Array]) -> Array:
    centered = x - x.mean(-1, keepdims=True)
    spread = np.sqrt((centered * centered).mean(-1, keepdims=True) + LN_EPS)
    out: Array = centered / spread * gamma_beta[0] + gamma_beta[1]
    return out


def _attend(q: Array, keys: Array, values: Array) -> Array:
    """Each hypothesis's new query over its own prefix (n, heads, d) -> (n, heads * d)."""
    scores = np.einsum("nhd,nlhd->nhl", q, keys) / np.float32(np.sqrt(q.shape[-1]))
    weights = _softmax(scores)
    out: Array = np.einsum("nhl,nlhd->nhd", weights, values).reshape(len(q), -1)
    return out


def _cross(q: Array, memory: Memory, index: int) -> Array:
    scores = q.transpose(1, 0, 2) @ memory.keys[index] / np.float32(np.sqrt(q.shape[-1]))
    out: Array = (_softmax(scores) @ memory.values[index]).transpose(1, 0, 2)
    return out.reshape(len(q), -1)


def _softmax(x: Array) -> Array:
    e = np.exp(x - x.max(-1, keepdims=True))
    out: Array = e / e.sum(-1, keepdims=True)
    return out


def _log_softmax(x: Array) -> Array:
    top = x.max(-1, keepdims=True)
    out: Array = x - top - np.log(np.exp(x - top).sum(-1, keepdims=True))
    return out


def _gelu(x: Array) -> Array:
    """Whisper's exact GELU, x * Phi(x), with erf by Abramowitz and Stegun 7.1.26."""
    z = np.abs(x) / np.float32(np.sqrt(2.0))
    t = 1 / (1 + np.float32(0.3275911) * z)
    poly = t * (
        np.float32(0.254829592)
        + t
        * (
            np.float32(-0.284496736)
            + t * (np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * 1.061405429))
        )
    )
    erf = 1 - poly * np.exp(-z * z)
    out: Array = (np.float32(0.5) * x * (1 + np.sign(x) * erf)).astype(np.float32)
    return out
