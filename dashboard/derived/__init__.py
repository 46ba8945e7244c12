"""Derived tables: what every import materialises beside the complaints (registry.py lists them in order)."""
