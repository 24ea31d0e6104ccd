"""HR's "Agreements and goals" tab of a program: its planning settings, extensions to decide."""
