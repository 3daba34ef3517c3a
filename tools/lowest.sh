#!/usr/bin/env bash
# The dependency ranges of pyproject.toml, tried at their ends: build the wheel, install it
# with its extras into a fresh environment resolved to the lowest versions it allows
# (uv's lowest-direct: pandas, pyarrow, markupsafe, pandera, frictionless at their floors),
# then load, validate and run the load tests there. CI runs it beside the locked job.
#
#   bash tools/lowest.sh                 # the oldest claimed versions
#   bash tools/lowest.sh highest         # the newest versions the ranges allow
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
resolution="${1:-lowest-direct}"
out="build/resolution-$resolution"
rm -rf "$out"
mkdir -p "$out"

uv build -q --wheel --out-dir "$out/dist" .
wheel="$(ls "$out"/dist/*.whl)"
uv venv -q --python python3.11 "$out/venv"
python="$out/venv/bin/python"
# pyproject's requirements as direct ones (so lowest-direct lowers them), then the wheel itself.
uv pip install -q --python "$python" --resolution "$resolution" -r pyproject.toml \
  --extra validate --extra frictionless
uv pip install -q --python "$python" --no-deps "$wheel"
uv pip check -q --python "$python"
uv pip install -q --python "$python" pytest  # the test runner at its newest: not under test
uv pip list --python "$python" 2>/dev/null | grep -E '^(pandas|pyarrow|numpy|markupsafe|pandera|frictionless) '

# From outside the checkout, so that only the installed wheel can be imported.
cd "$out"
venv/bin/python -c "import datapkg; t = datapkg.load(); c = datapkg.load(format='csv'); \
print('loaded', len(t), 'tables,', sum(map(len, t.values())), 'rows')"
venv/bin/datapkg validate
# Writing a package (datapkg.publish: CSV line endings, byte-identical Parquet) needs the
# locked toolchain, and only a checkout builds; every reading test runs here.
venv/bin/python -m pytest -q -p no:cacheprovider --rootdir=. ../../tests/test_load.py \
  ../../tests/test_users.py -k "not test_types_survive_a_round_trip_through_csv_and_parquet"
