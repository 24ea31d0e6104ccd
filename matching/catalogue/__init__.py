"""The mentor catalogue of mentee-choice programs: mentees ask mentors, mentors answer."""
