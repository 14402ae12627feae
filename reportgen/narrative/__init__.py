"""Narrative: Jinja2 templates turn the assessment into the report's prose."""
