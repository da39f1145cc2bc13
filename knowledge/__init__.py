"""The référentiel of the Contrat de ville et des solidarités: models, loader and services (no Rasa)."""

import os

# The matrix products of the services are small: BLAS threads would only fight for the two cores with the
# sentence encoder's own threads (measured: 66 ms → 33 ms per passage search). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
