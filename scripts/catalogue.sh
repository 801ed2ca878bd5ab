#!/usr/bin/env bash
# Refresh the message catalogues after adding or changing a string in a messages module:
# extract every msgid into the template, then merge it into each locale's .po (new strings
# arrive untranslated; tests/unit/test_catalogue.py names them until they are translated).
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
DIR=handlers/i18n/locale
"$BABEL" extract -F babel.cfg -o "$DIR/perfbot.pot" --project perfbot --no-wrap \
    --no-location --add-comments=TRANSLATORS: .
for po in "$DIR"/*/LC_MESSAGES/perfbot.po; do
    locale=$(basename "$(dirname "$(dirname "$po")")")
    "$BABEL" update -i "$DIR/perfbot.pot" -d "$DIR" -D perfbot -l "$locale" --no-wrap \
        --no-fuzzy-matching --ignore-obsolete
done
