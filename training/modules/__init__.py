"""Training modules: HR's library and module editor, reading, knowledge checks, the starter set."""
