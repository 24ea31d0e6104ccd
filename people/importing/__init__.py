"""Employee files from HR systems: read and checked (`reading`), applied (`services`)."""
