"""Pure-Python services of the assistant (no Rasa, nothing heavy at import).

Modules: ``siret``, ``calendar``, ``objectives`` (spaCy, loaded lazily) and
``eligibility``. Import them explicitly, e.g.
``from knowledge.services.siret import check_siret``.
"""
