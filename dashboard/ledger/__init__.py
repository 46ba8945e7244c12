"""The rectification ledger (整改台账): items opened from recurring issues and similar-complaint groups."""
