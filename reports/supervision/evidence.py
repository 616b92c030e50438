"""The evidence upload check moved to actions/evidence.py (the task ledger in indicators
uses it too, and indicators never imports reports); kept here for its old importers."""

from actions.evidence import (  # noqa: F401
    ACCEPTED_TEXT,
    CONTENT_TYPES,
    MAX_BYTES,
    MAX_FILES_PER_ANSWER,
    CheckedFile,
    EvidenceRejected,
    clean_name,
    detect,
    evidence_check,
    read_upload,
)
