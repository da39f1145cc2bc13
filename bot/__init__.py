"""Rasa-side Python: the REST channel with message metadata."""
