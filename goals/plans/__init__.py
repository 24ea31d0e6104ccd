"""The action plan: goals the mentor writes and the mentee agrees to, their steps, progress."""
