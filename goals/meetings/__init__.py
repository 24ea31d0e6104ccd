"""Meetings of a pair: scheduling with calendar invites, changes, the log, the calendar feed."""
