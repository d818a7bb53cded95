#!/usr/bin/env bash
# Build the portal's front-end assets from GOV.UK Frontend v6 into static/.
#
# Run from the repository root:   bash frontend/build.sh
# (`make frontend` calls this.)   Needs Node 20+ and npm; the portal itself
# never needs Node, because the output below is committed.
#
# Output (everything here is generated; edit frontend/src/ instead):
#   static/css/portal.css                compiled from frontend/src/portal.scss
#   static/js/govuk-frontend.min.js(.map) GOV.UK Frontend ES module build
#   static/js/portal.js                 from frontend/src/portal.js
#   static/assets/                       favicon + manifest, no crown images
#
# Options:
#   --no-install   skip `npm ci` (node_modules/ is already installed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
static="$root/static"
govuk="$here/node_modules/govuk-frontend/dist/govuk"

install=1
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    *) echo "build.sh: unknown option: $arg" >&2; exit 2 ;;
  esac
done

if [ "$install" = 1 ]; then
  # Exact versions from package-lock.json. No install scripts are needed:
  # govuk-frontend is plain files and sass is pure JavaScript.
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

if [ ! -f "$govuk/govuk-frontend.min.js" ]; then
  echo "build.sh: $govuk not found; run without --no-install" >&2
  exit 1
fi

# Start from a clean slate for the files this script owns (and only those).
rm -rf "$static/assets"
rm -f "$static/css/portal.css" "$static/css/portal.css.map" \
      "$static/js/govuk-frontend.min.js" "$static/js/govuk-frontend.min.js.map" \
      "$static/js/portal.js"
mkdir -p "$static/css" "$static/js" "$static/assets/images"

# CSS: compressed, no source map, no @charset/BOM surprises.
"$here/node_modules/.bin/sass" \
  --load-path="$here/node_modules" \
  --style=compressed \
  --no-source-map \
  --no-charset \
  --quiet-deps \
  "$here/src/portal.scss" "$static/css/portal.css"

# JS: GOV.UK Frontend's ES module build, unchanged. Its map is copied too: the
# file ends with `//# sourceMappingURL=govuk-frontend.min.js.map`, and Django's
# ManifestStaticFilesStorage fails collectstatic when that file is missing.
cp "$govuk/govuk-frontend.min.js" "$govuk/govuk-frontend.min.js.map" "$static/js/"
cp "$here/src/portal.js" "$static/js/portal.js"

# Assets: our own favicon and manifest. GOV.UK Frontend's icons, Open Graph
# image, crest and favicons all show the crown, and its fonts are GDS
# Transport, so none of dist/govuk/assets/ is copied.
cp "$here/src/assets/manifest.json" "$static/assets/manifest.json"
cp "$here/src/assets/images/favicon.svg" "$static/assets/images/favicon.svg"

# Checks.
fail=0
if grep -q "GDS Transport" "$static/css/portal.css"; then
  echo "build.sh: portal.css mentions GDS Transport" >&2; fail=1
fi
if grep -q "@font-face" "$static/css/portal.css"; then
  echo "build.sh: portal.css has an @font-face rule" >&2; fail=1
fi
if grep -qi "crest" "$static/css/portal.css"; then
  echo "build.sh: portal.css refers to the Royal Arms crest image" >&2; fail=1
fi
if grep -q "sourceMappingURL" "$static/css/portal.css"; then
  echo "build.sh: portal.css has a source map comment" >&2; fail=1
fi
if ! grep -q -- "--govuk-brand-colour: *#002a5c" "$static/css/portal.css"; then
  echo "build.sh: portal.css does not set the brand colour to #002a5c" >&2; fail=1
fi
if find "$static/assets" -iname '*govuk*' -o -iname '*crest*' -o -iname '*crown*' | grep -q .; then
  echo "build.sh: a GOV.UK asset ended up in static/assets" >&2; fail=1
fi
[ "$fail" = 0 ] || exit 1

version="$(node -p "require('$here/node_modules/govuk-frontend/package.json').version")"
echo "Built front-end assets from govuk-frontend $version:"
(cd "$root" && wc -c static/css/portal.css static/js/govuk-frontend.min.js \
  static/js/govuk-frontend.min.js.map static/js/portal.js \
  static/assets/manifest.json static/assets/images/favicon.svg)
