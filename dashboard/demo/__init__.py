"""Demo data generator: a realistic complaint extract with planted patterns (see generator.py)."""
