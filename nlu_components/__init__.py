"""Custom Rasa NLU components of this project (imported by Rasa from config.yml)."""
