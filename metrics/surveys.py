"""Surveys: schedules, requests sent once with a personal link, reminders, answers."""
