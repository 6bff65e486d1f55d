"""all-MiniLM-L6-v2's forward pass in numpy: BERT encoder, mean pooling, unit length.

The weights are read with safetensors' numpy loader from the installed model package
(files.py); the architecture (layers, heads, sizes) from its config.json. Inference only: no
dropout. Texts are encoded in batches of similar length, padded, with padding masked out of
attention and of the mean, so a text's vector does not depend on its batch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf

from interview_advisor.embeddings.files import model_dir, read_json
from interview_advisor.embeddings.tokenizer import WordPieceTokenizer


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class SentenceEncoder:
    def __init__(self, weights: Dict[str, np.ndarray], config: Dict[str, int],
                 tokenizer: WordPieceTokenizer, batch_size: int = 32) -> None:
        self.w = {k: (v.T.copy() if k.endswith(".weight") and v.ndim == 2
                      and "embeddings" not in k else v) for k, v in weights.items()}
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dim = int(config["hidden_size"])
        self.tokenizer = tokenizer
        self.batch_size = batch_size

    @classmethod
    def load(cls, folder: Optional[Path] = None, max_length: Optional[int] = None,
             batch_size: int = 32) -> SentenceEncoder:
        folder = folder or model_dir()
        length = max_length or int(read_json("sentence_bert_config.json", folder)
                                   .get("max_seq_length", 256))
        pooling = read_json("1_Pooling/config.json", folder)
        if not pooling.get("pooling_mode_mean_tokens"):
            raise ValueError("this encoder implements mean pooling only")
        tokenizer = WordPieceTokenizer.from_vocab_file(folder / "vocab.txt", length)
        return cls(load_file(str(folder / "model.safetensors")),
                   read_json("config.json", folder), tokenizer, batch_size)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One float32 vector per text, shape (len(texts), dim): unit length, or zero for a
        text with no word piece the model knows (empty, emoji only, a script missing from
        its vocabulary) - the model would give all of those one and the same vector, which
        a classifier then reads as a meaning ("🦄🦄🦄" as a greeting)."""
        ids = [self.tokenizer.encode(t) for t in texts]
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        special = {self.tokenizer.cls, self.tokenizer.sep, self.tokenizer.unk}
        order = sorted((i for i in range(len(ids)) if set(ids[i]) - special),
                       key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start:start + self.batch_size]
            out[chunk] = self._encode_batch([ids[i] for i in chunk])
        return out

    def _encode_batch(self, batch: List[List[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        tokens = np.full((len(batch), width), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1.0
        x = self._embed(tokens)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # (batch, 1, 1, keys)
        for layer in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{layer}.")
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _embed(self, tokens: np.ndarray) -> np.ndarray:
        w, width = self.w, tokens.shape[1]
        x = (w["embeddings.word_embeddings.weight"][tokens]
             + w["embeddings.position_embeddings.weight"][:width][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        return _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"],
                           self.eps)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        flat = x.reshape(-1, x.shape[-1])  # one 2-D BLAS product, not one per batch row
        result = flat @ self.w[name + ".weight"] + self.w[name + ".bias"]
        return result.reshape(*x.shape[:-1], -1)

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        batch, width, dim = x.shape
        size = dim // self.heads

        def heads(t: np.ndarray) -> np.ndarray:  # (batch, heads, width, size)
            return t.reshape(batch, width, self.heads, size).transpose(0, 2, 1, 3)

        q = heads(self._dense(x, p + "attention.self.query"))
        k = heads(self._dense(x, p + "attention.self.key"))
        v = heads(self._dense(x, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, width, dim)
        x = _layer_norm(x + self._dense(context, p + "attention.output.dense"),
                        self.w[p + "attention.output.LayerNorm.weight"],
                        self.w[p + "attention.output.LayerNorm.bias"], self.eps)
        hidden = _gelu(self._dense(x, p + "intermediate.dense"))
        return _layer_norm(x + self._dense(hidden, p + "output.dense"),
                           self.w[p + "output.LayerNorm.weight"],
                           self.w[p + "output.LayerNorm.bias"], self.eps)
