"""Workshops: HR schedules, edits, cancels and takes attendance; participants register."""
