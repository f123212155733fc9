"""Jupyter kernel conformance suite (jupyter_kernel_test) for the flatlab kernel (issue 6).

Run with a Python that has jupyter_client and jupyter_kernel_test (Debian: /usr/bin/python3 with
python3-jupyter-kernel-test) and JUPYTER_PATH pointing at a folder holding kernels/<name>/kernel.json:

    JUPYTER_PATH=$PWD/.jupyter/share/jupyter /usr/bin/python3 test/kernel/conformance.py -v

FLATLAB_KERNEL_NAME picks the kernelspec (default "flatlab"; "tslab" measures tslab unextended).
Every message is validated against the v5 message schema by jupyter_kernel_test itself.
"""
import os
import unittest

import jupyter_kernel_test

# A value that displays itself (the convention of src/util/displayable.ts): as a cell's last
# expression it must arrive as ONE execute_result holding every MIME type of its bundle.
DISPLAYABLE = (
    'const fig = { [Symbol.for("Jupyter.display")]() { return {'
    ' "text/html": "<b>fig</b>", "text/plain": "fig" }; } };\n'
    "fig"
)


class FlatlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("FLATLAB_KERNEL_NAME", "flatlab")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "const flatnessProbe = 1;\nflatnessPr", "matches": {"flatnessProbe"}},
        {"text": "Math.hyp", "matches": {"hypot"}},
    ]
    complete_code_samples = ["1 + 1", "let x = 1;", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "const a = [1,"]

    code_inspect_sample = "Math.max"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"flat" + "lab"', "result": "'flatlab'"},
        {"code": DISPLAYABLE, "mime": "text/html", "result": "<b>fig</b>"},
    ]

    code_display_data = [
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<i>hi</i>")', "mime": "text/html"},
        {
            "code": 'const sink = (globalThis as any)[Symbol.for("flatlab.display.sink")];\n'
            'sink.display({ "image/svg+xml": "<svg xmlns=\'http://www.w3.org/2000/svg\'/>", "text/plain": "svg" })',
            "mime": "image/svg+xml",
        },
    ]


if __name__ == "__main__":
    unittest.main()
