"""Drives a Jupyter kernel through jupyter_client for the kernel integration tests.

Reads a JSON plan on stdin and writes a JSON transcript to the file named by its argument:
  plan = {"kernel_name": "flatlab", "batches": [[{"code": "...", "stop_on_error": true}, ...], ...],
          "interrupt_after": {"<batch index>": seconds}, "pause_before": {"<batch index>": seconds},
          "cwd": "<kernel working folder>"}
Cells of one batch are sent at once, without waiting for replies (as "Run All" does); batches run
one after another. An interrupted batch that has not replied REPEAT_AFTER seconds later is
interrupted again, up to MAX_INTERRUPTS times (the transcript counts them per cell). For each cell the transcript holds the execute_reply content and the iopub
messages (msg_type and content) whose parent is that request, up to its idle status.
Run it with a Python that has jupyter_client (Debian: /usr/bin/python3) and JUPYTER_PATH set.
"""
import json
import sys
import time
from queue import Empty

from jupyter_client.manager import start_new_kernel

TIMEOUT = 60
# Interrupts per batch at most, REPEAT_AFTER seconds apart while the batch has not replied.
MAX_INTERRUPTS = 3
REPEAT_AFTER = 5


def run(plan):
    extra = {"cwd": plan["cwd"]} if plan.get("cwd") else {}
    km, kc = start_new_kernel(kernel_name=plan.get("kernel_name", "flatlab"), startup_timeout=60, **extra)
    transcript = {"kernel_info": None, "cells": []}
    try:
        kc.kernel_info()
        transcript["kernel_info"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        while True:  # drop iopub traffic of start-up and kernel_info
            try:
                kc.get_iopub_msg(timeout=0.3)
            except Exception:
                break
        interrupts = plan.get("interrupt_after", {})
        pauses = plan.get("pause_before", {})
        for b, batch in enumerate(plan["batches"]):
            time.sleep(pauses.get(str(b), 0))
            ids = [kc.execute(c["code"], stop_on_error=c.get("stop_on_error", True)) for c in batch]
            sent = 0
            if str(b) in interrupts:
                time.sleep(interrupts[str(b)])
                km.interrupt_kernel()
                sent = 1
            replies, outputs, idle = {}, {i: [] for i in ids}, set()
            deadline = time.time() + TIMEOUT
            while len(replies) < len(ids) and time.time() < deadline:
                try:
                    # After an interrupt, wait REPEAT_AFTER s for the replies before interrupting
                    # again, as a user would: Node drops a SIGINT that arrives while a breakOnSigint
                    # run starts or stops its watchdog (src/util/interrupt.ts).
                    msg = kc.get_shell_msg(timeout=REPEAT_AFTER if 0 < sent < MAX_INTERRUPTS else TIMEOUT)
                except Empty:
                    if not 0 < sent < MAX_INTERRUPTS:
                        raise RuntimeError(f"no reply to batch {b} within {TIMEOUT} s ({len(replies)} of {len(ids)} replies, {sent} interrupts sent)")
                    km.interrupt_kernel()
                    sent += 1
                    continue
                pid = msg["parent_header"].get("msg_id")
                if pid in outputs:
                    replies[pid] = {"msg_type": msg["header"]["msg_type"], "content": msg["content"]}
            while len(idle) < len(ids) and time.time() < deadline:
                msg = kc.get_iopub_msg(timeout=TIMEOUT)
                pid = msg["parent_header"].get("msg_id")
                if pid not in outputs:
                    continue
                if msg["msg_type"] == "status":
                    if msg["content"]["execution_state"] == "idle":
                        idle.add(pid)
                    continue
                outputs[pid].append({"msg_type": msg["msg_type"], "content": msg["content"]})
            for i in ids:
                transcript["cells"].append({"reply": replies.get(i), "outputs": outputs[i], "interrupts": sent})
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return transcript


if __name__ == "__main__":
    # The transcript goes to the file named by argv[1]: the kernel shares this process's stdout.
    transcript = run(json.load(sys.stdin))
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(transcript, f, default=str)
