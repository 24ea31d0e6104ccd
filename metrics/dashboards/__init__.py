"""Dashboards: objectives and indicators of a program, the overview, teams, own progress."""
