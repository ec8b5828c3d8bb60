#!/usr/bin/env bash
# `npm test`: lint, type-check and build, then unit and e2e tests against real PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh
[ -d node_modules/@nestjs/core ] || npm ci --no-audit --no-fund

echo "== lint"
npx eslint . --max-warnings 0
echo "== type-check and build"
rm -rf dist
npx tsc -p tsconfig.build.json

# One template database per checkout, so that two checkouts on one machine never collide.
export TEST_TEMPLATE_DATABASE="jsd_tpl_$(pwd | md5sum | cut -c1-10)"
node dist/test/support/rebuild-template.js

echo "== unit and e2e tests"
mapfile -t files < <(find dist -path dist/node_modules -prune -o \( -name '*.spec.js' -o -name '*.e2e-spec.js' \) -print | sort)
[ "${#files[@]}" -gt 0 ] || { echo "no test files found" >&2; exit 1; }
node --test --test-concurrency=2 --test-timeout=120000 --test-reporter=spec "${files[@]}"
