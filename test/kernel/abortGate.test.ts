import { test } from "node:test";
import assert from "node:assert/strict";
import { AbortGate } from "../../src/kernel/abortGate.js";

test("requests waiting when a cell fails are aborted; requests after the drain run", async () => {
  const gate = new AbortGate();
  const waiting = gate.arrive();
  assert.equal(gate.shouldAbort(waiting), false);
  const failure = gate.abortPending(5);
  const duringDrain = gate.arrive();
  await failure;
  const after = gate.arrive();
  assert.equal(gate.shouldAbort(waiting), true);
  assert.equal(gate.shouldAbort(duringDrain), true);
  assert.equal(gate.shouldAbort(after), false);
});

test("without a failure nothing is aborted", () => {
  const gate = new AbortGate();
  const tickets = [gate.arrive(), gate.arrive(), gate.arrive()];
  assert.deepEqual(tickets.map((t) => gate.shouldAbort(t)), [false, false, false]);
});
