"""Surveys: HR builds questionnaires and schedules, people answer, HR reads the results."""
