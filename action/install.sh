#!/usr/bin/env bash
# The GitHub Action's first step: planlint (with boto3) in a virtual environment of its own under
# $RUNNER_TEMP — the version asked for from the package index, or this action's own checkout.
set -euo pipefail
venv="$RUNNER_TEMP/planlint-venv"
if [ -n "${PLANLINT_VERSION:-}" ]; then
  if ! [[ "$PLANLINT_VERSION" =~ ^[0-9A-Za-z.+!-]+$ ]]; then
    echo "::error title=planlint::version '${PLANLINT_VERSION//[^0-9A-Za-z.+!-]/?}' is not a version number" >&2
    exit 2
  fi
  spec="planlint[aws]==$PLANLINT_VERSION"
else
  spec="$GITHUB_ACTION_PATH[aws]"
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
"$venv/bin/planlint" --version
