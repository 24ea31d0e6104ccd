"""Events people register for (information sessions, workshops): places, waiting list, invites."""
