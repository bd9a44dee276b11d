"""Hostile and broken input corpus for core.ingest, and its harness (issue 8)."""
