"""Silero VAD's 8 kHz graph rewritten for batches, without changing what it computes.

ONNX Runtime runs the exported graph's convolutions one batch item at a time, each a matrix
product only 1 to 4 frames wide, and rebuilds the LSTM's gate weights from slices at every call:
at a batch of 64 frames that is ~65 µs a frame on one core, whatever the batch. Here every layer
of the 8 kHz branch is one matrix product over the whole batch instead:
- the reflect padding and the STFT's strided convolution are linear in the input, so they are
  one matrix (288 samples in, the 4 frames' real and imaginary parts out);
- each encoder convolution, over its 4, 2, 1 and 1 frames, is one matrix on the flattened frames
  (the taps that reach the padding dropped);
- the LSTM gets its weights in ONNX's gate order once, as constants.
The 16 kHz branch, the inputs and the outputs stay as they are. The weights are those of the
vendored v6.2 file beside this script (silero_vad.v6.2.onnx, byte-identical to upstream's; the
test in vad.silero.test.ts compares the two graphs' outputs).
Usage: python3 regraph_silero.py  (writes weights/silero_vad.batched.onnx; then set the
manifest entry's sha256 and bytes, and weights/NOTICE.md's)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, 'silero_vad.v6.2.onnx')
OUT = os.path.join(HERE, '..', '..', 'weights', 'silero_vad.batched.onnx')

CONTEXT, FRAME = 32, 256  # 8 kHz: 32 samples of context, 256 new ones
WIDTH = CONTEXT + FRAME
PAD_RIGHT = 32  # the export's reflect padding, right side only
FILTER, HOP = 128, 64
BINS = 65


def constants(graph: onnx.GraphProto) -> dict:
    out = {}
    for n in graph.node:
        if n.op_type == 'Constant':
            out[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    return out


def by_suffix(c: dict, suffix: str) -> np.ndarray:
    found = [v for k, v in c.items() if k.endswith(suffix)]
    if len(found) != 1:
        raise KeyError(f'{suffix}: {len(found)} constants')
    return found[0].astype(np.float32)


def stft_matrix(basis: np.ndarray) -> np.ndarray:
    """[288, 2 × 4 × 65]: the input's frames' real parts (frame-major), then their imaginary parts."""
    frames = (WIDTH + PAD_RIGHT - FILTER) // HOP + 1
    m = np.zeros((WIDTH, 2 * frames * BINS), dtype=np.float64)
    for j in range(WIDTH):
        x = np.zeros(WIDTH)
        x[j] = 1
        padded = np.pad(x, (0, PAD_RIGHT), mode='reflect')
        for t in range(frames):
            spec = basis[:, 0, :].astype(np.float64) @ padded[t * HOP : t * HOP + FILTER]  # [130]
            m[j, t * BINS : (t + 1) * BINS] = spec[:BINS]
            m[j, frames * BINS + t * BINS : frames * BINS + (t + 1) * BINS] = spec[BINS:]
    return m.astype(np.float32)


def conv_matrix(w: np.ndarray, frames_in: int, stride: int, pad: int = 1) -> tuple[np.ndarray, int]:
    """A 1-D convolution over `frames_in` frames as one matrix on frame-major flattened frames."""
    out_ch, in_ch, k = w.shape
    frames_out = (frames_in + 2 * pad - k) // stride + 1
    m = np.zeros((frames_in * in_ch, frames_out * out_ch), dtype=np.float32)
    for t in range(frames_out):
        for tap in range(k):
            s = t * stride + tap - pad
            if 0 <= s < frames_in:
                m[s * in_ch : (s + 1) * in_ch, t * out_ch : (t + 1) * out_ch] += w[:, :, tap].T
    return m, frames_out


def build_8k(c: dict) -> onnx.GraphProto:
    nodes, n = [], [0]

    def const(name: str, value: np.ndarray) -> str:
        nodes.append(helper.make_node('Constant', [], [name], value=numpy_helper.from_array(value, name)))
        return name

    def op(kind: str, inputs: list, outputs: int = 1, **attrs) -> list:
        n[0] += 1
        names = [f'b8k/{kind}_{n[0]}_{i}' for i in range(outputs)]
        nodes.append(helper.make_node(kind, inputs, names, **attrs))
        return names

    spec = op('MatMul', ['input', const('b8k/stft', stft_matrix(c['basis']))])[0]
    half = 4 * BINS
    re = op('Slice', [spec, const('b8k/re0', np.array([0])), const('b8k/re1', np.array([half])), const('b8k/ax', np.array([1]))])[0]
    im = op('Slice', [spec, 'b8k/re1', const('b8k/im1', np.array([2 * half])), 'b8k/ax'])[0]
    mag = op('Sqrt', [op('Add', [op('Mul', [re, re])[0], op('Mul', [im, im])[0]])[0]])[0]
    x, frames = mag, 4
    for i, stride in enumerate([1, 2, 2, 1]):
        m, frames = conv_matrix(c[f'w{i}'], frames, stride)
        bias = np.tile(c[f'b{i}'], frames)
        x = op('Relu', [op('Add', [op('MatMul', [x, const(f'b8k/enc{i}', m)])[0], const(f'b8k/enc{i}b', bias)])[0]])[0]
    # The LSTM cell, its weights in ONNX's gate order (i, o, f, c) from PyTorch's (i, f, g, o).
    order = np.concatenate([np.arange(0, 128), np.arange(384, 512), np.arange(128, 384)])
    W = const('b8k/W', c['w_ih'][order][None])
    R = const('b8k/R', c['w_hh'][order][None])
    B = const('b8k/B', np.concatenate([c['b_ih'][order], c['b_hh'][order]])[None])
    h0 = op('Slice', ['state', const('b8k/s0', np.array([0])), const('b8k/s1', np.array([1])), const('b8k/ax0', np.array([0]))])[0]
    c0 = op('Slice', ['state', 'b8k/s1', const('b8k/s2', np.array([2])), 'b8k/ax0'])[0]
    seq = op('Unsqueeze', [x, 'b8k/ax0'])[0]
    _, h1, c1 = op('LSTM', [seq, W, R, B, '', h0, c0], 3, hidden_size=128)
    state = op('Concat', [h1, c1], axis=0)[0]
    h = op('Squeeze', [h1, 'b8k/ax0'])[0]
    dec_w = c['dec_w'][:, :, 0].T  # [128, 1]
    logit = op('Add', [op('MatMul', [op('Relu', [h])[0], const('b8k/dec', dec_w)])[0], const('b8k/decb', c['dec_b'])])[0]
    prob = op('Sigmoid', [logit])[0]
    nodes.append(helper.make_node('Identity', [prob], ['b8k_output']))
    nodes.append(helper.make_node('Identity', [state], ['b8k_stateN']))
    return helper.make_graph(
        nodes,
        'silero_8k_batched',
        [],
        [helper.make_tensor_value_info('b8k_output', TensorProto.FLOAT, None), helper.make_tensor_value_info('b8k_stateN', TensorProto.FLOAT, None)],
    )


def main() -> None:
    model = onnx.load(SRC)
    top = [n for n in model.graph.node if n.op_type == 'If'][0]
    eight = [a for a in top.attribute if a.name == 'else_branch'][0]
    c = constants(eight.g)
    weights = {
        'basis': by_suffix(c, 'stft.forward_basis_buffer'),
        **{f'w{i}': by_suffix(c, f'encoder.{i}.reparam_conv.weight') for i in range(4)},
        **{f'b{i}': by_suffix(c, f'encoder.{i}.reparam_conv.bias') for i in range(4)},
        'w_ih': by_suffix(c, 'decoder.rnn.weight_ih'),
        'w_hh': by_suffix(c, 'decoder.rnn.weight_hh'),
        'b_ih': by_suffix(c, 'decoder.rnn.bias_ih'),
        'b_hh': by_suffix(c, 'decoder.rnn.bias_hh'),
        'dec_w': by_suffix(c, 'decoder.decoder.2.weight'),
        'dec_b': by_suffix(c, 'decoder.decoder.2.bias'),
    }
    eight.g.CopyFrom(build_8k(weights))
    model.doc_string = 'Silero VAD v6.2 (MIT, github.com/snakers4/silero-vad), its 8 kHz branch rewritten as batched matrix products by podpreview (training/vad/regraph_silero.py)'
    onnx.checker.check_model(model)
    onnx.save(model, OUT)
    print(OUT, os.path.getsize(OUT))


if __name__ == '__main__':
    main()
