"""Demo data generator: a realistic complaint extract with planted patterns (see generator.py)."""
from dashboard.demo.generator import generate

__all__ = ["generate"]
