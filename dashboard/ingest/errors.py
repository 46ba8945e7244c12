"""Errors raised while reading an extract or a mapping file."""

from __future__ import annotations


class ExtractError(Exception):
    """The file cannot be imported at all.

    The message is in Simplified Chinese and meant for the user as is (it names the file and says what to
    do). Row-level problems are never raised: they go to the quarantine with a reason.
    """


class AnalysisInterrupted(ExtractError):
    """The import's process died after its numbers were published, before the narrative analysis: the data
    did change (the message says which version), only the hot terms and similar groups are missing."""
