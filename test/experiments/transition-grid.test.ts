import { test } from "node:test";
import assert from "node:assert/strict";
import { transitionGrid } from "../../src/experiments/transition-grid.js";
import { checkGridSpec } from "../../src/experiments/grid.js";
import { statisticalDimension } from "../../src/theory/index.js";

test("transitionGrid(gaussian) gives 16 distinct integer m per d spanning [0.6δ, 1.5δ], usable as a grid spec's cells", () => {
  const grid = transitionGrid({ ensemble: "gaussian", ds: [20, 10], r: 2, samples: 200 });
  assert.equal(grid.axis, "m");
  assert.deepEqual(grid.centres.map((c) => c.d), [10, 20]);
  for (const { d, value, stderr } of grid.centres) {
    const direct = statisticalDimension({ d1: d, d2: d, r: 2 }, { samples: 200, seed: 0 });
    assert.equal(value, direct.delta);
    assert.equal(stderr, direct.stderr);
    const ms = grid.cells.filter((c) => c.d === d).map((c) => (c as { m: number }).m);
    assert.equal(ms.length, 16);
    assert.equal(new Set(ms).size, 16);
    assert.ok(ms.every((m) => Number.isInteger(m)));
    assert.equal(ms[0], Math.round(0.6 * value));
    assert.equal(ms[15], Math.round(1.5 * value));
  }
  checkGridSpec("test", { task: "recovery", fixed: { ensemble: "gaussian", r: 2 }, cells: grid.cells, trials: 10, seed: 1, settings: { truthSeed: 1 } });
});

test("transitionGrid(quadratic) centres on the symmetric δ and says it is only a reference", () => {
  const grid = transitionGrid({ ensemble: "quadratic", ds: [8], r: 3, samples: 100 });
  assert.equal(grid.centres[0].value, statisticalDimension({ d: 8, r: 3, symmetric: true }, { samples: 100 }).delta);
  assert.match(grid.centreName, /not a threshold/);
  const ms = grid.cells.map((c) => (c as { m: number }).m);
  assert.ok(ms.length >= 16 && new Set(ms).size === ms.length, `${ms}`);
});

test("transitionGrid(completion) spaces p around r(2d − r)·ln d/d², clipped to 1", () => {
  const grid = transitionGrid({ ensemble: "completion", ds: [10, 100], r: 2 });
  assert.equal(grid.axis, "p");
  const pc = (d: number) => (2 * (2 * d - 2) * Math.log(d)) / (d * d);
  assert.equal(grid.centres[1].value, pc(100));
  const ps = (d: number) => grid.cells.filter((c) => c.d === d).map((c) => (c as { p: number }).p);
  assert.equal(ps(100).length, 16);
  assert.equal(ps(100)[0], Math.round(0.6 * pc(100) * 1e4) / 1e4);
  assert.equal(ps(100)[15], Math.round(1.6 * pc(100) * 1e4) / 1e4);
  assert.equal(Math.max(...ps(10)), 1, "clipped at p = 1");
  assert.equal(ps(10).length, 16);
});

test("transitionGrid names bad options", () => {
  assert.throws(() => transitionGrid({ ensemble: "gauss" as never, ds: [10], r: 2 }), /transitionGrid: options\.ensemble must be one of "gaussian"/);
  assert.throws(() => transitionGrid({ ensemble: "gaussian", ds: [], r: 2 }), /options\.ds must be a non-empty array of dimensions/);
  assert.throws(() => transitionGrid({ ensemble: "gaussian", ds: [10, 3], r: 4 }), /transitionGrid: options\.r must be an integer in \[1, 3\]; received 4/);
  assert.throws(() => transitionGrid({ ensemble: "gaussian", ds: [10], r: 2, span: [1.5, 0.6] }), /options\.span\[1\] must be a finite number > 1\.5/);
});
