"""Interior-point reference solutions for test/solvers (computed OUTSIDE flatlab, with cvxopt).

Usage: /usr/bin/python3 bench/ref/make_fixtures.py [OUTDIR]   (default test/fixtures/solvers)

Writes one JSON file per instance. Programs (paper-notes §1.5, §4, §6):
  plain   min ||X||_*  s.t. <A_i, X> = b_i
  flat    min ||X||_*  s.t. <A_i, D1^-1 X D2^-1> = b_i, D1 = ((1/(m d2)) sum A_i A_i^T)^(1/2),
          D2 = ((1/(m d1)) sum A_i^T A_i)^(1/2)          (loss scale 1/m, paper-notes §1.5 [R])
  rpca    min ||X||_*  s.t. ||Y - X||_1 <= radius      (Section 6)
  l1      min sum_l w_l |x_l|  s.t. A x = b             (depth k = 2, Section 9)
Nuclear norm as an SDP (Fazel 2002; Recht, Fazel, Parrilo 2010, Prop. 2.1):
  min 1/2 (tr W1 + tr W2)  s.t.  [[W1, X], [X^T, W2]] >= 0  and the linear constraints,
with W1, W2 (and X in the symmetric case) parametrized by their lower triangles.
Symmetric (quadratic ensemble) instances use a symmetric X.

Random draws use numpy's default_rng(seed); ground truths have unit Frobenius norm.
"""
import json
import os
import sys

import numpy as np
from cvxopt import matrix, solvers, spmatrix

solvers.options.update({"show_progress": False, "abstol": 1e-10, "reltol": 1e-10, "feastol": 1e-10, "maxiters": 200})


def sym_index(n):
    """Lower-triangle (i >= j) pairs of an n x n symmetric matrix."""
    return [(i, j) for i in range(n) for j in range(i + 1)]


def nuclear_sdp(B, rhs, d1, d2, symmetric=False, extra=None):
    """min ||X||_* s.t. <B_i, X> = rhs_i (B: m x d1 x d2), optionally with the rpca l1 constraint.

    extra = (Y, radius) adds variables T (d1 x d2) with -T <= Y - X <= T, sum T <= radius, and
    then B may be None. Returns (X, value, info).
    """
    N = d1 + d2
    xs = sym_index(d1) if symmetric else [(p, q) for p in range(d1) for q in range(d2)]
    w1 = sym_index(d1)
    w2 = sym_index(d2)
    nx, n1, n2 = len(xs), len(w1), len(w2)
    nt = d1 * d2 if extra is not None else 0
    nvar = nx + n1 + n2 + nt
    c = np.zeros(nvar)
    for k, (i, j) in enumerate(w1):
        if i == j:
            c[nx + k] = 0.5
    for k, (i, j) in enumerate(w2):
        if i == j:
            c[nx + n1 + k] = 0.5
    # SDP block s = Z(x) >= 0, written Gs x + s = 0 with Gs x = -vec(Z(x)) (column-major).
    Gs = np.zeros((N * N, nvar))

    def put(col, r, s_, val):
        Gs[r + s_ * N, col] += val
        if r != s_:
            Gs[s_ + r * N, col] += val

    for k, (p, q) in enumerate(xs):
        if symmetric:
            put(k, p, d1 + q, -1.0)
            if p != q:
                put(k, q, d1 + p, -1.0)
        else:
            put(k, p, d1 + q, -1.0)
    for k, (i, j) in enumerate(w1):
        put(nx + k, i, j, -1.0)
    for k, (i, j) in enumerate(w2):
        put(nx + n1 + k, d1 + i, d1 + j, -1.0)
    hs = np.zeros(N * N)

    def x_coeffs(Bi):
        """Coefficients of <Bi, X> on the X variables."""
        row = np.zeros(nx)
        for k, (p, q) in enumerate(xs):
            row[k] = Bi[p, q] + (Bi[q, p] if symmetric and p != q else 0.0)
        return row

    kwargs = {}
    if B is not None:
        Aeq = np.zeros((len(rhs), nvar))
        for i in range(len(rhs)):
            Aeq[i, :nx] = x_coeffs(B[i])
        kwargs = {"A": matrix(Aeq), "b": matrix(np.asarray(rhs, dtype=float))}
    if extra is not None:
        Y, radius = extra
        rows = []
        h = []
        for k, (p, q) in enumerate(xs):
            # Y - X - T <= 0  ->  -X - T <= -Y ;  X - Y - T <= 0  ->  X - T <= Y
            r1 = np.zeros(nvar); r1[k] = -1.0; r1[nx + n1 + n2 + k] = -1.0; rows.append(r1); h.append(-Y[p, q])
            r2 = np.zeros(nvar); r2[k] = 1.0; r2[nx + n1 + n2 + k] = -1.0; rows.append(r2); h.append(Y[p, q])
        r3 = np.zeros(nvar); r3[nx + n1 + n2:] = 1.0; rows.append(r3); h.append(radius)
        kwargs["Gl"] = matrix(np.array(rows))
        kwargs["hl"] = matrix(np.array(h))
    sol = solvers.sdp(matrix(c), Gs=[matrix(Gs)], hs=[matrix(hs.reshape(N, N, order="F"))], **kwargs)
    xv = np.array(sol["x"]).ravel()
    X = np.zeros((d1, d2))
    for k, (p, q) in enumerate(xs):
        X[p, q] = xv[k]
        if symmetric:
            X[q, p] = xv[k]
    info = {"status": sol["status"], "primalObjective": sol["primal objective"], "dualObjective": sol["dual objective"],
            "gap": sol["gap"], "relativeGap": sol["relative gap"], "iterations": sol["iterations"]}
    return X, float(np.linalg.svd(X, compute_uv=False).sum()), info


def psd_sqrt(S):
    w, V = np.linalg.eigh((S + S.T) / 2)
    return (V * np.sqrt(np.clip(w, 0, None))) @ V.T


def rescaling(Amats):
    m, d1, d2 = Amats.shape
    S1 = sum(Ai @ Ai.T for Ai in Amats) / (m * d2)
    S2 = sum(Ai.T @ Ai for Ai in Amats) / (m * d1)
    return psd_sqrt(S1), psd_sqrt(S2)


def low_rank(rng, d1, d2, r):
    M = rng.standard_normal((d1, r)) @ rng.standard_normal((d2, r)).T
    return M / np.linalg.norm(M)


def sym_truth(rng, d, r1, r2):
    U1, U2 = rng.standard_normal((d, r1)), rng.standard_normal((d, r2))
    M = U1 @ U1.T - U2 @ U2.T
    return M / np.linalg.norm(M)


def flat_list(a):
    return np.asarray(a, dtype=float).ravel().tolist()


def record(name, kind, program, Amats, b, M, X, value, info, symmetric=False, D=None, extra=None):
    m, d1, d2 = Amats.shape
    out = {"name": name, "kind": kind, "program": program, "d1": d1, "d2": d2, "m": m, "symmetric": symmetric,
           "A": [flat_list(Ai) for Ai in Amats], "b": flat_list(b), "M": flat_list(M), "xStar": flat_list(X),
           "optimalValue": value, "cvxopt": info}
    if D is not None:
        D1, D2 = D
        out["D1"], out["D2"] = flat_list(D1), flat_list(D2)
        out["estimate"] = flat_list(np.linalg.solve(D1, X) @ np.linalg.inv(D2))
    if extra:
        out.update(extra)
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("test", "fixtures", "solvers")
    os.makedirs(outdir, exist_ok=True)
    cases = []

    # Gaussian, rectangular 4x5, rank 1, m = 12 (dof 8): plain and flat.
    rng = np.random.default_rng(21)
    d1, d2, m = 4, 5, 14
    Am = rng.standard_normal((m, d1, d2)); M = low_rank(rng, d1, d2, 1)
    b = np.einsum("ipq,pq->i", Am, M)
    X, v, info = nuclear_sdp(Am, b, d1, d2)
    cases.append(record("gaussian-4x5-plain", "gaussian", "plain", Am, b, M, X, v, info))
    D1, D2 = rescaling(Am)
    B = np.array([np.linalg.inv(D1) @ Ai @ np.linalg.inv(D2) for Ai in Am])
    X, v, info = nuclear_sdp(B, b, d1, d2)
    cases.append(record("gaussian-4x5-flat", "gaussian", "flat", Am, b, M, X, v, info, D=(D1, D2)))

    # Gaussian 5x5, rank 2, m = 12 < dof 16: below the transition, X* != M (plain).
    rng = np.random.default_rng(12)
    d, m = 5, 12
    Am = rng.standard_normal((m, d, d)); M = low_rank(rng, d, d, 2)
    b = np.einsum("ipq,pq->i", Am, M)
    X, v, info = nuclear_sdp(Am, b, d, d)
    cases.append(record("gaussian-5x5-below-plain", "gaussian", "plain", Am, b, M, X, v, info))

    # Bilinear 5x5, rank 1, m = 15: flat (the rescaling is far from I at this m).
    rng = np.random.default_rng(13)
    d, m = 5, 15
    a, bv = rng.standard_normal((m, d)), rng.standard_normal((m, d))
    Am = np.einsum("ip,iq->ipq", a, bv); M = low_rank(rng, d, d, 1)
    b = np.einsum("ipq,pq->i", Am, M)
    D1, D2 = rescaling(Am)
    B = np.array([np.linalg.inv(D1) @ Ai @ np.linalg.inv(D2) for Ai in Am])
    X, v, info = nuclear_sdp(B, b, d, d)
    cases.append(record("bilinear-5x5-flat", "bilinear", "flat", Am, b, M, X, v, info, D=(D1, D2),
                        extra={"a": flat_list(a), "bVectors": flat_list(bv)}))

    # Completion 6x6, rank 1, Bernoulli(0.5) mask with every row and column observed: flat and plain.
    rng = np.random.default_rng(14)
    d = 6
    while True:
        mask = rng.random((d, d)) < 0.5
        if mask.any(axis=0).all() and mask.any(axis=1).all():
            break
    idx = np.argwhere(mask)  # row-major order
    m = len(idx)
    Am = np.zeros((m, d, d))
    for k, (i, j) in enumerate(idx):
        Am[k, i, j] = 1.0
    M = low_rank(rng, d, d, 1)
    b = np.einsum("ipq,pq->i", Am, M)
    X, v, info = nuclear_sdp(Am, b, d, d)
    cases.append(record("completion-6x6-plain", "completion", "plain", Am, b, M, X, v, info, extra={"mask": flat_list(mask)}))
    D1, D2 = rescaling(Am)
    B = np.array([np.linalg.inv(D1) @ Ai @ np.linalg.inv(D2) for Ai in Am])
    X, v, info = nuclear_sdp(B, b, d, d)
    cases.append(record("completion-6x6-flat", "completion", "flat", Am, b, M, X, v, info, D=(D1, D2), extra={"mask": flat_list(mask)}))

    # Quadratic (symmetric) 5x5, truth U1U1^T - U2U2^T (1 + 1), m = 12: plain and flat, symmetric X.
    rng = np.random.default_rng(15)
    d, m = 5, 12
    xv = rng.standard_normal((m, d))
    Am = np.einsum("ip,iq->ipq", xv, xv); M = sym_truth(rng, d, 1, 1)
    b = np.einsum("ipq,pq->i", Am, M)
    X, v, info = nuclear_sdp(Am, b, d, d, symmetric=True)
    cases.append(record("quadratic-5-plain", "quadratic", "plain", Am, b, M, X, v, info, symmetric=True, extra={"x": flat_list(xv)}))
    D1, D2 = rescaling(Am)
    B = np.array([np.linalg.inv(D1) @ Ai @ np.linalg.inv(D2) for Ai in Am])
    X, v, info = nuclear_sdp(B, b, d, d, symmetric=True)
    cases.append(record("quadratic-5-flat", "quadratic", "flat", Am, b, M, X, v, info, symmetric=True, D=(D1, D2), extra={"x": flat_list(xv)}))

    # Robust PCA 6x6: rank-1 truth plus 4 sparse corruptions, radius = ||S||_1.
    rng = np.random.default_rng(16)
    d = 6
    M = low_rank(rng, d, d, 1)
    S = np.zeros((d, d))
    for (i, j) in [(0, 3), (2, 1), (4, 5), (5, 0)]:
        S[i, j] = rng.choice([-1.0, 1.0]) * (0.5 + rng.random())
    Y = M + S
    radius = float(np.abs(S).sum())
    X, v, info = nuclear_sdp(None, None, d, d, extra=(Y, radius))
    cases.append({"name": "rpca-6x6", "kind": "rpca", "program": "rpca", "d1": d, "d2": d, "Y": flat_list(Y), "S": flat_list(S),
                  "radius": radius, "M": flat_list(M), "xStar": flat_list(X), "optimalValue": v, "cvxopt": info})

    # Weighted l1 (depth k = 2): 12 x 30 Gaussian, 3-sparse truth, w_l = ||a_l||^2 / m.
    rng = np.random.default_rng(17)
    m, d = 12, 30
    A = rng.standard_normal((m, d))
    x0 = np.zeros(d); x0[[3, 11, 25]] = rng.standard_normal(3)
    bvec = A @ x0
    w = (A ** 2).sum(axis=0) / m
    # variables [x, t]: min w.t  s.t. x - t <= 0, -x - t <= 0, A x = b
    c = np.concatenate([np.zeros(d), w])
    G = np.block([[np.eye(d), -np.eye(d)], [-np.eye(d), -np.eye(d)]])
    sol = solvers.lp(matrix(c), matrix(G), matrix(np.zeros(2 * d)), matrix(np.hstack([A, np.zeros((m, d))])), matrix(bvec))
    xl1 = np.array(sol["x"]).ravel()[:d]
    # The LP optimum is a vertex: polish it by solving A_S x_S = b on the support found by cvxopt.
    support = np.abs(xl1) > 1e-6 * np.abs(xl1).max()
    xs, *_ = np.linalg.lstsq(A[:, support], bvec, rcond=None)
    xl1 = np.zeros(d); xl1[support] = xs
    cases.append({"name": "l1-12x30", "kind": "l1", "program": "l1", "m": m, "d": d, "A": flat_list(A), "b": flat_list(bvec),
                  "weights": flat_list(w), "xTrue": flat_list(x0), "xStar": flat_list(xl1), "optimalValue": float(w @ np.abs(xl1)),
                  "cvxopt": {"status": sol["status"], "gap": sol["gap"], "relativeGap": sol["relative gap"], "iterations": sol["iterations"]}})

    for case in cases:
        with open(os.path.join(outdir, case["name"] + ".json"), "w") as f:
            json.dump(case, f, indent=None)
        print(f"{case['name']:28s} status {case['cvxopt']['status']:8s} value {case['optimalValue']:.12f} gap {case['cvxopt']['gap']:.1e}"
              f" truth-err {np.linalg.norm(np.array(case['xStar']) - np.array(case.get('M', case.get('xTrue')))):.1e}")


if __name__ == "__main__":
    main()
