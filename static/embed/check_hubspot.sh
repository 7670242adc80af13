#!/usr/bin/env bash
# Render the HubSpot project, install its pinned dependencies (package-lock.json) and run
# HubSpot's own local checks: `hs project lint` (ESLint with HubSpot's UI-extension rules)
# and the card bundle build (`uie build`). Needs Node.js and the npm registry, no HubSpot
# account. `hs project validate` / `upload` need an authenticated account and are not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-build/hubspot-check}"
python3 static/embed/build.py hubspot --public-url https://datavagt-check.invalid \
  --support-email dpo@datavagt-check.invalid --out "$out"
cd "$out/src/app/cards"
npm ci --no-audit --no-fund
cd ../../..
HOME="${HUBSPOT_CHECK_HOME:-$(mktemp -d)}" npm exec --yes --package=@hubspot/cli@8.14.0 -- hs project lint
cd src/app/cards
npm exec --yes --package=@hubspot/ui-extensions-dev-server@2.1.2 -- uie build DatavagtCard.jsx
