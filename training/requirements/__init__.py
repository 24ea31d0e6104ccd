"""Required training: what a program requires of each role by when, progress, the matching gate."""
