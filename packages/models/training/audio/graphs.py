"""Hand-built ONNX graphs (opset 17): the audio front end (audio-spectra) and the sed-mini and voice-embed heads on it.

Only ops that onnxruntime runs on both CPU and CUDA: Reshape, Slice, Concat, Identity, Mul, Add,
Sub, Div, MatMul, Log, Exp, Sqrt, Relu, Sigmoid, ReduceMean, ReduceMax, ReduceSum. The batch
dimension is symbolic and no op mixes items, so a micro-batcher may concatenate requests along dim 0.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import dsp

OPSET = 17
FRONT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'weights', 'audio-spectra.onnx')
FRONT_DOC = (
    'podpreview audio-spectra 1.0: audio float32 [batch, 16080] (one second of 16 kHz mono plus one 20 ms hop) -> spectra '
    'float32 [batch, 50, 208]: for each 25 ms Hann frame starting in that second (every 20 ms), its power in 48 mel bands '
    '(50-8000 Hz) and in the 160 DFT bins under 5 kHz (512-point DFT as MatMul). Rows one second apart tile an episode\'s '
    'frame grid; the sed-mini and voice-embed heads read 49 frames of it per 1 s window. Built (not trained) by '
    'packages/models/training/audio/graphs.py. Apache-2.0.'
)


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def const(self, name: str, value) -> str:
        arr = np.asarray(value)
        if arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def op(self, op_type: str, inputs: list[str], name: str | None = None, **attrs) -> str:
        self._n += 1
        out = name or f'{op_type.lower()}_{self._n}'
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=f'n{self._n}_{op_type}', **attrs))
        return out

    def names(self) -> set[str]:
        return {i.name for i in self.inits}

    def scalar(self, value: float) -> str:
        """A float32 scalar constant, shared by every use of the same value."""
        name = f'scalar_{float(np.float32(value)):.9g}'
        return name if name in self.names() else self.const(name, np.float32(value))

    def axes(self, *axes: int) -> str:
        """An int64 axes tensor (ReduceSum takes axes as an input from opset 13)."""
        name = 'axes_' + '_'.join(map(str, axes))
        return name if name in self.names() else self.const(name, np.array(axes, np.int64))

    def slice(self, x: str, start: int, end: int, axis: int, step: int = 1) -> str:
        key = f'{start}_{end}_{axis}_{step}'.replace('-', 'm')
        names = [f'sl_{key}_{p}' for p in ('s', 'e', 'a', 't')]
        if names[0] not in self.names():
            for n, v in zip(names, (start, end, axis, step)):
                self.const(n, np.array([v], np.int64))
        return self.op('Slice', [x, *names])

    def model(self, inputs, outputs, doc: str) -> onnx.ModelProto:
        graph = helper.make_graph(self.nodes, 'main', inputs, outputs, self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='podpreview')
        m.ir_version = 8  # onnx 1.12 default; readable by every onnxruntime since 1.11
        m.doc_string = doc
        onnx.checker.check_model(m, full_check=True)
        return m


def _spectra_input():
    """A head's input: one 1 s window's frames of the front end's spectra."""
    return helper.make_tensor_value_info('spectra', TensorProto.FLOAT, ['batch', dsp.N_FRAMES, dsp.SPECTRA_WIDTH])


def _std(g: GraphBuilder, x: str, axis: int, keepdims: int = 0) -> str:
    """Population std over `axis`, as dsp._std computes it."""
    mean = g.op('ReduceMean', [x], axes=[axis], keepdims=1)
    centred = g.op('Sub', [x, mean])
    var = g.op('ReduceMean', [g.op('Mul', [centred, centred])], axes=[axis], keepdims=keepdims)
    return g.op('Sqrt', [g.op('Add', [var, g.scalar(1e-6)])])


def _unit(g: GraphBuilder, x: str, eps: float) -> str:
    sumsq = g.op('ReduceSum', [g.op('Mul', [x, x]), g.axes(2)], keepdims=1)
    return g.op('Div', [x, g.op('Sqrt', [g.op('Add', [sumsq, g.scalar(eps)])])])


def _lag_similarity(g: GraphBuilder, u: str, n: int, lags) -> list[str]:
    out = []
    for lag in lags:
        sim = g.op('ReduceSum', [g.op('Mul', [g.slice(u, lag, n, axis=1), g.slice(u, 0, n - lag, axis=1)]), g.axes(2)], keepdims=1)
        out += [g.op('ReduceMean', [sim], axes=[1], keepdims=0), _std(g, sim, 1)]  # [B, 1] each
    return out


def spectra(g: GraphBuilder, n_samples: int) -> str:
    """audio [B, n_samples] -> spectra [B, frames, 208]: each 25 ms frame's mel-band power and the
    power of its DFT bins under 5 kHz (dsp.spectra before the logs)."""
    c = dsp.sed_constants()
    n_chunks = n_samples // dsp.CHUNK
    n = (n_chunks - dsp.FRAME_CHUNKS) // dsp.HOP_CHUNKS + 1
    chunks = g.op('Reshape', ['audio', g.const('chunk_shape', np.array([-1, n_chunks, dsp.CHUNK], np.int64))])
    span = dsp.HOP_CHUNKS * (n - 1) + 1
    parts = [g.slice(chunks, o, o + span, axis=1, step=dsp.HOP_CHUNKS) for o in range(dsp.FRAME_CHUNKS)]
    frames = g.op('Concat', parts, axis=2)  # [B, n, 400]
    windowed = g.op('Mul', [frames, g.const('hann', c['window'])])
    spec = g.op('MatMul', [windowed, g.const('dft', c['dft'])])  # [B, n, 514] re | im
    power = g.op('Mul', [spec, spec])
    mel = g.op('MatMul', [power, g.const('mel_fb', c['mel'])])  # [B, n, 48]
    nb, fb = dsp.N_BINS, dsp.FINE_BINS
    low = g.op('Add', [g.slice(power, 0, fb, axis=2), g.slice(power, nb, nb + fb, axis=2)])  # [B, n, 160]
    return g.op('Concat', [mel, low], axis=2, name='spectra')


def front_end(g: GraphBuilder) -> tuple[str, str]:
    """spectra [B, 49, 208] (a 1 s window's frames of the front end) -> log-mel [B, 49, 48] and
    fine structure [B, 49, 152] (dsp.spectra): the logs' floor follows the window's loudest frame."""
    c = dsp.sed_constants()

    def floored_log(x: str, eps: float) -> str:
        peak = g.op('ReduceMax', [x], axes=[1, 2], keepdims=1)
        floor = g.op('Add', [g.op('Mul', [peak, g.scalar(dsp.FLOOR_REL)]), g.scalar(eps)])
        return g.op('Log', [g.op('Add', [x, floor])])

    mel = g.slice('spectra', 0, dsp.N_MELS, axis=2)
    low = g.slice('spectra', dsp.N_MELS, dsp.SPECTRA_WIDTH, axis=2)
    lm = g.op('Identity', [floored_log(mel, dsp.MEL_EPS)], name='log_mel')
    fine = g.op('MatMul', [floored_log(low, dsp.FINE_EPS), g.const('fine_fb', c['fine'])])  # [B, 49, 152]
    return lm, fine


def build_front(doc: str) -> onnx.ModelProto:
    """audio [B, 16080] -> spectra [B, 50, 208]: the front end sed-mini and voice-embed share (rows
    of one second plus one hop tile the episode's frame grid; dsp.FRONT_SAMPLES)."""
    g = GraphBuilder()
    spectra(g, dsp.FRONT_SAMPLES)
    audio = helper.make_tensor_value_info('audio', TensorProto.FLOAT, ['batch', dsp.FRONT_SAMPLES])
    out = helper.make_tensor_value_info('spectra', TensorProto.FLOAT, ['batch', dsp.FRONT_FRAMES, dsp.SPECTRA_WIDTH])
    return g.model([audio], [out], doc)


def build_sed(params: dict, doc: str) -> onnx.ModelProto:
    """spectra [B, 49, 208] -> probs [B, 3]: logs, pooled statistics, MLP, sigmoid (dsp.sed_forward)."""
    g = GraphBuilder()
    c = dsp.sed_constants()
    n = dsp.N_FRAMES
    lm, fine = front_end(g)

    lag = dsp.DELTA_LAG
    d1 = g.op('Sub', [g.slice(lm, 1, n, axis=1), g.slice(lm, 0, n - 1, axis=1)])
    d5 = g.op('Sub', [g.slice(lm, lag, n, axis=1), g.slice(lm, 0, n - lag, axis=1)])
    level = g.op('ReduceMean', [lm], axes=[2], keepdims=0)  # [B, 49]
    level_mean = g.op('ReduceMean', [level], axes=[1], keepdims=1)  # [B, 1]
    centred = g.op('Sub', [level, level_mean])
    mc = g.op('MatMul', [centred, g.const('mod_cos', c['mod_cos'])])
    ms = g.op('MatMul', [centred, g.const('mod_sin', c['mod_sin'])])
    mod = g.op('Sqrt', [g.op('Add', [g.op('Mul', [mc, mc]), g.op('Mul', [ms, ms])])])  # [B, 16]
    mod_total = g.op('Add', [g.op('ReduceSum', [mod, g.axes(1)], keepdims=1), g.scalar(1e-3)])
    below = g.op('Sub', [g.op('Sub', [g.op('ReduceMax', [level], axes=[1], keepdims=1), g.scalar(dsp.QUIET_NEPER)]), level])
    quiet = g.op('ReduceMean', [g.op('Sigmoid', [g.op('Mul', [below, g.scalar(4.0)])])], axes=[1], keepdims=1)
    weights = g.op('Exp', [g.op('Sub', [lm, g.op('ReduceMax', [lm], axes=[2], keepdims=1)])])
    centroid = g.op('Div', [g.op('MatMul', [weights, g.const('band_index', c['band_index'])]), g.op('ReduceSum', [weights, g.axes(2)], keepdims=1)])  # [B, 49, 1]
    shape = _unit(g, g.op('Sub', [lm, g.op('ReduceMean', [lm], axes=[2], keepdims=1)]), 1e-6)
    harm = _unit(g, fine, 1e-3)
    peaks = g.op('ReduceMean', [g.op('Relu', [fine])], axes=[2], keepdims=1)  # [B, 49, 1]
    feats = g.op(
        'Concat',
        [
            g.op('ReduceMean', [lm], axes=[1], keepdims=0), _std(g, lm, 1), _std(g, d1, 1), _std(g, d5, 1),
            level_mean, _std(g, level, 1, keepdims=1), g.op('Div', [mod, mod_total]), g.op('Log', [mod_total]), quiet,
            g.op('ReduceMean', [centroid], axes=[1], keepdims=0), _std(g, centroid, 1),
            *_lag_similarity(g, shape, n, dsp.SHAPE_LAGS), *_lag_similarity(g, harm, n, dsp.FINE_LAGS),
            g.op('ReduceMean', [peaks], axes=[1], keepdims=0), _std(g, peaks, 1),
        ],
        axis=1,
        name='features',
    )  # [B, N_FEATURES]

    h = g.op('Mul', [g.op('Sub', [feats, g.const('feat_mean', params['mean'])]), g.const('feat_inv_std', params['inv_std'])])
    layers = list(zip(params['weights'], params['biases']))
    for i, (w, b) in enumerate(layers):
        h = g.op('Add', [g.op('MatMul', [h, g.const(f'w{i}', w)]), g.const(f'b{i}', b)])
        if i < len(layers) - 1:
            h = g.op('Relu', [h])
    g.op('Sigmoid', [h], name='probs')
    out = helper.make_tensor_value_info('probs', TensorProto.FLOAT, ['batch', len(dsp.CLASSES)])
    return g.model([_spectra_input()], [out], doc)


def build_voice(params: dict, doc: str) -> onnx.ModelProto:
    """spectra [B, 49, 208] -> embedding [B, 32]: logs, voiced-frame envelope and pitch statistics,
    linear projection, unit length (voice_dsp.voice_forward)."""
    import voice_dsp

    g = GraphBuilder()
    vc = voice_dsp.voice_constants()
    lm, fine = front_end(g)
    level = g.op('ReduceMean', [lm], axes=[2], keepdims=1)  # [B, 49, 1]
    top = g.op('Sub', [g.op('ReduceMax', [level], axes=[1], keepdims=1), g.scalar(voice_dsp.VOICED_NEPER)])
    w = g.op('Sigmoid', [g.op('Mul', [g.op('Sub', [level, top]), g.scalar(4.0)])])  # [B, 49, 1]
    wsum = g.op('Add', [g.op('ReduceSum', [w, g.axes(1)], keepdims=1), g.scalar(1e-3)])  # [B, 1, 1]

    def pooled(x: str) -> str:  # voiced-frame weighted mean over time, [B, 1, C]
        return g.op('Div', [g.op('ReduceSum', [g.op('Mul', [x, w]), g.axes(1)], keepdims=1), wsum])

    shape = g.op('Sub', [lm, level])
    mean = pooled(shape)
    dev = g.op('Sub', [shape, mean])
    std = g.op('Sqrt', [g.op('Add', [pooled(g.op('Mul', [dev, dev])), g.scalar(1e-4)])])
    pc = g.op('MatMul', [fine, g.const('pitch_cos', vc['pitch_cos'])])
    ps = g.op('MatMul', [fine, g.const('pitch_sin', vc['pitch_sin'])])
    amp = g.op('Sqrt', [g.op('Add', [g.op('Mul', [pc, pc]), g.op('Mul', [ps, ps])])])  # [B, 49, 24]
    share = g.op('Div', [amp, g.op('Add', [g.op('ReduceSum', [amp, g.axes(2)], keepdims=1), g.scalar(1e-3)])])
    voiced = g.op('ReduceMean', [w], axes=[1], keepdims=1)
    flat = [g.op('Flatten', [t], axis=1) for t in (mean, std, pooled(share), voiced)]
    feats = g.op('Concat', flat, axis=1, name='voice_features')  # [B, 121]
    z = g.op('MatMul', [g.op('Mul', [g.op('Sub', [feats, g.const('feat_mean', params['mean'])]), g.const('feat_inv_std', params['inv_std'])]), g.const('proj', params['proj'])])
    norm = g.op('Sqrt', [g.op('Add', [g.op('ReduceSum', [g.op('Mul', [z, z]), g.axes(1)], keepdims=1), g.scalar(1e-6)])])
    g.op('Div', [z, norm], name='embedding')
    out = helper.make_tensor_value_info('embedding', TensorProto.FLOAT, ['batch', voice_dsp.EMBED_DIM])
    return g.model([_spectra_input()], [out], doc)
