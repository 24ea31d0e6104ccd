"""The application form of a program: HR designs its questions, starting from the defaults."""
