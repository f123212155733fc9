"""Reference timings for bench/linalg.bench.ts: NumPy/LAPACK (Debian's OpenBLAS) on the same cases.

Usage: /usr/bin/python3 bench/ref/linalg_ref.py '<json list of {"op", "n", "cols"?, "reps"}>'
Prints one JSON object {"cases": [{"op", "n", "cols", "ms", "acc"}...], "numpy": version}.
The bench script sets OPENBLAS_NUM_THREADS=1 so that LAPACK runs on one core, like V8.
cho_solve times scipy.linalg.cho_solve with a precomputed factor (one right-hand side).
Matrices: standard Gaussian (svd, qr; n×cols where cols is given), G + Gᵀ (eigh, eigvalsh), GᵀG + n·I
(cholesky), seed 0.
gemv, gemvT, gram: R @ x, R.T @ y, R @ R.T for a Gaussian R (n×cols), ones for x and y.
"""
import json
import sys
import time

import numpy as np
import scipy.linalg


def make(op, n, cols, rng):
    if op == "eigh_above":
        # As bench/linalg.bench.ts: z = rank 3 + 1e-2 noise, a = zᵀz (other random numbers, same law).
        z = rng.standard_normal((n, 3)) @ rng.standard_normal((3, n)) + 1e-2 * rng.standard_normal((n, n))
        return z.T @ z
    g = rng.standard_normal((n, cols))
    if op in ("eigh", "eigvalsh"):
        return g + g.T
    if op == "cholesky":
        return g.T @ g + n * np.eye(n)
    if op == "cho_solve":
        # The factor and a right-hand side: the solve alone is timed.
        return (scipy.linalg.cho_factor(g.T @ g + n * np.eye(n), lower=True), np.ones(n))
    return g


def run(op, a):
    if op == "svd":
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        return np.linalg.norm(u @ np.diag(s) @ vt - a) / np.linalg.norm(a)
    if op == "svdvals":
        np.linalg.svd(a, compute_uv=False)
        return 0.0
    if op == "eigh":
        w, v = np.linalg.eigh(a)
        return np.linalg.norm(v @ np.diag(w) @ v.T - a) / np.linalg.norm(a)
    if op == "eigvalsh":
        np.linalg.eigvalsh(a)
        return 0.0
    if op == "cholesky":
        l = np.linalg.cholesky(a)
        return 0.0 if a.shape[0] > 500 else np.linalg.norm(l @ l.T - a) / np.linalg.norm(a)
    if op == "qr":
        q, r = np.linalg.qr(a)
        return np.linalg.norm(q @ r - a) / np.linalg.norm(a)
    if op == "solve":
        np.linalg.solve(a, np.ones(a.shape[0]))
        return 0.0
    if op == "cho_solve":
        scipy.linalg.cho_solve(*a)
        return 0.0
    if op in ("gemv", "gemvT", "gram", "eigh_above"):
        run_timed(op, a)
        return 0.0
    raise ValueError(op)


def main():
    cases = json.loads(sys.argv[1])
    out = []
    rng = np.random.default_rng(0)
    for c in cases:
        cols = c.get("cols", c["n"])
        a = make(c["op"], c["n"], cols, rng)
        acc = run(c["op"], a)  # warm-up, and the accuracy of this run
        times = []
        for _ in range(c["reps"]):
            t = time.perf_counter()
            run_timed(c["op"], a)
            times.append((time.perf_counter() - t) * 1e3)
        out.append({"op": c["op"], "n": c["n"], "cols": cols, "ms": float(np.median(times)), "acc": float(acc)})
    print(json.dumps({"cases": out, "numpy": np.__version__}))


def run_timed(op, a):
    """The decomposition alone, without the accuracy check."""
    if op == "svd":
        np.linalg.svd(a, full_matrices=False)
    elif op == "svdvals":
        np.linalg.svd(a, compute_uv=False)
    elif op == "eigh":
        np.linalg.eigh(a)
    elif op == "eigvalsh":
        np.linalg.eigvalsh(a)
    elif op == "cholesky":
        np.linalg.cholesky(a)
    elif op == "qr":
        np.linalg.qr(a)
    elif op == "solve":
        np.linalg.solve(a, np.ones(a.shape[0]))
    elif op == "cho_solve":
        scipy.linalg.cho_solve(*a)
    elif op == "eigh_above":
        scipy.linalg.eigh(a, subset_by_value=(1.0, np.inf), driver="evr", check_finite=False)
    elif op == "gemv":
        a @ np.ones(a.shape[1])
    elif op == "gemvT":
        a.T @ np.ones(a.shape[0])
    elif op == "gram":
        a @ a.T


if __name__ == "__main__":
    main()
