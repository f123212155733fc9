#!/bin/sh
# The README's set-up command: `sh scripts/install.sh`. Installs the Debian packages that the
# figures and the tests need, then the npm packages (`npm ci`, which also builds the library and
# registers the project-local flatlab kernel). Works in a root shell without sudo (a fresh Debian,
# CI) and as a user with sudo. .ci/run calls this very script.
#
#   jupyter-nbconvert python3-nbclient jupyter-client   run the notebooks headless (npm run reproduce)
#   python3-notebook                                    the classic Notebook that `npm run lab` opens
#   libjs-mathjax                                       math in exported HTML, offline
#   python3-jupyter-kernel-test                         the kernel conformance suite (npm test)
#   chromium fonts-dejavu-core                          HTML export tests; text in SVG and PNG figures
set -eu
cd "$(dirname "$0")/.."

PACKAGES="jupyter-nbconvert python3-nbclient jupyter-client python3-notebook libjs-mathjax
python3-jupyter-kernel-test chromium fonts-dejavu-core"

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "install.sh: installing Debian packages needs root: run it as root, or install sudo." >&2
  exit 1
fi

echo "install.sh: apt-get update, then: $(echo $PACKAGES)"
$as_root apt-get update -qq
# shellcheck disable=SC2086 # the package list is split on purpose
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES

echo "install.sh: npm ci"
# The kernel registration finds Debian's /usr/bin/python3 even when another python3 (pyenv,
# conda) comes first on PATH; FLATLAB_PYTHON chooses one.
npm ci --no-audit --no-fund
