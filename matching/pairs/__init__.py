"""The pair (a Mentorship): its page, ending it early, my pairs, HR's pairs of a program."""
