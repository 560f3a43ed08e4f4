"""Training of the shipped models from ../shared/data (python -m transforms.train)."""
