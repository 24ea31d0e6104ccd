"""The end of a partnership: closing reviews, closing the pair, extensions, a program closing."""
