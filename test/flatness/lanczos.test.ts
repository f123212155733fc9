import { before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers.js";
import { eigh } from "../../src/linalg/eigh.js";
import { hessianOperator } from "../../src/flatness/hessian.js";
import { lanczos, lanczosTridiagonal } from "../../src/flatness/lanczos.js";
import { linearOperator, matrixOperator } from "../../src/flatness/operator.js";
import { powerIteration } from "../../src/flatness/power-iteration.js";
import { assertNoLeak, asFloat32, denseFromOperator, gaussianMatrix, identityMapLoss, matvecDense, tensorOf, useBackend, withSpectrum } from "./fixtures.js";

before(async () => {
  await useBackend();
});

const spectrum = [10, 8, 6.5, -9, -7, ...Array.from({ length: 35 }, (_, i) => -3 + (6 * i) / 34)];
const A = withSpectrum(spectrum, 41);

test("lanczos finds the top, bottom and largest-magnitude eigenvalues of a known spectrum, with small residuals", () => {
  const cases = [
    { which: "LA" as const, expected: [10, 8, 6.5] },
    { which: "SA" as const, expected: [-9, -7, -3] },
    { which: "LM" as const, expected: [10, -9, 8] },
  ];
  for (const { which, expected } of cases) {
    const r = lanczos(matrixOperator(A), { k: 3, which, tol: 1e-8, seed: 1 });
    expected.forEach((e, i) => assertClose(r.eigenvalues[i], e, 1e-7, 0, `${which} λ${i + 1}`));
    assert.ok(r.converged.every(Boolean), `${which}: not all converged`);
    for (let i = 0; i < 3; i++) {
      assert.ok(r.residuals[i] < 1e-6, `${which} residual ${r.residuals[i]}`);
      // The eigenvector satisfies A v = λ v.
      const av = matvecDense(A, r.eigenvectors[i]);
      let err = 0;
      for (let j = 0; j < 40; j++) err += (av[j] - r.eigenvalues[i] * r.eigenvectors[i][j]) ** 2;
      assert.ok(Math.sqrt(err) < 1e-6);
    }
    assert.ok((r.iterations as number) < 40, `${which}: ${r.iterations} steps`);
  }
});

test("lanczos top-k eigenvalues of an identity-map Hessian match the dense float64 eigendecomposition", () => {
  const lt = tensorOf(asFloat32(gaussianMatrix(5, 3, 42))), rt = tensorOf(asFloat32(gaussianMatrix(4, 3, 43)));
  const op = hessianOperator(identityMapLoss(asFloat32(gaussianMatrix(5, 4, 44))), [lt, rt]);
  const dense = eigh(denseFromOperator(op)).values;
  const n = op.size;
  const scale = Math.max(Math.abs(dense[0]), Math.abs(dense[n - 1]));
  const top = lanczos(op, { k: 4, seed: 2 });
  for (let i = 0; i < 4; i++) assertClose(top.eigenvalues[i], dense[n - 1 - i], 0, 1e-4 * scale, `λ${i + 1}`);
  assert.ok(top.converged.every(Boolean));
  top.residuals.forEach((res) => assert.ok(res < 1e-4 * scale, `residual ${res}`));
  const bottom = lanczos(op, { k: 2, which: "SA", seed: 2 });
  for (let i = 0; i < 2; i++) assertClose(bottom.eigenvalues[i], dense[i], 0, 1e-4 * scale, `λ_min ${i + 1}`);
  const power = powerIteration(op, { k: 2, maxIter: 500, tol: 1e-5, seed: 3 });
  // Power iteration finds the largest magnitudes; here the top of the spectrum dominates.
  const byMagnitude = Array.from(dense).sort((a, b) => Math.abs(b) - Math.abs(a));
  for (let i = 0; i < 2; i++) assertClose(power.eigenvalues[i], byMagnitude[i], 0, 1e-3 * scale, `power λ${i + 1}`);
  op.dispose();
  lt.dispose();
  rt.dispose();
});

test("lanczosTridiagonal gives an orthonormal basis Q with Qᵀ A Q = T (full reorthogonalization)", () => {
  const t = lanczosTridiagonal(matrixOperator(A), { steps: 25, seed: 5 });
  assert.equal(t.alpha.length, 25);
  assert.equal(t.beta.length, 24);
  const q = t.basis;
  let orth = 0, proj = 0;
  for (let i = 0; i < 25; i++) {
    const aqi = matvecDense(A, q[i]);
    for (let j = 0; j < 25; j++) {
      let dq = 0, dt = 0;
      for (let s = 0; s < 40; s++) { dq += q[i][s] * q[j][s]; dt += q[j][s] * aqi[s]; }
      orth = Math.max(orth, Math.abs(dq - (i === j ? 1 : 0)));
      const tij = i === j ? t.alpha[i] : Math.abs(i - j) === 1 ? t.beta[Math.min(i, j)] : 0;
      proj = Math.max(proj, Math.abs(dt - tij));
    }
  }
  assert.ok(orth < 1e-13, `orthogonality ${orth}`);
  assert.ok(proj < 1e-12, `QᵀAQ − T ${proj}`);
});

test("lanczos stops early on an invariant Krylov space and gets exact eigenvalues", () => {
  const small = withSpectrum([3, 1, 2], 47);
  const r = lanczos(matrixOperator(small), { k: 3, seed: 6 });
  assertClose(r.eigenvalues[0], 3, 1e-12, 0);
  assertClose(r.eigenvalues[2], 1, 1e-12, 0);
  assert.equal(r.iterations, 3);
});

test("lanczos and powerIteration reject k > size, unknown which and bad tolerances, naming the argument", () => {
  const op = matrixOperator(withSpectrum([1, 2, 3, 4, 5, 6], 48));
  assert.throws(() => lanczos(op, { k: 7 }), /lanczos: k must be an integer in \[1, 6\]; received 7/);
  assert.throws(() => lanczos(op, { k: 0 }), /lanczos: k must be an integer in \[1, 6\]; received 0/);
  assert.throws(() => powerIteration(op, { k: 7 }), /powerIteration: k must be an integer in \[1, 6\]; received 7/);
  assert.throws(() => lanczos(op, { which: "BE" as never }), /which must be one of "LA", "SA", "LM"; received "BE"/);
  assert.throws(() => lanczos(op, { tol: -1 }), /tol must be a finite number > 0; received -1/);
  assert.throws(() => lanczos(op, { k: 3, maxIter: 2 }), /maxIter must be an integer ≥ 3; received 2/);
  assert.throws(() => lanczosTridiagonal(op, { steps: 0 }), /steps must be an integer ≥ 1; received 0/);
  assert.throws(() => lanczosTridiagonal(op, { steps: 2, start: new Float64Array(6) }), /start must be a nonzero finite vector/);
  const nanOp = linearOperator(3, () => new Float64Array([Infinity, 0, 0]));
  assert.throws(() => powerIteration(nanOp), /op.matvec returned a non-finite value \(Infinity at index 0\)/);
});

test("lanczos and powerIteration on a Hessian leave tf.memory().numTensors unchanged over 100 calls", () => {
  const lt = tensorOf(gaussianMatrix(2, 2, 49)), rt = tensorOf(gaussianMatrix(2, 2, 50));
  const loss = identityMapLoss(gaussianMatrix(2, 2, 51));
  assertNoLeak("lanczos", () => {
    const op = hessianOperator(loss, [lt, rt]);
    lanczos(op, { k: 2 });
    op.dispose();
  });
  assertNoLeak("powerIteration", () => {
    const op = hessianOperator(loss, [lt, rt]);
    powerIteration(op, { k: 1, maxIter: 5 });
    op.dispose();
  });
  lt.dispose();
  rt.dispose();
});
