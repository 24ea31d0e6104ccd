"""Information sessions: HR schedules them and marks attendance; employees register."""
