"""Indicators computed from the data, one function per code of programs/indicators.py."""
