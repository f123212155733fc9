"""NumPy/SciPy reference run of THE SAME ADMM as src/solvers/nuclear-norm.ts, for bench/solvers.bench.ts.

Usage: /usr/bin/python3 bench/ref/solvers_ref.py INSTANCES.json
       /usr/bin/python3 bench/ref/solvers_ref.py --profile PROFILE.json   (phases of one flat solve, bench `profile` mode)
INSTANCES.json: {"reps": 5, "tol": 1e-9, "instances": [{"d": 10, "m": 90, "A": [m*d*d, row-major rows vec(A_i)], "b": [m]}...]}
  instead of "A": "A_file" (raw little-endian float64 rows, for large m*d*d), or "maskRows"/"maskCols"
  (a completion map: observed entries); optional "programs" (default both).
Prints JSON {"results": [{"d", "m", "program", "iterations", "ms" (median of reps), "err"...}], "numpy": ..., "scipy": ...}.

Algorithm (identical constants to the TypeScript solver):
  X <- P(Y - U)  exact projection, Gram A A^T Cholesky-factored once (scipy.linalg.cho_factor)
  Z <- a X + (1 - a) Y + U,  Y <- SVT_{1/rho}(Z) (same two routes as prox.ts, see svt),  U <- Z - Y,  a = 1.6
  primal = ||X - Y|| / max(||X||, ||Y||),  dual = rho ||Y - Y_prev|| / max(rho ||U||, 1)
  start Y = P(0), U = 0, rho0 = 5 / sigma_max(Y); residual balancing every >= 5 iterations when the
  ratio leaves [1/5, 5]: rho *= clip(sqrt(ratio), 1e-2, 1e2), clamped to [rho0/1e6, rho0*1e6]; U /= factor.
  At the end: certificate lambda = -rho mu, ||A^T lambda||_op (as the TS result reports it).
Flat program: D1 = ((1/(m d)) sum A_i A_i^T)^(1/2), D2 = ((1/(m d)) sum A_i^T A_i)^(1/2) by eigh, the
rows of the rescaled map B_i = D1^-1 A_i D2^-1 formed once, then the same ADMM; estimate D1^-1 X D2^-1.
The bench sets OPENBLAS_NUM_THREADS=1 so that LAPACK runs on one core, like V8.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.linalg as sla

# Wall clock when the last admm() call entered its iteration loop (its set-up ends there).
LOOP_START = 0.0


def admm(A, b, d1, d2, tol=1e-9, max_iter=20000, alpha=1.6, project=None, adjoint=None):
    if project is None:
        G = A @ A.T
        cf = sla.cho_factor(G, lower=True)

        def project(z):
            mu = sla.cho_solve(cf, A @ z - b)
            return z - A.T @ mu, mu

        def adjoint(lam):
            return A.T @ lam

    Y, _ = project(np.zeros(d1 * d2))
    U = np.zeros_like(Y)
    rho = 5.0 / np.linalg.svd(Y.reshape(d1, d2), compute_uv=False)[0]
    rho0 = rho
    global LOOP_START
    LOOP_START = time.perf_counter()
    last = 0
    it = 0
    converged = False
    mu_rho = rho
    while it < max_iter:
        it += 1
        X, mu = project(Y - U)
        mu_rho = rho
        Z = alpha * X + (1 - alpha) * Y + U
        Yprev = Y
        Y = svt(Z.reshape(d1, d2), 1.0 / rho).ravel()
        U = Z - Y
        primal = np.linalg.norm(X - Y) / max(np.linalg.norm(X), np.linalg.norm(Y), 1e-300)
        dual = rho * np.linalg.norm(Y - Yprev) / max(rho * np.linalg.norm(U), 1.0)
        if primal <= tol and dual <= tol:
            converged = True
            break
        if it - last >= 5 and primal > 0 and dual > 0:
            ratio = primal / dual
            if ratio > 5 or ratio < 0.2:
                f = min(max(np.sqrt(ratio), 1e-2), 1e2)
                f = min(max(rho * f, rho0 / 1e6), rho0 * 1e6) / rho
                if abs(f - 1) >= 1e-12:
                    rho *= f
                    U /= f
                    last = it
    lam = -mu_rho * mu
    cert = np.linalg.svd(adjoint(lam).reshape(d1, d2), compute_uv=False)[0]
    return Y.reshape(d1, d2), it, converged, cert


def svt(Z, tau):
    """Singular value thresholding by the same two routes as src/solvers/prox.ts: the Gram route
    Z V_k diag(1 - tau/sigma) V_k^T from the eigenpairs of Z^T Z above tau^2 when sigma_max/tau <= 67,
    else the SVD."""
    C = Z.T @ Z if Z.shape[0] >= Z.shape[1] else Z @ Z.T
    lam, V = eigenpairs_above(C, tau * tau)
    sig = np.sqrt(lam)
    if lam.size == 0 or sig[-1] <= 67 * tau:
        Vk = V * (1 - tau / sig)
        return (Z @ Vk) @ V.T if Z.shape[0] >= Z.shape[1] else Vk @ (V.T @ Z)
    u, s, vt = np.linalg.svd(Z, full_matrices=False)
    k = int(np.count_nonzero(s > tau))
    return (u[:, :k] * (s[:k] - tau)) @ vt[:k]


def eigenpairs_above(C, t):
    """The eigenpairs of C with eigenvalue > t, ascending, by NumPy/LAPACK's fastest route: from
    p = 16 on, LAPACK dsyevr on the wanted pairs only (measured 0.041 vs 0.061 ms for all pairs at
    p = 30, one thread); below, np.linalg.eigh of all (0.009 vs 0.014 ms at p = 10)."""
    if C.shape[0] >= 16:
        return sla.eigh(C, subset_by_value=(t, np.inf), driver="evr", check_finite=False)
    lam, V = np.linalg.eigh(C)
    keep = lam > t
    return lam[keep], V[:, keep]


def psd_sqrt_and_inv(S):
    w, V = np.linalg.eigh(S)
    return (V * np.sqrt(w)) @ V.T, (V / np.sqrt(w)) @ V.T


def flat(A, b, d1, d2, tol):
    m = A.shape[0]
    Am = A.reshape(m, d1, d2)
    S1 = np.einsum("ipq,irq->pr", Am, Am) / (m * d2)
    S2 = np.einsum("ipq,ipr->qr", Am, Am) / (m * d1)
    _, P = psd_sqrt_and_inv(S1)
    _, Q = psd_sqrt_and_inv(S2)
    B = (P @ Am @ Q).reshape(m, d1 * d2)
    X, it, conv, cert = admm(B, b, d1, d2, tol)
    return P @ X @ Q, it, conv, cert


def completion(rows, cols, w, b, d1, d2, tol):
    """The same ADMM for a (weighted) completion map A_k = w_k e_i e_j^T: its Gram matrix is
    diagonal, so the projection sets the observed entries to b_k / w_k (as the TypeScript
    projector's diagonal route does)."""
    flat_idx = rows * d2 + cols
    w2 = w * w

    def project(z):
        mu = (w * z[flat_idx] - b) / w2
        x = z.copy()
        x[flat_idx] = b / w
        return x, mu

    def adjoint(lam):
        out = np.zeros(d1 * d2)
        out[flat_idx] = w * lam
        return out

    return admm(None, b, d1, d2, tol, project=project, adjoint=adjoint)


def completion_flat(rows, cols, b, d1, d2, tol):
    """Flat program for completion: D1, D2 diagonal (row and column counts / (m d)), the rescaled
    map is the completion map with weights 1 / (D1_i D2_j)."""
    m = b.size
    r1 = np.sqrt(np.bincount(rows, minlength=d1) / (m * d2))
    r2 = np.sqrt(np.bincount(cols, minlength=d2) / (m * d1))
    w = 1.0 / (r1[rows] * r2[cols])
    X, it, conv, cert = completion(rows, cols, w, b, d1, d2, tol)
    return X / r1[:, None] / r2[None, :], it, conv, cert


def profile(path):
    """Phases of one flat solve (CPU ms), for the bench's `profile` mode: the same instance and
    thresholding input as the TypeScript side (see bench/solvers.bench.ts profile())."""
    spec = json.load(open(path))
    d, m, tol = spec["d"], spec["m"], spec["tol"]
    A = np.fromfile(spec["A_file"], dtype="<f8").reshape(m, d * d)
    b = np.array(spec["b"], dtype=float)
    Z = np.fromfile(spec["Z_file"], dtype="<f8").reshape(d, d)

    def cpu(f, reps=1):
        c = time.process_time()
        for _ in range(reps):
            out = f()
        return (time.process_time() - c) / reps * 1e3, out

    flat(A[:, :], b, d, d, 1e-3)  # warm-up
    total, (_, it, _, _) = cpu(lambda: flat(A, b, d, d, tol))
    Am = A.reshape(m, d, d)
    def moments_and_roots():
        S1 = np.einsum("ipq,irq->pr", Am, Am) / (m * d)
        S2 = np.einsum("ipq,ipr->qr", Am, Am) / (m * d)
        return psd_sqrt_and_inv(S1)[1], psd_sqrt_and_inv(S2)[1]

    moments, (P, Q) = cpu(moments_and_roots)
    transform, B = cpu(lambda: (P @ Am @ Q).reshape(m, d * d))
    gram, G = cpu(lambda: B @ B.T)
    cholesky, cf = cpu(lambda: sla.cho_factor(G, lower=True))
    x = np.full(d * d, 1e-3)
    passes, _ = cpu(lambda: B.T @ (B @ x), 20)
    y = B @ x
    triangular, _ = cpu(lambda: sla.cho_solve(cf, y), 50)
    threshold, _ = cpu(lambda: svt(Z, spec["tau"]), 200)
    print(json.dumps({"total": total, "iterations": it, "moments": moments, "transform": transform, "gram": gram,
                      "cholesky": cholesky, "passes": passes, "triangular": triangular, "threshold": threshold}))


def main():
    if sys.argv[1] == "--profile":
        return profile(sys.argv[2])
    spec = json.load(open(sys.argv[1]))
    reps, tol = spec["reps"], spec["tol"]
    out = []
    for inst in spec["instances"]:
        d, m = inst["d"], inst["m"]
        b = np.array(inst["b"], dtype=float)
        M = np.array(inst["M"], dtype=float).reshape(d, d)
        mask = "maskRows" in inst
        if mask:
            rows, cols = np.array(inst["maskRows"], dtype=np.int64), np.array(inst["maskCols"], dtype=np.int64)
        elif "A_file" in inst:
            A = np.fromfile(inst["A_file"], dtype="<f8").reshape(m, d * d)
        else:
            A = np.array(inst["A"], dtype=float).reshape(m, d * d)
        for program in inst.get("programs", ("flat", "plain")):
            times, cpu, setup = [], [], []
            for _ in range(reps):
                t, c = time.perf_counter(), time.process_time()
                if mask and program == "flat":
                    est, it, conv, cert = completion_flat(rows, cols, b, d, d, tol)
                elif mask:
                    est, it, conv, cert = completion(rows, cols, np.ones(m), b, d, d, tol)
                elif program == "flat":
                    est, it, conv, cert = flat(A, b, d, d, tol)
                else:
                    est, it, conv, cert = admm(A, b, d, d, tol)
                times.append((time.perf_counter() - t) * 1e3)
                cpu.append((time.process_time() - c) * 1e3)
                setup.append((LOOP_START - t) * 1e3)
            out.append({"d": d, "m": m, "program": program, "iterations": it, "converged": conv,
                        "ms": float(np.median(times)), "cpuMs": float(np.median(cpu)), "setupMs": float(np.median(setup)), "err": float(np.linalg.norm(est - M)), "certificateNorm": float(cert)})
    print(json.dumps({"results": out, "numpy": np.__version__, "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
