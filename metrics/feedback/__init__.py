"""Program feedback: participants suggest improvements, HR triages them and lists those made."""
