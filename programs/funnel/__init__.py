"""The recruitment funnel: from invitation to approved application, counted in the database."""
