"""Events people register for (information sessions, workshops): one set of rules and pages."""
