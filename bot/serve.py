"""Rasa's command line (`rasa run …`), started faster: `python -m bot.serve run …`.

scripts/run.sh, scripts/run_cluster.sh, deploy/Dockerfile.bot, scripts/bench_load.py and the
tests start Rasa this way; every argument goes to Rasa's own `rasa` command unchanged.

Why: loading the model, Rasa's `LogisticRegressionClassifier` imports `skops.io`, whose
`_trusted_types` module looks up, at import, the module of every numpy and scipy ufunc by
scanning `sys.modules` (`skops.io._utils.whichmodule`). After Rasa has imported TensorFlow there
are about 5,700 modules to scan and the import takes 6 s; imported first, among about 1,400
modules, it takes 1.5 s (measured: Rasa ready in 13 s instead of 20 s). The trusted type lists it
builds are the same either way (tests/bot/test_rasa_patches.py compares them).
"""

from __future__ import annotations

import sys

import skops.io  # noqa: F401  (first: see above)


def main() -> int:
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"  # the program name in Rasa's help and errors
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
