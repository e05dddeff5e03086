"""Pure appraisal logic (standard library only)."""
