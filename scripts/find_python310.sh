#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains how to get one.
set -u
try() { "$@" -c 'import sys; assert sys.version_info[:2] == (3, 10); print(sys.executable)' 2>/dev/null; }
for candidate in "${PYTHON310:-}" python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -n "$candidate" ] || continue
  if out=$(try "$candidate"); then echo "$out"; exit 0; fi
done
# pyenv: any installed 3.10.x
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    if out=$(PYENV_VERSION="$v" try python3.10); then echo "$out"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
Python 3.10 introuvable / Python 3.10 not found.
  Rasa 3.6 fonctionne uniquement avec Python 3.10. Installez-le (pyenv install 3.10, apt install python3.10)
  ou indiquez son chemin : make PYTHON310=/chemin/vers/python3.10 …
  Sans Python 3.10, lancez l'assistant avec Docker : docker compose up
  Rasa 3.6 needs Python 3.10. Install it, set PYTHON310=/path/to/python3.10, or use: docker compose up
MSG
exit 1
