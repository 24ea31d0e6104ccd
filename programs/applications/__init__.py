"""Applications: employees apply and follow them, managers approve, HR reviews."""
