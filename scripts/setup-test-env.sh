#!/usr/bin/env bash
# Create (or refresh) the test-only Python environment at <repo>/.venv with
# the packages pinned in requirements-test.txt: moto's server, which the e2e
# tests start as a local AWS Direct Connect endpoint.
#
# Idempotent and fast when nothing changed: a stamp file inside .venv records
# the sha256 of requirements-test.txt that was last installed successfully.
#
# Env: PYTHON (default python3) is the interpreter the venv is made from.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/requirements-test.txt"
stamp="$venv/.requirements-test.sha256"
python="${PYTHON:-python3}"

want="$(sha256sum "$req" | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -x "$venv/bin/moto_server" && -f "$stamp" ]] \
    && [[ "$(cat "$stamp")" == "$want" ]] \
    && "$venv/bin/python" -c 'import moto.server, moto.directconnect' 2>/dev/null; then
    echo "setup-test-env: $venv is up to date"
    exit 0
fi

# A venv whose interpreter no longer runs (moved repo, removed base python)
# cannot be repaired in place: start over.
if [[ -e "$venv" ]] && ! "$venv/bin/python" -c 'pass' 2>/dev/null; then
    echo "setup-test-env: $venv is broken, recreating it"
    rm -rf "$venv"
fi
if [[ ! -x "$venv/bin/python" ]]; then
    echo "setup-test-env: creating $venv with $("$python" --version 2>&1)"
    "$python" -m venv "$venv"
fi

echo "setup-test-env: installing $req"
rm -f "$stamp"
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet -r "$req"

# Smoke check: the server entry point and the Direct Connect backend load.
"$venv/bin/python" -c 'import moto.server, moto.directconnect'
[[ -x "$venv/bin/moto_server" ]] || { echo "setup-test-env: $venv/bin/moto_server missing after install" >&2; exit 1; }

echo "$want" > "$stamp"
echo "setup-test-env: ready ($("$venv/bin/python" -c 'import moto; print("moto", moto.__version__)'))"
