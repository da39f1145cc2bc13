"""Custom actions of the assistant: thin adapters from Rasa to `knowledge/` services."""
