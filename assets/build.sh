#!/usr/bin/env bash
# Rebuilds the committed GOV.UK Frontend stylesheet without GOV.UK branding
# (Arial, no GDS Transport font face, no crown) and copies the JavaScript we serve.
# Run only when upgrading govuk-frontend or htmx: the output is committed so
# that `make demo` needs no Node.js.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cd "$work"
npm init -y >/dev/null
npm install --silent govuk-frontend@6.6.0 sass@1.108.2 htmx.org@2.0.11
cp "$here/golden-thread.scss" gt.scss
sed -i 's#"govuk-frontend/#"node_modules/govuk-frontend/#' gt.scss
static="$here/../goldenthread/static"
npx sass --no-source-map --style=compressed --quiet-deps --load-path=. gt.scss "$static/govuk/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$static/govuk/js/"
cp node_modules/htmx.org/dist/htmx.min.js "$static/js/"
# The stylesheet's footer refers to the crown crest by URL: a blank image stands at that
# address (never GOV.UK's crest), so the manifest storage finds every file it refers to.
mkdir -p "$static/govuk/assets/images"
cat > "$static/govuk/assets/images/govuk-crest.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" viewBox="0 0 1 1" aria-hidden="true"><!-- Deliberately blank: GOV.UK Frontend's footer refers to its crest here; councils show no crown. --></svg>
SVG
echo "assets rebuilt in $static"
