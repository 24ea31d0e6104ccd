"""Outreach: HR invites people, managers recommend their reports, colleagues refer mentors."""
