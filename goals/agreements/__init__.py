"""The pair's agreement: ground rules, cadence, format, confidentiality, deadline, signatures."""
